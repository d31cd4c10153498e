import { defineFunction } from '@aws-amplify/backend';
import { WORKFLOW_FUNCTION_DEFAULTS } from '../shared/resource-defaults';

export const awaitWarehouse = defineFunction({
  ...WORKFLOW_FUNCTION_DEFAULTS,
  name: 'await-warehouse',
  entry: './handler.ts',
});
