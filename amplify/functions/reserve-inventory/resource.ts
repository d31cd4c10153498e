import { defineFunction } from '@aws-amplify/backend';
import { WORKFLOW_FUNCTION_DEFAULTS } from '../shared/resource-defaults';

export const reserveInventory = defineFunction({
  ...WORKFLOW_FUNCTION_DEFAULTS,
  name: 'reserve-inventory',
  entry: './handler.ts',
});
