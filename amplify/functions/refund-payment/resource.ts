import { defineFunction } from '@aws-amplify/backend';
import { WORKFLOW_FUNCTION_DEFAULTS } from '../shared/resource-defaults';

export const refundPayment = defineFunction({
  ...WORKFLOW_FUNCTION_DEFAULTS,
  name: 'refund-payment',
  entry: './handler.ts',
});
