import { defineFunction } from '@aws-amplify/backend';

export const statusPublisher = defineFunction({
  name: 'status-publisher',
  entry: './handler.ts',
  // Lives in the data stack: the API grants it `allow.resource`, and the workflow stack only
  // needs its name, so references flow one way (tables -> data -> workflow).
  resourceGroupName: 'data',
  runtime: 22,
  timeoutSeconds: 10,
});
