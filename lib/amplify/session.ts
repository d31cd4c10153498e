import type { AmplifyOutputsJson } from './configure';

/**
 * The signed-in shopper, for client components. Every function loads aws-amplify (and the
 * configuration) on first use, by dynamic import: a page can import this module statically and
 * still keep the auth SDK out of its first load (scripts/first-load-budget.ts checks it).
 */
export interface SignedInUser {
  email: string;
  groups: string[];
}

async function auth(outputs: AmplifyOutputsJson) {
  const [{ configureAmplify }, amplifyAuth] = await Promise.all([
    import('./configure'),
    import('aws-amplify/auth'),
  ]);
  await configureAmplify(outputs);
  return amplifyAuth;
}

/** The signed-in user, from the ID token's claims; undefined when nobody is signed in. */
export async function currentUser(outputs: AmplifyOutputsJson): Promise<SignedInUser | undefined> {
  const { fetchAuthSession, getCurrentUser } = await auth(outputs);
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
  const { fetchAuthSession } = await auth(outputs);
  return (await fetchAuthSession()).tokens?.idToken?.toString();
}

export async function signOutUser(outputs: AmplifyOutputsJson): Promise<void> {
  const { signOut } = await auth(outputs);
  await signOut();
}

/**
 * Calls `listener` after every sign-in, sign-out or token refresh; returns the unsubscribe.
 * The listener is attached once aws-amplify has loaded (a sign-in needs it loaded anyway).
 */
export function onAuthChange(listener: () => void): () => void {
  let stopped = false;
  let unsubscribe = () => {};
  void import('aws-amplify/utils').then(({ Hub }) => {
    if (!stopped) unsubscribe = Hub.listen('auth', listener);
  });
  return () => {
    stopped = true;
    unsubscribe();
  };
}
