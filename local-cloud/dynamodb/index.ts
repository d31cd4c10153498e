export {
  createDynamoDbService,
  levelDbPath,
  type DynamoDbService,
  type DynamoDbServiceOptions,
} from './service';
export { TTL_SWEEP_INTERVAL_MS } from './ttl';
export { CLIENT_TOKEN_TTL_MS } from './transactions';
