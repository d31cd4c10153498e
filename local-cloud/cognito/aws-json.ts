import type { ServerResponse } from 'node:http';
import {
  AwsError,
  contentTypeFor,
  errorBody,
  looksLikeSigV4,
  parseJsonBody,
  sendJson as sendSharedJson,
} from '../core/aws-json';

// The Cognito stand-in's view of the shared AWS JSON helpers: JSON 1.1, bare `__type` names,
// plus the `x-amzn-errortype` header real Cognito sends (Amplify reads it before the body).

export { AwsError as AwsJsonError, looksLikeSigV4, parseJsonBody };

const JSON_1_1 = contentTypeFor('1.1');

export function sendJson(res: ServerResponse, statusCode: number, body: unknown): void {
  sendSharedJson(res, statusCode, body, JSON_1_1);
}

export function sendAwsError(res: ServerResponse, error: AwsError): void {
  res.setHeader('x-amzn-errortype', error.type);
  sendSharedJson(res, error.statusCode, errorBody(error, '1.1'), JSON_1_1);
}
