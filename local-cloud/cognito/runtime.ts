import type { LocalRequest, ServiceContext } from '../core/service';
import type { ChallengeSessions } from './challenge-sessions';
import type { CodeDesk } from './codes';
import type { PoolRegistry } from './pools';
import type { CognitoStore } from './store';
import type { TokenService } from './tokens';
import type { UserDirectory } from './users';

/** Everything an operation handler needs, built once per service instance. */
export interface CognitoRuntime {
  ctx: ServiceContext;
  store: CognitoStore;
  pools: PoolRegistry;
  users: UserDirectory;
  codes: CodeDesk;
  tokens: TokenService;
  sessions: ChallengeSessions;
}

/** One `AWSCognitoIdentityProviderService.<Name>` action: JSON in, JSON out. */
export type Operation = (
  rt: CognitoRuntime,
  input: Record<string, unknown>,
  req: LocalRequest,
) => Promise<Record<string, unknown>>;
