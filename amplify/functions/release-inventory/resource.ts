import { defineFunction } from '@aws-amplify/backend';
import { WORKFLOW_FUNCTION_DEFAULTS } from '../shared/resource-defaults';

export const releaseInventory = defineFunction({
  ...WORKFLOW_FUNCTION_DEFAULTS,
  name: 'release-inventory',
  entry: './handler.ts',
});
