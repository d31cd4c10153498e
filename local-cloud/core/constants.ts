/** The account id every local ARN uses (same as LocalStack's default). */
export const LOCAL_ACCOUNT_ID = '000000000000';
export const DEFAULT_REGION = 'us-east-1';
