import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { loadOutputs } from '@/lib/config/outputs';

/**
 * The server's AWS clients. Region comes from `amplify_outputs.json`; endpoints and credentials
 * from the SDK's standard chain, so offline `AWS_ENDPOINT_URL` sends the very same calls to the
 * local cloud and nothing here knows which mode it is in.
 */
let documents: DynamoDBDocumentClient | undefined;
let stepFunctions: SFNClient | undefined;
let queues: SQSClient | undefined;

export function dynamo(): DynamoDBDocumentClient {
  documents ??= DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: loadOutputs().custom.region }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  return documents;
}

export function sfn(): SFNClient {
  stepFunctions ??= new SFNClient({ region: loadOutputs().custom.region });
  return stepFunctions;
}

export function sqs(): SQSClient {
  queues ??= new SQSClient({ region: loadOutputs().custom.region });
  return queues;
}
