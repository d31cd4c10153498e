// The Cognito stand-in's name for the shared AWS error; the JSON 1.1 protocol writes it.
export { AwsError as AwsJsonError } from '../core/protocols/errors';
export { looksLikeSigV4 } from '../core/protocols/http';
export { parseJsonObject as parseJsonBody } from '../core/protocols/aws-json';
