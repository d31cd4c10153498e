import { defineAuth } from '@aws-amplify/backend';

/** Shoppers sign in with email; warehouse staff are users in the `Warehouse` group. */
export const WAREHOUSE_GROUP = 'Warehouse';

export const auth = defineAuth({
  loginWith: { email: true },
  groups: [WAREHOUSE_GROUP],
});
