/** The account id every local ARN uses (same as LocalStack's default). */
export const LOCAL_ACCOUNT_ID = '000000000000';
export const DEFAULT_REGION = 'us-east-1';

/**
 * The one credential pair of the local cloud: SDK clients, the functions and the AppSync
 * publisher sign with it. Only AppSync's IAM mode verifies the signature.
 */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
