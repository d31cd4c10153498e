import { randomUUID } from 'node:crypto';
import { AwsJsonError } from './aws-json';
import { invalidParameter } from './errors';
import { assertPasswordPolicy, hashPassword } from './passwords';
import type { Pool } from './pools';
import { createSrpVerifier } from './srp';
import type { CognitoStore, UserRecord, UserStatus } from './store';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface AttributeType {
  Name: string;
  Value: string;
}

/** Reads `UserAttributes: [{ Name, Value }]`, rejecting what Cognito would reject. */
export function parseAttributes(value: unknown): Record<string, string> {
  const attributes: Record<string, string> = {};
  if (value === undefined || value === null) return attributes;
  if (!Array.isArray(value)) throw invalidParameter('UserAttributes must be a list.');
  for (const item of value as unknown[]) {
    const { Name, Value } = (item ?? {}) as { Name?: unknown; Value?: unknown };
    if (typeof Name !== 'string' || Name.length === 0) {
      throw invalidParameter('Attribute name is required.');
    }
    if (Name === 'sub') throw invalidParameter('Cannot modify the non-mutable attribute sub');
    attributes[Name] = typeof Value === 'string' ? Value : '';
  }
  if (attributes.email !== undefined) {
    if (!EMAIL.test(attributes.email)) throw invalidParameter('Invalid email address format.');
    attributes.email = attributes.email.toLowerCase();
  }
  return attributes;
}

export const toAttributeList = (user: UserRecord): AttributeType[] =>
  Object.entries({ sub: user.sub, ...user.attributes }).map(([Name, Value]) => ({ Name, Value }));

/** `a***@e***`, the way Cognito shows where a code went. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***`;
}

export function createUserDirectory(store: CognitoStore, now: () => number) {
  /**
   * Finds a user by whatever a client passes as `Username`: the real user name (a UUID in
   * email pools), or the email (the sign-in name in email pools; a verified alias otherwise).
   * Pools are case-insensitive, as Amplify Gen 2 creates them.
   */
  function find(pool: Pool, given: string): UserRecord | null {
    const name = given.trim().toLowerCase();
    const direct = store.getUser(pool.id, name);
    if (direct) return direct;
    const byEmail = store.findUsersByEmail(pool.id, name);
    if (pool.signInWith === 'email') return byEmail[0] ?? null;
    return byEmail.find((user) => user.attributes.email_verified === 'true') ?? null;
  }

  async function withPassword(pool: Pool, user: UserRecord, password: string): Promise<UserRecord> {
    assertPasswordPolicy(password, pool.passwordPolicy);
    const srp = createSrpVerifier(pool.srpName, user.username, password);
    return {
      ...user,
      passwordHash: await hashPassword(password),
      srpSalt: srp.salt,
      srpVerifier: srp.verifier,
    };
  }

  return {
    find,

    /** Creates a user; the caller has checked the password policy and self-sign-up rules. */
    async create(input: {
      pool: Pool;
      givenUsername: string;
      password: string | null;
      attributes: Record<string, string>;
      status: UserStatus;
    }): Promise<UserRecord> {
      const { pool } = input;
      const attributes = { ...input.attributes };
      let username: string;
      if (pool.signInWith === 'email') {
        const email = input.givenUsername.trim().toLowerCase();
        if (!EMAIL.test(email)) throw invalidParameter('Username should be an email.');
        attributes.email = email;
        username = randomUUID();
      } else {
        username = input.givenUsername.trim().toLowerCase();
        if (EMAIL.test(username)) {
          throw invalidParameter(
            'Username cannot be of email format, since user pool is configured for email alias.',
          );
        }
      }
      const email = attributes.email ?? null;
      const taken =
        store.getUser(pool.id, username) ??
        (email && pool.signInWith === 'email' ? store.findUsersByEmail(pool.id, email)[0] : null);
      if (taken) {
        throw new AwsJsonError(
          'UsernameExistsException',
          pool.signInWith === 'email'
            ? 'An account with the given email already exists.'
            : 'User already exists',
        );
      }
      const sub = pool.signInWith === 'email' ? username : randomUUID();
      const createdAt = Math.floor(now() / 1000);
      let user: UserRecord = {
        poolId: pool.id,
        username,
        sub,
        email,
        status: input.status,
        enabled: true,
        passwordHash: null,
        srpSalt: null,
        srpVerifier: null,
        attributes,
        createdAt,
        updatedAt: createdAt,
      };
      if (input.password !== null) user = await withPassword(pool, user, input.password);
      store.insertUser(user);
      return user;
    },

    async setPassword(pool: Pool, user: UserRecord, password: string, status: UserStatus) {
      const updated = await withPassword(pool, user, password);
      return save({ ...updated, status });
    },

    save,
  };

  function save(user: UserRecord): UserRecord {
    const updated = {
      ...user,
      email: user.attributes.email ?? null,
      updatedAt: Math.floor(now() / 1000),
    };
    store.updateUser(updated);
    return updated;
  }
}

export type UserDirectory = ReturnType<typeof createUserDirectory>;
