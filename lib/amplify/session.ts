import { Hub } from 'aws-amplify/utils';
import { fetchAuthSession, getCurrentUser, signOut } from 'aws-amplify/auth';
import { configureAmplify, type AmplifyOutputsJson } from './configure';

export interface SignedInUser {
  email: string;
  groups: string[];
}

/** The signed-in user, from the ID token's claims; undefined when nobody is signed in. */
export async function currentUser(outputs: AmplifyOutputsJson): Promise<SignedInUser | undefined> {
  await configureAmplify(outputs);
  try {
    await getCurrentUser();
  } catch {
    return undefined;
  }
  const claims = (await fetchAuthSession()).tokens?.idToken?.payload;
  if (!claims) return undefined;
  const groups = claims['cognito:groups'];
  return {
    email: String(claims.email ?? ''),
    groups: Array.isArray(groups) ? groups.map(String) : [],
  };
}

/** The ID token the order API verifies; refreshed by Amplify when it is about to expire. */
export async function idToken(outputs: AmplifyOutputsJson): Promise<string | undefined> {
  await configureAmplify(outputs);
  return (await fetchAuthSession()).tokens?.idToken?.toString();
}

export async function signOutUser(outputs: AmplifyOutputsJson): Promise<void> {
  await configureAmplify(outputs);
  await signOut();
}

/** Calls `listener` after every sign-in, sign-out or token refresh; returns the unsubscribe. */
export function onAuthChange(listener: () => void): () => void {
  return Hub.listen('auth', listener);
}
