import type { LocalBackend } from '../backend/model';
import type { ExplicitAuthFlow } from './pools';
import type { CognitoServiceConfig } from './service';

/** Cognito's slice of the backend: the user pool, its groups and its app clients' flows. */
export function cognitoConfigFromBackend(
  backend: LocalBackend,
): Pick<CognitoServiceConfig, 'userPools'> {
  const pool = backend.userPool;
  if (!pool) return { userPools: [] };
  return {
    userPools: [
      {
        id: pool.id,
        name: pool.name,
        groups: pool.groups.map((group) => group.name),
        signInWith: pool.usernameAttributes.includes('email') ? 'email' : 'username',
        passwordPolicy: pool.passwordPolicy,
        clients: pool.clients.map((client) => ({
          id: client.id,
          name: client.name,
          explicitAuthFlows: client.explicitAuthFlows.map(
            (flow) => flow.replace(/^ALLOW_/, '') as ExplicitAuthFlow,
          ),
        })),
      },
    ],
  };
}
