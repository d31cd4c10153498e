import { createHash } from 'node:crypto';
import { invalidParameter, resourceNotFound } from './errors';
import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from './passwords';

export type ExplicitAuthFlow = 'USER_PASSWORD_AUTH' | 'USER_SRP_AUTH' | 'REFRESH_TOKEN_AUTH';

export interface CognitoClientConfig {
  id: string;
  name: string;
  /**
   * The app client's ALLOW_* flows. Defaults to all three so that both the Authenticator's SRP
   * sign-in and USER_PASSWORD_AUTH work; pass the deployed client's list to mirror the cloud.
   */
  explicitAuthFlows?: ExplicitAuthFlow[];
}

export interface CognitoPoolConfig {
  /** Shaped like AWS: `<region>_<9 alphanumerics>`; see `userPoolIdFor`. */
  id: string;
  name: string;
  clients: CognitoClientConfig[];
  groups: string[];
  /**
   * `email` (Amplify Gen 2's `loginWith: { email: true }`): the pool's UsernameAttributes is
   * email, so the name given at sign-up must be an email and the user's real user name is a
   * UUID. `username`: free user names, with a verified email usable as an alias.
   */
  signInWith?: 'email' | 'username';
  passwordPolicy?: Partial<PasswordPolicy>;
}

export interface Pool {
  id: string;
  name: string;
  /** The part after `_`: what SRP hashes into the password verifier. */
  srpName: string;
  signInWith: 'email' | 'username';
  passwordPolicy: PasswordPolicy;
  groups: Set<string>;
  clients: Map<string, { id: string; name: string; flows: Set<ExplicitAuthFlow> }>;
}

const POOL_ID = /^[a-z]{2}(-[a-z]+)+-\d_[0-9A-Za-z]+$/;
const ALL_FLOWS: ExplicitAuthFlow[] = ['USER_PASSWORD_AUTH', 'USER_SRP_AUTH', 'REFRESH_TOKEN_AUTH'];
const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function stableChars(seed: string, alphabet: string, length: number): string {
  const digest = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; i < length; i += 1) out += alphabet[digest[i]! % alphabet.length];
  return out;
}

/** A stable, AWS-shaped pool id (`us-east-1_AbC123xYz`) derived from a name. */
export const userPoolIdFor = (region: string, name: string) =>
  `${region}_${stableChars(`pool:${name}`, ALPHANUMERIC, 9)}`;

/** A stable, AWS-shaped app client id (26 lowercase alphanumerics). */
export const userPoolClientIdFor = (poolId: string, name: string) =>
  stableChars(`client:${poolId}:${name}`, '0123456789abcdefghijklmnopqrstuvwxyz', 26);

export function createPoolRegistry(configs: CognitoPoolConfig[]) {
  const pools = new Map<string, Pool>();
  const poolByClient = new Map<string, Pool>();
  for (const config of configs) {
    if (!POOL_ID.test(config.id)) {
      throw new Error(`Cognito pool id ${config.id} is not shaped like <region>_<id>`);
    }
    const pool: Pool = {
      id: config.id,
      name: config.name,
      srpName: config.id.slice(config.id.indexOf('_') + 1),
      signInWith: config.signInWith ?? 'email',
      passwordPolicy: { ...DEFAULT_PASSWORD_POLICY, ...config.passwordPolicy },
      groups: new Set(config.groups),
      clients: new Map(
        config.clients.map((client) => [
          client.id,
          { ...client, flows: new Set(client.explicitAuthFlows ?? ALL_FLOWS) },
        ]),
      ),
    };
    pools.set(pool.id, pool);
    for (const clientId of pool.clients.keys()) poolByClient.set(clientId, pool);
  }

  return {
    ids: new Set(pools.keys()) as ReadonlySet<string>,
    get(poolId: string): Pool | undefined {
      return pools.get(poolId);
    },
    /** For admin operations, which name the pool. */
    require(poolId: string): Pool {
      const pool = pools.get(poolId);
      if (!pool) throw resourceNotFound(`User pool ${poolId} does not exist.`);
      return pool;
    },
    /** For public operations, which name only the app client. */
    byClient(clientId: string | undefined) {
      if (!clientId) throw invalidParameter('Missing required parameter ClientId');
      const pool = poolByClient.get(clientId);
      const client = pool?.clients.get(clientId);
      if (!pool || !client) throw resourceNotFound(`User pool client ${clientId} does not exist.`);
      return { pool, client };
    },
    first(): Pool | undefined {
      return pools.values().next().value;
    },
  };
}

export type PoolRegistry = ReturnType<typeof createPoolRegistry>;
