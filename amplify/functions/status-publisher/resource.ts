import { defineFunction } from '@aws-amplify/backend';
import { LAMBDA_NODE_RUNTIME } from '../shared/resource-defaults';

export const statusPublisher = defineFunction({
  name: 'status-publisher',
  entry: './handler.ts',
  // Lives in the data stack: the API grants it `allow.resource`, and the workflow stack only
  // needs its name, so references flow one way (tables -> data -> workflow).
  resourceGroupName: 'data',
  runtime: LAMBDA_NODE_RUNTIME,
  timeoutSeconds: 10,
});
