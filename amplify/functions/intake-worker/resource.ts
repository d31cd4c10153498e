import { defineFunction } from '@aws-amplify/backend';
import {
  INTAKE_FUNCTION_DEFAULTS,
  INTAKE_WORKER_TIMEOUT_SECONDS,
} from '../shared/resource-defaults';

export const intakeWorker = defineFunction({
  ...INTAKE_FUNCTION_DEFAULTS,
  name: 'intake-worker',
  entry: './handler.ts',
  // The queue's visibility timeout is six times this (see OrderIntake).
  timeoutSeconds: INTAKE_WORKER_TIMEOUT_SECONDS,
});
