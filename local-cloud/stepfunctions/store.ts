import type { Database, Statement } from 'better-sqlite3';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** Where a RUNNING execution picks up after a restart, beyond "re-run the current state". */
export interface ResumePoint {
  /** Per-retrier attempt counters and the total ($$.State.RetryCount). */
  retryCounters?: number[];
  retryCount?: number;
  /** Wall-clock ms (already time-scaled) when the pending retry or Wait ends. */
  resumeAt?: number;
  /** Open task token of the current `.waitForTaskToken` task: do not re-invoke its handler. */
  token?: string;
}

export interface ExecutionRecord {
  arn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  input: string;
  output: string | null;
  error: string | null;
  cause: string | null;
  startDate: number;
  stopDate: number | null;
  currentState: string | null;
  stateInput: string | null;
  stateEnteredAt: number | null;
  resume: ResumePoint | null;
  timeoutAt: number | null;
  /** The state machine revision the execution runs (null: written before revisions existed). */
  revisionId: string | null;
  redriveCount: number;
  redriveDate: number | null;
}

/** One history event as stored: AWS shape, except `timestamp` in ms (converted on the wire). */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  type: string;
  timestamp: number;
  [details: string]: unknown;
}

export type TokenStatus = 'open' | 'succeeded' | 'failed' | 'timed_out' | 'closed';

export interface TokenRecord {
  token: string;
  executionArn: string;
  stateName: string;
  status: TokenStatus;
  output: string | null;
  error: string | null;
  cause: string | null;
  /** Wall-clock ms (time-scaled) deadlines; null = none. */
  timeoutAt: number | null;
  heartbeatAt: number | null;
  /** Scaled heartbeat interval in ms, to push `heartbeatAt` on SendTaskHeartbeat. */
  heartbeatMs: number | null;
}

interface ExecutionRow {
  arn: string;
  state_machine_arn: string;
  name: string;
  status: ExecutionStatus;
  input: string;
  output: string | null;
  error: string | null;
  cause: string | null;
  start_date: number;
  stop_date: number | null;
  current_state: string | null;
  state_input: string | null;
  state_entered_at: number | null;
  resume: string | null;
  timeout_at: number | null;
  revision_id: string | null;
  redrive_count: number;
  redrive_date: number | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sfn_executions (
  arn TEXT PRIMARY KEY,
  state_machine_arn TEXT NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  input TEXT NOT NULL,
  output TEXT, error TEXT, cause TEXT,
  start_date INTEGER NOT NULL,
  stop_date INTEGER,
  current_state TEXT, state_input TEXT, state_entered_at INTEGER,
  resume TEXT,
  timeout_at INTEGER,
  revision_id TEXT,
  redrive_count INTEGER NOT NULL DEFAULT 0,
  redrive_date INTEGER
);
CREATE INDEX IF NOT EXISTS sfn_executions_by_machine ON sfn_executions (state_machine_arn, start_date);
CREATE INDEX IF NOT EXISTS sfn_executions_running ON sfn_executions (status) WHERE status = 'RUNNING';
CREATE TABLE IF NOT EXISTS sfn_history (
  execution_arn TEXT NOT NULL,
  id INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (execution_arn, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sfn_task_tokens (
  token TEXT PRIMARY KEY,
  execution_arn TEXT NOT NULL,
  state_name TEXT NOT NULL,
  status TEXT NOT NULL,
  output TEXT, error TEXT, cause TEXT,
  timeout_at INTEGER, heartbeat_at INTEGER, heartbeat_ms INTEGER
);
CREATE INDEX IF NOT EXISTS sfn_task_tokens_by_execution ON sfn_task_tokens (execution_arn, status);
`;

function toRecord(row: ExecutionRow): ExecutionRecord {
  return {
    arn: row.arn,
    stateMachineArn: row.state_machine_arn,
    name: row.name,
    status: row.status,
    input: row.input,
    output: row.output,
    error: row.error,
    cause: row.cause,
    startDate: row.start_date,
    stopDate: row.stop_date,
    currentState: row.current_state,
    stateInput: row.state_input,
    stateEnteredAt: row.state_entered_at,
    resume: row.resume ? (JSON.parse(row.resume) as ResumePoint) : null,
    timeoutAt: row.timeout_at,
    revisionId: row.revision_id,
    redriveCount: row.redrive_count,
    redriveDate: row.redrive_date,
  };
}

/** Columns added after the first data dirs were written: added in place, existing rows kept. */
const ADDED_COLUMNS: Record<string, string> = {
  revision_id: 'TEXT',
  redrive_count: 'INTEGER NOT NULL DEFAULT 0',
  redrive_date: 'INTEGER',
};

function migrate(db: Database): void {
  const columns = new Set(
    (db.prepare('PRAGMA table_info(sfn_executions)').all() as { name: string }[]).map(
      (c) => c.name,
    ),
  );
  for (const [name, type] of Object.entries(ADDED_COLUMNS)) {
    if (!columns.has(name)) db.exec(`ALTER TABLE sfn_executions ADD COLUMN ${name} ${type}`);
  }
}

/**
 * Everything the Step Functions stand-in persists, written as it happens (synchronously, so an
 * event is readable through GetExecutionHistory the moment it is emitted). Tables are prefixed
 * `sfn_` in the shared database.
 */
export class ExecutionStore {
  private readonly s: Record<string, Statement>;
  /**
   * History events, checkpoints and resume points wait here until the end of the current tick
   * and are then committed together: one commit per burst instead of one per event (commits were
   * the benchmark's main cost). Every read and every other write flushes first, so readers never
   * miss an event and rows keep their order. A SIGKILL loses at most the last tick's writes: the
   * execution then resumes from its previous checkpoint and re-runs that state (at-least-once).
   * Writes that must be durable before a side effect (a new execution, a task token handed to a
   * handler, a terminal status) are direct.
   */
  private pending: Array<() => void> = [];
  private flushScheduled = false;

  constructor(private readonly db: Database) {
    db.exec(SCHEMA);
    migrate(db);
    const prepare = (sql: string) => db.prepare(sql);
    this.s = {
      insert:
        prepare(`INSERT INTO sfn_executions (arn, state_machine_arn, name, status, input, start_date, timeout_at, revision_id)
        VALUES (@arn, @stateMachineArn, @name, 'RUNNING', @input, @startDate, @timeoutAt, @revisionId)`),
      get: prepare('SELECT * FROM sfn_executions WHERE arn = ?'),
      list: prepare(`SELECT arn, state_machine_arn, name, status, start_date, stop_date, redrive_count, redrive_date FROM sfn_executions
        WHERE state_machine_arn = @machine AND (@status IS NULL OR status = @status)
          AND (@redriven IS NULL OR (redrive_count > 0) = @redriven)
        ORDER BY start_date DESC, rowid DESC LIMIT @limit OFFSET @offset`),
      running: prepare("SELECT * FROM sfn_executions WHERE status = 'RUNNING' ORDER BY start_date"),
      checkpoint: prepare(`UPDATE sfn_executions SET current_state = @state, state_input = @input,
        state_entered_at = @enteredAt, resume = NULL WHERE arn = @arn`),
      resume: prepare('UPDATE sfn_executions SET resume = @resume WHERE arn = @arn'),
      reopen: prepare(`UPDATE sfn_executions SET status = 'RUNNING', output = NULL, error = NULL,
        cause = NULL, stop_date = NULL, resume = NULL, timeout_at = @timeoutAt,
        redrive_count = redrive_count + 1, redrive_date = @now WHERE arn = @arn AND status = @status`),
      finish: prepare(`UPDATE sfn_executions SET status = @status, output = @output, error = @error,
        cause = @cause, stop_date = @stopDate, resume = NULL WHERE arn = @arn AND status = 'RUNNING'`),
      appendEvent: prepare('INSERT INTO sfn_history (execution_arn, id, body) VALUES (?, ?, ?)'),
      maxEventId: prepare(
        'SELECT COALESCE(MAX(id), 0) AS id FROM sfn_history WHERE execution_arn = ?',
      ),
      historyAsc: prepare(`SELECT body FROM sfn_history WHERE execution_arn = @arn AND id > @after
        ORDER BY id LIMIT @limit`),
      historyDesc: prepare(`SELECT body FROM sfn_history WHERE execution_arn = @arn AND id < @before
        ORDER BY id DESC LIMIT @limit`),
      insertToken:
        prepare(`INSERT INTO sfn_task_tokens (token, execution_arn, state_name, status, timeout_at, heartbeat_at, heartbeat_ms)
        VALUES (@token, @executionArn, @stateName, 'open', @timeoutAt, @heartbeatAt, @heartbeatMs)`),
      getToken: prepare('SELECT * FROM sfn_task_tokens WHERE token = ?'),
      closeToken:
        prepare(`UPDATE sfn_task_tokens SET status = @status, output = @output, error = @error,
        cause = @cause WHERE token = @token AND status = 'open'`),
      heartbeat: prepare(
        "UPDATE sfn_task_tokens SET heartbeat_at = @at WHERE token = @token AND status = 'open'",
      ),
      closeTokensFor: prepare(
        "UPDATE sfn_task_tokens SET status = 'closed' WHERE execution_arn = ? AND status = 'open'",
      ),
    };
  }

  transaction<T>(fn: () => T): T {
    this.flush();
    return this.db.transaction(fn)();
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.db.transaction(() => {
      for (const write of batch) write();
    })();
  }

  insertExecution(
    rec: Pick<
      ExecutionRecord,
      'arn' | 'stateMachineArn' | 'name' | 'input' | 'startDate' | 'timeoutAt' | 'revisionId'
    >,
  ): void {
    this.flush();
    this.s.insert!.run(rec);
  }

  getExecution(arn: string): ExecutionRecord | undefined {
    this.flush();
    const row = this.s.get!.get(arn) as ExecutionRow | undefined;
    return row && toRecord(row);
  }

  /** `redriven`: only executions redriven at least once (true), never redriven (false), or all. */
  listExecutions(
    machine: string,
    filter: { status: ExecutionStatus | null; redriven: boolean | null },
    offset: number,
    limit: number,
  ) {
    this.flush();
    const redriven = filter.redriven === null ? null : filter.redriven ? 1 : 0;
    const rows = this.s.list!.all({ machine, status: filter.status, redriven, offset, limit });
    return (rows as ExecutionRow[]).map((row) => ({
      arn: row.arn,
      stateMachineArn: row.state_machine_arn,
      name: row.name,
      status: row.status,
      startDate: row.start_date,
      stopDate: row.stop_date,
      redriveCount: row.redrive_count,
      redriveDate: row.redrive_date,
    }));
  }

  runningExecutions(): ExecutionRecord[] {
    this.flush();
    return (this.s.running!.all() as ExecutionRow[]).map(toRecord);
  }

  checkpoint(arn: string, state: string, input: string, enteredAt: number): void {
    this.later(() => this.s.checkpoint!.run({ arn, state, input, enteredAt }));
  }

  setResume(arn: string, resume: ResumePoint | null): void {
    const text = resume ? JSON.stringify(resume) : null;
    this.later(() => this.s.resume!.run({ arn, resume: text }));
  }

  /** RedriveExecution: back to RUNNING, counted; false if the row left `status` meanwhile. */
  reopen(arn: string, status: ExecutionStatus, now: number, timeoutAt: number | null): boolean {
    this.flush();
    return this.s.reopen!.run({ arn, status, now, timeoutAt }).changes > 0;
  }

  /** Returns false if the execution was no longer RUNNING (terminal states are written once). */
  finish(
    arn: string,
    status: ExecutionStatus,
    fields: { output?: string | null; error?: string | null; cause?: string | null },
    stopDate: number,
  ): boolean {
    this.flush();
    const changed = this.s.finish!.run({
      arn,
      status,
      output: fields.output ?? null,
      error: fields.error ?? null,
      cause: fields.cause ?? null,
      stopDate,
    }).changes;
    if (changed > 0) this.s.closeTokensFor!.run(arn);
    return changed > 0;
  }

  appendEvent(arn: string, event: HistoryEvent): void {
    const body = JSON.stringify(event);
    this.later(() => this.s.appendEvent!.run(arn, event.id, body));
  }

  /** Group commit (see `pending`); inside a transaction the write joins it at once. */
  private later(write: () => void): void {
    if (this.db.inTransaction) {
      write();
      return;
    }
    this.pending.push(write);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        if (this.db.open) this.flush();
      });
    }
  }

  lastEventId(arn: string): number {
    this.flush();
    return (this.s.maxEventId!.get(arn) as { id: number }).id;
  }

  /** Events after `cursor` (ascending) or before it (descending); cursor is an event id. */
  history(
    arn: string,
    cursor: number | undefined,
    reverse: boolean,
    limit: number,
  ): HistoryEvent[] {
    this.flush();
    const rows = reverse
      ? this.s.historyDesc!.all({ arn, before: cursor ?? Number.MAX_SAFE_INTEGER, limit })
      : this.s.historyAsc!.all({ arn, after: cursor ?? 0, limit });
    return (rows as { body: string }[]).map((r) => JSON.parse(r.body) as HistoryEvent);
  }

  insertToken(
    rec: Pick<
      TokenRecord,
      'token' | 'executionArn' | 'stateName' | 'timeoutAt' | 'heartbeatAt' | 'heartbeatMs'
    >,
  ): void {
    this.flush();
    this.s.insertToken!.run(rec);
  }

  getToken(token: string): TokenRecord | undefined {
    this.flush();
    const row = this.s.getToken!.get(token) as Record<string, unknown> | undefined;
    if (!row) return undefined;
    return {
      token: row.token as string,
      executionArn: row.execution_arn as string,
      stateName: row.state_name as string,
      status: row.status as TokenStatus,
      output: row.output as string | null,
      error: row.error as string | null,
      cause: row.cause as string | null,
      timeoutAt: row.timeout_at as number | null,
      heartbeatAt: row.heartbeat_at as number | null,
      heartbeatMs: row.heartbeat_ms as number | null,
    };
  }

  /** Compare-and-set from `open`: true if this call closed the token. */
  closeToken(
    token: string,
    status: Exclude<TokenStatus, 'open'>,
    fields: { output?: string; error?: string; cause?: string } = {},
  ): boolean {
    this.flush();
    return (
      this.s.closeToken!.run({
        token,
        status,
        output: fields.output ?? null,
        error: fields.error ?? null,
        cause: fields.cause ?? null,
      }).changes > 0
    );
  }

  heartbeat(token: string, at: number): boolean {
    this.flush();
    return this.s.heartbeat!.run({ token, at }).changes > 0;
  }

  closeTokensFor(arn: string): void {
    this.flush();
    this.s.closeTokensFor!.run(arn);
  }
}
