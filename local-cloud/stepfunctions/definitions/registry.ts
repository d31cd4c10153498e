import { randomUUID } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type { StateMachineDefinition } from '../language/asl';

/**
 * The state machines of the account, persisted in the data dir: one row per machine, one per
 * revision of its definition. Executions name the revision they started on, so a running
 * execution keeps its definition when the machine is updated, and DescribeStateMachineForExecution
 * and RedriveExecution read exactly what it ran, as in AWS:
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_UpdateStateMachine.html
 */

export type StateMachineStatus = 'ACTIVE' | 'DELETING';

/** The parts of a machine's configuration that CreateStateMachine's idempotency check compares. */
export interface MachineConfig {
  type: 'STANDARD' | 'EXPRESS';
  loggingConfiguration: Record<string, unknown>;
  tracingConfiguration: Record<string, unknown>;
  description?: string;
}

export interface StateMachineRecord extends MachineConfig {
  arn: string;
  name: string;
  roleArn: string;
  status: StateMachineStatus;
  creationDate: number;
  revisionId: string;
  /** When the current revision was made (creation or the last UpdateStateMachine). */
  updateDate: number;
}

/** One revision, parsed: what an execution runs. */
export interface LoadedStateMachine {
  name: string;
  arn: string;
  definition: StateMachineDefinition;
  /** The definition as the caller sent it, for Describe*. */
  definitionText: string;
  roleArn: string;
  revisionId: string;
  /** When this revision was made. */
  revisionDate: number;
  createdAt: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sfn_state_machines (
  arn TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role_arn TEXT NOT NULL,
  status TEXT NOT NULL,
  creation_date INTEGER NOT NULL,
  revision_id TEXT NOT NULL,
  config TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sfn_revisions (
  revision_id TEXT PRIMARY KEY,
  state_machine_arn TEXT NOT NULL,
  definition TEXT NOT NULL,
  role_arn TEXT NOT NULL,
  created INTEGER NOT NULL
);
`;

interface MachineRow {
  arn: string;
  name: string;
  role_arn: string;
  status: StateMachineStatus;
  creation_date: number;
  revision_id: string;
  config: string;
  created: number;
}

interface RevisionRow {
  revision_id: string;
  state_machine_arn: string;
  definition: string;
  role_arn: string;
  created: number;
}

export class StateMachineRegistry {
  private readonly s: Record<string, Statement>;
  /** Parsed revisions: immutable once written, so they can be cached for good. */
  private readonly parsed = new Map<string, LoadedStateMachine>();
  /**
   * Machines as last read (undefined: not read yet, null: absent). This process is the only
   * writer of its data dir, and every write below drops the entry: StartExecution reads the
   * machine on every call, and a query plus a JSON parse there showed in the profile.
   */
  private readonly records = new Map<string, StateMachineRecord | null>();

  constructor(private readonly db: Database) {
    db.exec(SCHEMA);
    const prepare = (sql: string) => db.prepare(sql);
    this.s = {
      get: prepare(`SELECT m.*, r.created FROM sfn_state_machines m
        JOIN sfn_revisions r ON r.revision_id = m.revision_id WHERE m.arn = ?`),
      list: prepare(`SELECT m.*, r.created FROM sfn_state_machines m
        JOIN sfn_revisions r ON r.revision_id = m.revision_id ORDER BY m.name`),
      insert:
        prepare(`INSERT INTO sfn_state_machines (arn, name, role_arn, status, creation_date, revision_id, config)
        VALUES (@arn, @name, @roleArn, 'ACTIVE', @creationDate, @revisionId, @config)`),
      setRevision:
        prepare(`UPDATE sfn_state_machines SET revision_id = @revisionId, role_arn = @roleArn,
        config = @config WHERE arn = @arn`),
      setStatus: prepare('UPDATE sfn_state_machines SET status = @status WHERE arn = @arn'),
      remove: prepare('DELETE FROM sfn_state_machines WHERE arn = ?'),
      insertRevision:
        prepare(`INSERT INTO sfn_revisions (revision_id, state_machine_arn, definition, role_arn, created)
        VALUES (@revisionId, @arn, @definition, @roleArn, @created)`),
      revision: prepare('SELECT * FROM sfn_revisions WHERE revision_id = ?'),
    };
  }

  get(arn: string): StateMachineRecord | undefined {
    let record = this.records.get(arn);
    if (record === undefined) {
      const row = this.s.get!.get(arn) as MachineRow | undefined;
      record = row ? toRecord(row) : null;
      this.records.set(arn, record);
    }
    return record ?? undefined;
  }

  list(): StateMachineRecord[] {
    return (this.s.list!.all() as MachineRow[]).map(toRecord);
  }

  /** The definition of the machine's current revision. */
  current(arn: string): LoadedStateMachine | undefined {
    const record = this.get(arn);
    return record && this.revision(record.revisionId);
  }

  revision(revisionId: string): LoadedStateMachine | undefined {
    const cached = this.parsed.get(revisionId);
    if (cached) return cached;
    const row = this.s.revision!.get(revisionId) as RevisionRow | undefined;
    if (!row) return undefined;
    const machine = this.s.get!.get(row.state_machine_arn) as MachineRow | undefined;
    const arn = row.state_machine_arn;
    const loaded: LoadedStateMachine = {
      name: arn.slice(arn.lastIndexOf(':') + 1),
      arn,
      definition: JSON.parse(row.definition) as StateMachineDefinition,
      definitionText: row.definition,
      roleArn: row.role_arn,
      revisionId: row.revision_id,
      revisionDate: row.created,
      createdAt: machine?.creation_date ?? row.created,
    };
    this.parsed.set(revisionId, loaded);
    return loaded;
  }

  /** Inserts a new machine with its first revision; the caller has validated everything. */
  insert(
    input: { arn: string; name: string; definition: string; roleArn: string } & MachineConfig,
    now: number,
  ): StateMachineRecord {
    this.db.transaction(() => {
      const revisionId = this.addRevision(input.arn, input, now);
      this.s.insert!.run({
        arn: input.arn,
        name: input.name,
        roleArn: input.roleArn,
        creationDate: now,
        revisionId,
        config: JSON.stringify(configOf(input)),
      });
    })();
    return this.get(input.arn)!;
  }

  /** A new revision (definition and/or role); configuration changes ride along. */
  update(
    arn: string,
    change: { definition: string; roleArn: string; config: MachineConfig },
    now: number,
  ): StateMachineRecord {
    this.db.transaction(() => {
      const revisionId = this.addRevision(arn, change, now);
      this.s.setRevision!.run({
        arn,
        revisionId,
        roleArn: change.roleArn,
        config: JSON.stringify(configOf(change.config)),
      });
    })();
    return this.get(arn)!;
  }

  /** Writes a revision of `arn` (inside the caller's transaction) and forgets the cached row. */
  private addRevision(
    arn: string,
    revision: { definition: string; roleArn: string },
    now: number,
  ): string {
    const revisionId = randomUUID();
    this.s.insertRevision!.run({
      revisionId,
      arn,
      definition: revision.definition,
      roleArn: revision.roleArn,
      created: now,
    });
    this.records.delete(arn);
    return revisionId;
  }

  markDeleting(arn: string): void {
    this.records.delete(arn);
    this.s.setStatus!.run({ arn, status: 'DELETING' });
  }

  /** Removes the machine; its revisions stay, since its past executions still name them. */
  remove(arn: string): void {
    this.records.delete(arn);
    this.s.remove!.run(arn);
  }
}

function configOf(input: MachineConfig): MachineConfig {
  return {
    type: input.type,
    loggingConfiguration: input.loggingConfiguration,
    tracingConfiguration: input.tracingConfiguration,
    ...(input.description !== undefined ? { description: input.description } : {}),
  };
}

function toRecord(row: MachineRow): StateMachineRecord {
  const config = JSON.parse(row.config) as MachineConfig;
  return {
    ...config,
    arn: row.arn,
    name: row.name,
    roleArn: row.role_arn,
    status: row.status,
    creationDate: row.creation_date,
    revisionId: row.revision_id,
    updateDate: row.created,
  };
}
