import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Claims of a verified Cognito user-pool JWT (access or ID token). */
export type JwtClaims = Record<string, unknown> & { sub?: string };

/** The three authorization modes this API deploys with (no API key, no OIDC, no Lambda). */
export type AuthMode = 'userPool' | 'iam';

export interface AppSyncAuthConfig {
  /** Checks signature, issuer, client id, token use and expiry; throws when the token is bad. */
  userPool?: { verify(token: string): Promise<JwtClaims> };
  /** The local cloud's one credential pair; requests must be SigV4-signed with it (service `appsync`). */
  iam?: { accessKeyId: string; secretAccessKey: string };
  /** AppSync applies this mode to types and fields that carry no auth directive. */
  defaultMode: AuthMode;
}

export type DataSourceConfig =
  { type: 'NONE' } | { type: 'AMAZON_DYNAMODB'; tableName: string; client: DynamoDBClient };

/** A unit resolver written in APPSYNC_JS, attached to `Type.field`. */
export interface JsResolverConfig {
  kind: 'js';
  /** Path of the resolver file (the very file Amplify deploys). */
  file: string;
  /** Name of an entry in `dataSources`; absent means a NONE data source. */
  dataSource?: string;
}

export interface AppSyncConfig {
  /** GraphQL path on the gateway, e.g. `/graphql`; real-time is served at `<path>/realtime`. */
  path: string;
  /** The SDL AppSync receives (see `loadSchemaFromAssembly`). */
  schema: string;
  /** Keyed by `Type.field`, e.g. `Mutation.publishOrderUpdate`. */
  resolvers: Record<string, JsResolverConfig>;
  dataSources: Record<string, DataSourceConfig>;
  auth: AppSyncAuthConfig;
  realtime?: {
    /** Interval of `ka` messages; AppSync sends one at least every 60 s. */
    keepAliveMs?: number;
    /** Reported in `connection_ack`; the client reconnects after this long without a message. */
    connectionTimeoutMs?: number;
  };
}
