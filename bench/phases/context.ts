import type { CloudChild } from '../support/processes';

/** What every phase gets: the running servers and signed-in accounts. */
export interface BenchContext {
  appUrl: string;
  /** The `next start` process (for CPU figures). */
  appPid: number | undefined;
  cloud: CloudChild;
  shopperTokens: string[];
  /** A Warehouse staff ID token; Amplify's subscriptions run as this account too. */
  staffToken: string;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The `sub` claim of an ID token (already verified by whoever issued it to us). */
export function subOf(idToken: string): string {
  const payload = idToken.split('.')[1] ?? '';
  return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub: string }).sub;
}
