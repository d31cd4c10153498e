import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export const MEMORY = ':memory:';
export const DEFAULT_DATA_DIR = '.local-cloud';

/**
 * The single storage setting: `:memory:` for tests, a directory for development. WAL with
 * synchronous=NORMAL survives a process kill (SIGKILL) without fsync on every commit; only an
 * OS crash may lose the last transactions, which is fine for a local stand-in.
 */
export function openDatabase(dataDir: string = DEFAULT_DATA_DIR): Database.Database {
  let file = MEMORY;
  if (dataDir !== MEMORY) {
    mkdirSync(dataDir, { recursive: true });
    file = path.join(dataDir, 'local-cloud.db');
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  return db;
}
