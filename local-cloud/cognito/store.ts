import type { Database } from 'better-sqlite3';

export type UserStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD' | 'RESET_REQUIRED';
export type CodePurpose = 'signup' | 'forgot-password';

export interface UserRecord {
  poolId: string;
  /** Cognito's immutable user name; a UUID (= sub) in pools that sign in with email. */
  username: string;
  sub: string;
  email: string | null;
  status: UserStatus;
  enabled: boolean;
  passwordHash: string | null;
  srpSalt: string | null;
  srpVerifier: string | null;
  attributes: Record<string, string>;
  createdAt: number;
  updatedAt: number;
}

export interface RefreshTokenRecord {
  tokenHash: string;
  poolId: string;
  clientId: string;
  username: string;
  originJti: string;
  eventId: string;
  authTime: number;
  expiresAt: number;
  revokedAt: number | null;
}

/** A pool, app client or group as configured; `name` is '' for the pool itself. */
export interface ConfiguredResource {
  poolId: string;
  kind: 'pool' | 'client' | 'group';
  name: string;
  /** Digest of the settings that resource reports; a change moves its LastModifiedDate. */
  configHash: string;
}

export interface ResourceDates {
  createdAt: number;
  updatedAt: number;
}

interface UserRow {
  pool_id: string;
  username: string;
  sub: string;
  email: string | null;
  status: UserStatus;
  enabled: number;
  password_hash: string | null;
  srp_salt: string | null;
  srp_verifier: string | null;
  attributes: string;
  created_at: number;
  updated_at: number;
}

interface RefreshRow {
  token_hash: string;
  pool_id: string;
  client_id: string;
  username: string;
  origin_jti: string;
  event_id: string;
  auth_time: number;
  expires_at: number;
  revoked_at: number | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS cognito_pool_keys (
  pool_id TEXT PRIMARY KEY,
  kid TEXT NOT NULL,
  private_jwk TEXT NOT NULL,
  public_jwk TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS cognito_users (
  pool_id TEXT NOT NULL,
  username TEXT NOT NULL,
  sub TEXT NOT NULL,
  email TEXT,
  status TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  password_hash TEXT,
  srp_salt TEXT,
  srp_verifier TEXT,
  attributes TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (pool_id, username)
);
CREATE INDEX IF NOT EXISTS cognito_users_email ON cognito_users (pool_id, email);
CREATE UNIQUE INDEX IF NOT EXISTS cognito_users_sub ON cognito_users (pool_id, sub);
CREATE TABLE IF NOT EXISTS cognito_group_members (
  pool_id TEXT NOT NULL,
  group_name TEXT NOT NULL,
  username TEXT NOT NULL,
  PRIMARY KEY (pool_id, group_name, username)
);
CREATE TABLE IF NOT EXISTS cognito_codes (
  pool_id TEXT NOT NULL,
  username TEXT NOT NULL,
  purpose TEXT NOT NULL,
  code TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (pool_id, username, purpose)
);
CREATE TABLE IF NOT EXISTS cognito_refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  pool_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  username TEXT NOT NULL,
  origin_jti TEXT NOT NULL UNIQUE,
  event_id TEXT NOT NULL,
  auth_time INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX IF NOT EXISTS cognito_refresh_user ON cognito_refresh_tokens (pool_id, username);
-- Pools, app clients and groups come from configuration, not from CreateUserPool & co., so
-- their CreationDate / LastModifiedDate are recorded here: when this database first saw each
-- one, and when it last saw it with different settings (kind: pool | client | group).
CREATE TABLE IF NOT EXISTS cognito_resource_dates (
  pool_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  config_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (pool_id, kind, name)
);
`;

const toUser = (row: UserRow): UserRecord => ({
  poolId: row.pool_id,
  username: row.username,
  sub: row.sub,
  email: row.email,
  status: row.status,
  enabled: row.enabled === 1,
  passwordHash: row.password_hash,
  srpSalt: row.srp_salt,
  srpVerifier: row.srp_verifier,
  attributes: JSON.parse(row.attributes) as Record<string, string>,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toRefresh = (row: RefreshRow): RefreshTokenRecord => ({
  tokenHash: row.token_hash,
  poolId: row.pool_id,
  clientId: row.client_id,
  username: row.username,
  originJti: row.origin_jti,
  eventId: row.event_id,
  authTime: row.auth_time,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
});

/** All SQL of the Cognito stand-in; tables are prefixed `cognito_` in the shared database. */
export function createCognitoStore(db: Database) {
  db.exec(SCHEMA);

  const stmts = {
    getKey: db.prepare<[string], { kid: string; private_jwk: string; public_jwk: string }>(
      'SELECT kid, private_jwk, public_jwk FROM cognito_pool_keys WHERE pool_id = ?',
    ),
    putKey: db.prepare(
      'INSERT OR IGNORE INTO cognito_pool_keys (pool_id, kid, private_jwk, public_jwk, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    userByName: db.prepare<[string, string], UserRow>(
      'SELECT * FROM cognito_users WHERE pool_id = ? AND username = ?',
    ),
    usersByEmail: db.prepare<[string, string], UserRow>(
      'SELECT * FROM cognito_users WHERE pool_id = ? AND email = ? ORDER BY created_at',
    ),
    listUsers: db.prepare<[string], UserRow>(
      'SELECT * FROM cognito_users WHERE pool_id = ? ORDER BY created_at, username',
    ),
    insertUser: db.prepare(
      `INSERT INTO cognito_users (pool_id, username, sub, email, status, enabled, password_hash,
        srp_salt, srp_verifier, attributes, created_at, updated_at)
       VALUES (@poolId, @username, @sub, @email, @status, @enabled, @passwordHash, @srpSalt,
        @srpVerifier, @attributes, @createdAt, @updatedAt)`,
    ),
    updateUser: db.prepare(
      `UPDATE cognito_users SET email = @email, status = @status, enabled = @enabled,
        password_hash = @passwordHash, srp_salt = @srpSalt, srp_verifier = @srpVerifier,
        attributes = @attributes, updated_at = @updatedAt
       WHERE pool_id = @poolId AND username = @username`,
    ),
    groupsOf: db.prepare<[string, string], { group_name: string }>(
      'SELECT group_name FROM cognito_group_members WHERE pool_id = ? AND username = ? ORDER BY group_name',
    ),
    addToGroup: db.prepare(
      'INSERT OR IGNORE INTO cognito_group_members (pool_id, group_name, username) VALUES (?, ?, ?)',
    ),
    removeFromGroup: db.prepare(
      'DELETE FROM cognito_group_members WHERE pool_id = ? AND group_name = ? AND username = ?',
    ),
    putCode: db.prepare(
      `INSERT OR REPLACE INTO cognito_codes (pool_id, username, purpose, code, expires_at, failed_attempts)
       VALUES (?, ?, ?, ?, ?, 0)`,
    ),
    getCode: db.prepare<
      [string, string, string],
      { code: string; expires_at: number; failed_attempts: number }
    >(
      'SELECT code, expires_at, failed_attempts FROM cognito_codes WHERE pool_id = ? AND username = ? AND purpose = ?',
    ),
    failCode: db.prepare(
      'UPDATE cognito_codes SET failed_attempts = failed_attempts + 1 WHERE pool_id = ? AND username = ? AND purpose = ?',
    ),
    deleteCode: db.prepare(
      'DELETE FROM cognito_codes WHERE pool_id = ? AND username = ? AND purpose = ?',
    ),
    putRefresh: db.prepare(
      `INSERT INTO cognito_refresh_tokens (token_hash, pool_id, client_id, username, origin_jti,
        event_id, auth_time, expires_at, revoked_at)
       VALUES (@tokenHash, @poolId, @clientId, @username, @originJti, @eventId, @authTime,
        @expiresAt, NULL)`,
    ),
    refreshByHash: db.prepare<[string], RefreshRow>(
      'SELECT * FROM cognito_refresh_tokens WHERE token_hash = ?',
    ),
    refreshByOrigin: db.prepare<[string], RefreshRow>(
      'SELECT * FROM cognito_refresh_tokens WHERE origin_jti = ?',
    ),
    revokeRefresh: db.prepare(
      'UPDATE cognito_refresh_tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL',
    ),
    revokeAllForUser: db.prepare(
      'UPDATE cognito_refresh_tokens SET revoked_at = ? WHERE pool_id = ? AND username = ? AND revoked_at IS NULL',
    ),
    countUsers: db.prepare<[string], { n: number }>(
      'SELECT COUNT(*) AS n FROM cognito_users WHERE pool_id = ?',
    ),
    oldestUser: db.prepare<[string], { t: number | null }>(
      'SELECT MIN(created_at) AS t FROM cognito_users WHERE pool_id = ?',
    ),
    insertResource: db.prepare(
      `INSERT OR IGNORE INTO cognito_resource_dates (pool_id, kind, name, config_hash, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    touchResource: db.prepare(
      `UPDATE cognito_resource_dates SET config_hash = ?, updated_at = ?
       WHERE pool_id = ? AND kind = ? AND name = ? AND config_hash <> ?`,
    ),
    getResource: db.prepare<[string, string, string], { created_at: number; updated_at: number }>(
      'SELECT created_at, updated_at FROM cognito_resource_dates WHERE pool_id = ? AND kind = ? AND name = ?',
    ),
  };

  /** Records (first sight) or refreshes (changed settings) one configured resource's dates. */
  const recordResource = (resource: ConfiguredResource, firstSeen: number, now: number) => {
    const { poolId, kind, name, configHash } = resource;
    const inserted =
      stmts.insertResource.run(poolId, kind, name, configHash, firstSeen, firstSeen).changes > 0;
    stmts.touchResource.run(configHash, now, poolId, kind, name, configHash);
    const row = stmts.getResource.get(poolId, kind, name)!;
    return { inserted, dates: { createdAt: row.created_at, updatedAt: row.updated_at } };
  };

  const userParams = (user: UserRecord) => ({
    ...user,
    enabled: user.enabled ? 1 : 0,
    attributes: JSON.stringify(user.attributes),
  });

  return {
    getSigningKey(poolId: string) {
      const row = stmts.getKey.get(poolId);
      return row ? { kid: row.kid, privateJwk: row.private_jwk, publicJwk: row.public_jwk } : null;
    },
    /** First writer wins, so two processes on one file agree on a pool's key. */
    putSigningKey(poolId: string, kid: string, privateJwk: string, publicJwk: string, now: number) {
      stmts.putKey.run(poolId, kid, privateJwk, publicJwk, now);
    },
    getUser(poolId: string, username: string): UserRecord | null {
      const row = stmts.userByName.get(poolId, username);
      return row ? toUser(row) : null;
    },
    findUsersByEmail(poolId: string, email: string): UserRecord[] {
      return stmts.usersByEmail.all(poolId, email).map(toUser);
    },
    listUsers(poolId: string): UserRecord[] {
      return stmts.listUsers.all(poolId).map(toUser);
    },
    insertUser(user: UserRecord) {
      stmts.insertUser.run(userParams(user));
    },
    updateUser(user: UserRecord) {
      stmts.updateUser.run(userParams(user));
    },
    groupsOf(poolId: string, username: string): string[] {
      return stmts.groupsOf.all(poolId, username).map((row) => row.group_name);
    },
    addToGroup(poolId: string, group: string, username: string) {
      stmts.addToGroup.run(poolId, group, username);
    },
    removeFromGroup(poolId: string, group: string, username: string) {
      stmts.removeFromGroup.run(poolId, group, username);
    },
    putCode(
      poolId: string,
      username: string,
      purpose: CodePurpose,
      code: string,
      expiresAt: number,
    ) {
      stmts.putCode.run(poolId, username, purpose, code, expiresAt);
    },
    getCode(poolId: string, username: string, purpose: CodePurpose) {
      const row = stmts.getCode.get(poolId, username, purpose);
      return row
        ? { code: row.code, expiresAt: row.expires_at, failedAttempts: row.failed_attempts }
        : null;
    },
    recordFailedCode(poolId: string, username: string, purpose: CodePurpose) {
      stmts.failCode.run(poolId, username, purpose);
    },
    deleteCode(poolId: string, username: string, purpose: CodePurpose) {
      stmts.deleteCode.run(poolId, username, purpose);
    },
    putRefreshToken(record: Omit<RefreshTokenRecord, 'revokedAt'>) {
      stmts.putRefresh.run(record);
    },
    getRefreshToken(tokenHash: string): RefreshTokenRecord | null {
      const row = stmts.refreshByHash.get(tokenHash);
      return row ? toRefresh(row) : null;
    },
    getRefreshTokenByOrigin(originJti: string): RefreshTokenRecord | null {
      const row = stmts.refreshByOrigin.get(originJti);
      return row ? toRefresh(row) : null;
    },
    revokeRefreshToken(tokenHash: string, now: number) {
      stmts.revokeRefresh.run(now, tokenHash);
    },
    revokeAllForUser(poolId: string, username: string, now: number) {
      stmts.revokeAllForUser.run(now, poolId, username);
    },
    countUsers(poolId: string): number {
      return stmts.countUsers.get(poolId)?.n ?? 0;
    },
    /** Epoch seconds of the pool's oldest user, or null for an empty pool. */
    oldestUserCreatedAt(poolId: string): number | null {
      return stmts.oldestUser.get(poolId)?.t ?? null;
    },
    /**
     * Dates (epoch seconds) of a configured pool and its clients and groups, in one transaction
     * so that two processes on one file agree. A pool not seen before, and the children that
     * come with it, are dated `firstSeen`; a child added to the configuration later is dated
     * `now`. A resource whose `configHash` changed since it was last seen is modified `now`.
     */
    resourceDates: db.transaction(
      (
        pool: ConfiguredResource,
        children: ConfiguredResource[],
        firstSeen: number,
        now: number,
      ): { pool: ResourceDates; children: ResourceDates[] } => {
        const recorded = recordResource(pool, firstSeen, now);
        const childFirstSeen = recorded.inserted ? firstSeen : now;
        return {
          pool: recorded.dates,
          children: children.map((child) => recordResource(child, childFirstSeen, now).dates),
        };
      },
    ),
  };
}

export type CognitoStore = ReturnType<typeof createCognitoStore>;
