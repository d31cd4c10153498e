import { defineFunction } from '@aws-amplify/backend';
import { INTAKE_FUNCTION_DEFAULTS } from '../shared/resource-defaults';

export const orderReconciler = defineFunction({
  ...INTAKE_FUNCTION_DEFAULTS,
  name: 'order-reconciler',
  entry: './handler.ts',
  timeoutSeconds: 60,
  // Every minute: an order whose message was lost is re-sent at most a minute after it
  // crosses RESEND_AFTER_SECONDS.
  schedule: 'every 1m',
});
