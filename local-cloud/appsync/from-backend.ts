import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import type { LocalBackend } from '../backend/model';
import type { CognitoService } from '../cognito';
import { LOCAL_CREDENTIALS } from '../core/constants';
import type { AppSyncConfig, DataSourceConfig, JwtClaims } from './config';

/**
 * AppSync's slice of the backend: the deployed schema, the very APPSYNC_JS resolver files, the
 * data sources (DynamoDB tables are reached through the DynamoDB stand-in's wire API, as
 * AppSync calls DynamoDB), user-pool auth against the backend's pool, and IAM auth with the
 * local credentials.
 */
export async function appSyncConfigFromBackend(
  backend: LocalBackend,
  deps: { cognito: CognitoService; endpoint: string; region: string },
): Promise<AppSyncConfig> {
  const api = backend.appSync;
  const pool = backend.userPool;
  if (!api || !pool) throw new Error('AppSync needs a GraphQL API and a user pool in the backend');
  const dynamo = new DynamoDBClient({
    endpoint: deps.endpoint,
    region: deps.region,
    credentials: LOCAL_CREDENTIALS,
  });
  const dataSources: Record<string, DataSourceConfig> = {};
  for (const source of api.dataSources) {
    if (source.type === 'NONE') dataSources[source.name] = { type: 'NONE' };
    if (source.type === 'AMAZON_DYNAMODB' && source.tableName) {
      dataSources[source.name] = {
        type: 'AMAZON_DYNAMODB',
        tableName: source.tableName,
        client: dynamo,
      };
    }
  }
  const resolvers = Object.fromEntries(
    api.resolvers
      .filter((resolver) => resolver.handler.codeFile)
      .map((resolver) => [
        `${resolver.typeName}.${resolver.fieldName}`,
        {
          kind: 'js' as const,
          file: resolver.handler.codeFile!,
          dataSource:
            resolver.handler.dataSourceName && dataSources[resolver.handler.dataSourceName]
              ? resolver.handler.dataSourceName
              : undefined,
        },
      ]),
  );
  return {
    path: new URL(api.graphqlUrl).pathname,
    schema: api.schema,
    resolvers,
    dataSources,
    auth: {
      defaultMode: 'userPool',
      userPool: { verify: await userPoolVerifier(deps.cognito, pool.id, pool.client.id) },
      iam: LOCAL_CREDENTIALS,
    },
  };
}

/**
 * AppSync accepts the pool's ID and access tokens, verified (signature, issuer, expiry, client)
 * with the same library the app uses. The signing keys come straight from the Cognito
 * stand-in in this process, so there is no JWKS download to wait for.
 */
async function userPoolVerifier(cognito: CognitoService, poolId: string, clientId: string) {
  const issuer = cognito.issuerOf(poolId);
  const verifier = JwtRsaVerifier.create({
    issuer,
    jwksUri: `${issuer}/.well-known/jwks.json`,
    audience: null,
    customJwtCheck: ({ payload }) => {
      const audience = payload.token_use === 'access' ? payload.client_id : payload.aud;
      if (audience !== clientId) throw new Error('Token was issued to another client');
    },
  });
  verifier.cacheJwks(await cognito.jwks(poolId));
  return async (token: string) => (await verifier.verify(token)) as unknown as JwtClaims;
}
