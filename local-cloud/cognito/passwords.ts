import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { invalidPassword } from './errors';

// scrypt cost: N = 2^14, r = 8 (~65 ms on these machines) is plenty for a local stand-in and
// keeps sign-in tests quick; the parameters are stored with each hash so they can be raised.
const SCRYPT = { N: 16384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function scryptAsync(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT);
  return [
    'scrypt',
    SCRYPT.N,
    SCRYPT.r,
    SCRYPT.p,
    salt.toString('base64'),
    key.toString('base64'),
  ].join('$');
}

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  if (!stored) return false;
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export interface PasswordPolicy {
  minLength: number;
  requireUppercase: boolean;
  requireLowercase: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
}

/** Cognito's default policy, which Amplify Gen 2 also deploys unless told otherwise. */
export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  minLength: 8,
  requireUppercase: true,
  requireLowercase: true,
  requireNumbers: true,
  requireSymbols: true,
};

// Cognito's accepted symbol set: ^ $ * . [ ] { } ( ) ? " ! @ # % & / \ , > < ' : ; | _ ~ ` = + -
const SYMBOL = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/;

/** Throws InvalidPasswordException naming the first rule broken, in Cognito's order. */
export function assertPasswordPolicy(password: string, policy: PasswordPolicy): void {
  if (password.length < policy.minLength) throw invalidPassword('Password not long enough');
  if (policy.requireLowercase && !/[a-z]/.test(password)) {
    throw invalidPassword('Password must have lowercase characters');
  }
  if (policy.requireUppercase && !/[A-Z]/.test(password)) {
    throw invalidPassword('Password must have uppercase characters');
  }
  if (policy.requireNumbers && !/[0-9]/.test(password)) {
    throw invalidPassword('Password must have numeric characters');
  }
  if (policy.requireSymbols && !SYMBOL.test(password)) {
    throw invalidPassword('Password must have symbol characters');
  }
}
