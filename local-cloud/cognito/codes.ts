import { randomInt } from 'node:crypto';
import type { Logger } from '../core/service';
import { codeMismatch, expiredCode, tooManyAttempts } from './errors';
import type { CodePurpose, CognitoStore, UserRecord } from './store';
import { maskEmail } from './users';

export interface CodeInfo {
  poolId: string;
  username: string;
  email: string | null;
  code: string;
  purpose: CodePurpose;
}

// Cognito: sign-up codes last 24 hours, password-reset codes 1 hour.
const LIFETIME_MS: Record<CodePurpose, number> = {
  signup: 24 * 3600 * 1000,
  'forgot-password': 3600 * 1000,
};
// Cognito throttles repeated wrong codes; five is close to what it tolerates in practice.
const MAX_FAILED_ATTEMPTS = 5;

/** Issues and checks 6-digit codes; "delivery" is a log line and the `onCode` hook. */
export function createCodeDesk(
  store: CognitoStore,
  now: () => number,
  log: Logger,
  onCode?: (info: CodeInfo) => void,
) {
  return {
    issue(user: UserRecord, purpose: CodePurpose) {
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      store.putCode(user.poolId, user.username, purpose, code, now() + LIFETIME_MS[purpose]);
      const info: CodeInfo = {
        poolId: user.poolId,
        username: user.username,
        email: user.email,
        code,
        purpose,
      };
      // Deviation from AWS: no email is sent; the code is printed for the person at the console.
      log.info(`cognito ${purpose} code for ${user.email ?? user.username}: ${code}`, { ...info });
      onCode?.(info);
      return {
        Destination: user.email ? maskEmail(user.email) : undefined,
        DeliveryMedium: 'EMAIL',
        AttributeName: 'email',
      };
    },

    /** Consumes the code when it matches; otherwise throws the error Cognito would. */
    redeem(user: UserRecord, purpose: CodePurpose, given: string) {
      const stored = store.getCode(user.poolId, user.username, purpose);
      if (!stored) throw codeMismatch();
      if (stored.failedAttempts >= MAX_FAILED_ATTEMPTS) throw tooManyAttempts();
      if (stored.code !== given.trim()) {
        store.recordFailedCode(user.poolId, user.username, purpose);
        throw codeMismatch();
      }
      if (stored.expiresAt <= now()) throw expiredCode();
      store.deleteCode(user.poolId, user.username, purpose);
    },
  };
}

export type CodeDesk = ReturnType<typeof createCodeDesk>;
