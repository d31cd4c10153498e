/**
 * The user pool's groups, in a module of their own so the app (lib/auth) can name them without
 * importing the backend definition. Membership arrives in the ID token's `cognito:groups`.
 */
/** Warehouse staff: the packing console and every order's status. */
export const WAREHOUSE_GROUP = 'Warehouse';
/** Operators: the operations console (`/ops`): executions, retries, dead letters, webhooks. */
export const OPERATIONS_GROUP = 'Operations';
