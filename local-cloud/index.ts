/**
 * The local cloud: AWS's wire protocols for the services this app uses, on one loopback port.
 * `startLocalCloud` is the only way to start it.
 */
export { startLocalCloud, DEFAULT_PORT } from './start';
export type { LocalCloud, LocalCloudOptions, LocalCloudServices } from './start';
export { amplifyBackend, staticBackend, type BackendSource } from './backend/source';
export { workflowsBackend } from './backend/from-workflows';
export type { LocalBackend, LocalFunction, LocalStateMachine, LocalTable } from './backend/model';
export { PortInUseError } from './core/gateway';
export { createClock } from './core/clock';
export { LOCAL_ACCOUNT_ID, LOCAL_CREDENTIALS } from './core/constants';
export type { Clock } from './core/service';
export type { DeliveryLogEntry, DeliveryQuery, SnsService } from './sns';
