import { randomBytes } from 'node:crypto';
import type { SrpServerState } from './srp';

export type PendingChallenge =
  | { name: 'PASSWORD_VERIFIER'; srp: SrpServerState; secretBlock: string }
  | { name: 'NEW_PASSWORD_REQUIRED' };

export interface ChallengeSession {
  poolId: string;
  clientId: string;
  username: string;
  challenge: PendingChallenge;
  expiresAt: number;
}

// Cognito's challenge sessions last 3 minutes.
const SESSION_MS = 3 * 60 * 1000;

/**
 * Sessions between InitiateAuth and RespondToAuthChallenge. Deviation from AWS: kept in
 * memory, so a restart in the middle of a sign-in makes the client start over.
 */
export function createChallengeSessions(now: () => number) {
  const sessions = new Map<string, ChallengeSession>();

  return {
    open(session: Omit<ChallengeSession, 'expiresAt'>): string {
      for (const [key, value] of sessions) if (value.expiresAt <= now()) sessions.delete(key);
      const token = randomBytes(96).toString('base64');
      sessions.set(token, { ...session, expiresAt: now() + SESSION_MS });
      return token;
    },
    /** One use per session, as in Cognito: a failed answer needs a new InitiateAuth. */
    take(token: string): ChallengeSession | null {
      const session = sessions.get(token);
      sessions.delete(token);
      return session && session.expiresAt > now() ? session : null;
    },
    clear() {
      sessions.clear();
    },
  };
}

export type ChallengeSessions = ReturnType<typeof createChallengeSessions>;
