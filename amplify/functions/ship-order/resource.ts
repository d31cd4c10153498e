import { defineFunction } from '@aws-amplify/backend';
import { WORKFLOW_FUNCTION_DEFAULTS } from '../shared/resource-defaults';

export const shipOrder = defineFunction({
  ...WORKFLOW_FUNCTION_DEFAULTS,
  name: 'ship-order',
  entry: './handler.ts',
});
