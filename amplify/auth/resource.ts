import { defineAuth } from '@aws-amplify/backend';
import { OPERATIONS_GROUP, WAREHOUSE_GROUP } from './groups';

export { OPERATIONS_GROUP, WAREHOUSE_GROUP } from './groups';

/** Shoppers sign in with email; staff are users in a group (see groups.ts). */
export const auth = defineAuth({
  loginWith: { email: true },
  groups: [WAREHOUSE_GROUP, OPERATIONS_GROUP],
});
