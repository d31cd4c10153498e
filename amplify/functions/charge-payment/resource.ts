import { defineFunction } from '@aws-amplify/backend';
import { WORKFLOW_FUNCTION_DEFAULTS } from '../shared/resource-defaults';

export const chargePayment = defineFunction({
  ...WORKFLOW_FUNCTION_DEFAULTS,
  name: 'charge-payment',
  entry: './handler.ts',
});
