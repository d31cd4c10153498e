export { createCognitoService, COGNITO_OPERATIONS } from './service';
export type { CognitoService, CognitoServiceConfig, SeedUserInput } from './service';
export { userPoolClientIdFor, userPoolIdFor } from './pools';
export type { CognitoClientConfig, CognitoPoolConfig, ExplicitAuthFlow } from './pools';
export type { CodeInfo } from './codes';
