import { AwsJsonError } from './aws-json';

// Messages are Cognito's own wording, because clients (and people) match on them.

export const incorrectCredentials = () =>
  new AwsJsonError('NotAuthorizedException', 'Incorrect username or password.');

export const notAuthorized = (message: string) =>
  new AwsJsonError('NotAuthorizedException', message);

export const invalidParameter = (message: string) =>
  new AwsJsonError('InvalidParameterException', message);

export const userNotFound = () => new AwsJsonError('UserNotFoundException', 'User does not exist.');

export const userNotConfirmed = () =>
  new AwsJsonError('UserNotConfirmedException', 'User is not confirmed.');

export const codeMismatch = () =>
  new AwsJsonError(
    'CodeMismatchException',
    'Invalid verification code provided, please try again.',
  );

export const expiredCode = () =>
  new AwsJsonError('ExpiredCodeException', 'Invalid code provided, please request a code again.');

export const tooManyAttempts = () =>
  new AwsJsonError('LimitExceededException', 'Attempt limit exceeded, please try after some time.');

export const resourceNotFound = (message: string) =>
  new AwsJsonError('ResourceNotFoundException', message);

export const invalidPassword = (reason: string) =>
  new AwsJsonError('InvalidPasswordException', `Password did not conform with policy: ${reason}`);

/** Reads a required string member, failing the way Cognito's request validation does. */
export function requireString(input: Record<string, unknown>, member: string): string {
  const value = input[member];
  if (typeof value !== 'string' || value.length === 0) {
    throw invalidParameter(`Missing required parameter ${member}`);
  }
  return value;
}

export function optionalString(input: Record<string, unknown>, member: string): string | undefined {
  const value = input[member];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** `AuthParameters` / `ChallengeResponses` are string maps; anything else is ignored. */
export function stringMap(input: Record<string, unknown>, member: string): Record<string, string> {
  const value = input[member];
  const out: Record<string, string> = {};
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === 'string') out[key] = item;
    }
  }
  return out;
}

export function requireParam(map: Record<string, string>, name: string): string {
  const value = map[name];
  if (!value) throw invalidParameter(`Missing required parameter ${name}`);
  return value;
}
