export { createSnsService, SnsService, type DeliveryQuery, type SnsOptions } from './service';
export type { DeliveryLogEntry } from './delivery-log';
export { CA_FILE } from './signer';
