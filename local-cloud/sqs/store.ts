import type { Database, Statement } from 'better-sqlite3';
import type { QueueAttributes } from './attributes';
import type { MessageAttributes } from './md5';

export interface QueueRecord {
  name: string;
  fifo: boolean;
  attributes: QueueAttributes;
  tags: Record<string, string>;
  createdAt: number;
  modifiedAt: number;
  purgedAt: number | null;
}

export interface MessageRecord {
  /** Insertion order: the FIFO sequence number and the key a receipt handle names. */
  seq: number;
  queue: string;
  id: string;
  body: string;
  attributes: MessageAttributes | undefined;
  systemAttributes: MessageAttributes | undefined;
  md5OfBody: string;
  sentAt: number;
  senderId: string;
  /** Clock ms (time-scaled) from which the message can be received. */
  visibleAt: number;
  receiveCount: number;
  firstReceiveAt: number | null;
  /** Nonce of the latest receive; null until first received (or after a move). */
  receipt: string | null;
  groupId: string | null;
  dedupId: string | null;
  /** ARN of the queue a dead-lettered message came from (DeadLetterQueueSourceArn). */
  sourceArn: string | null;
}

export type NewMessage = Omit<MessageRecord, 'seq' | 'receiveCount' | 'firstReceiveAt' | 'receipt'>;

export type MoveTaskStatus = 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';

export interface MoveTaskRecord {
  handle: string;
  sourceArn: string;
  destinationArn: string | null;
  rate: number | null;
  status: MoveTaskStatus;
  moved: number;
  toMove: number;
  /** Only messages already in the DLQ when the task started move (seq ≤ this). */
  maxSeq: number;
  startedAt: number;
  failureReason: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sqs_queues (
  name TEXT PRIMARY KEY,
  fifo INTEGER NOT NULL,
  attributes TEXT NOT NULL,
  tags TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  modified_at INTEGER NOT NULL,
  purged_at INTEGER
);
CREATE TABLE IF NOT EXISTS sqs_messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  queue TEXT NOT NULL,
  id TEXT NOT NULL,
  body TEXT NOT NULL,
  attributes TEXT,
  system_attributes TEXT,
  md5_body TEXT NOT NULL,
  sent_at INTEGER NOT NULL,
  sender_id TEXT NOT NULL,
  visible_at INTEGER NOT NULL,
  receive_count INTEGER NOT NULL DEFAULT 0,
  first_receive_at INTEGER,
  receipt TEXT,
  group_id TEXT,
  dedup_id TEXT,
  source_arn TEXT
);
CREATE INDEX IF NOT EXISTS sqs_messages_visible ON sqs_messages (queue, visible_at, seq);
CREATE TABLE IF NOT EXISTS sqs_dedup (
  queue TEXT NOT NULL,
  key TEXT NOT NULL,
  message_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (queue, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sqs_move_tasks (
  handle TEXT PRIMARY KEY,
  source_arn TEXT NOT NULL,
  destination_arn TEXT,
  rate INTEGER,
  status TEXT NOT NULL,
  moved INTEGER NOT NULL,
  to_move INTEGER NOT NULL,
  max_seq INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  failure_reason TEXT
);
CREATE INDEX IF NOT EXISTS sqs_move_tasks_by_source ON sqs_move_tasks (source_arn, started_at);
`;

interface QueueRow {
  name: string;
  fifo: number;
  attributes: string;
  tags: string;
  created_at: number;
  modified_at: number;
  purged_at: number | null;
}

interface MessageRow {
  seq: number;
  queue: string;
  id: string;
  body: string;
  attributes: string | null;
  system_attributes: string | null;
  md5_body: string;
  sent_at: number;
  sender_id: string;
  visible_at: number;
  receive_count: number;
  first_receive_at: number | null;
  receipt: string | null;
  group_id: string | null;
  dedup_id: string | null;
  source_arn: string | null;
}

interface MoveTaskRow {
  handle: string;
  source_arn: string;
  destination_arn: string | null;
  rate: number | null;
  status: MoveTaskStatus;
  moved: number;
  to_move: number;
  max_seq: number;
  started_at: number;
  failure_reason: string | null;
}

const json = <T>(text: string | null): T | undefined =>
  text === null ? undefined : (JSON.parse(text) as T);

function toMessage(row: MessageRow): MessageRecord {
  return {
    seq: row.seq,
    queue: row.queue,
    id: row.id,
    body: row.body,
    attributes: json(row.attributes),
    systemAttributes: json(row.system_attributes),
    md5OfBody: row.md5_body,
    sentAt: row.sent_at,
    senderId: row.sender_id,
    visibleAt: row.visible_at,
    receiveCount: row.receive_count,
    firstReceiveAt: row.first_receive_at,
    receipt: row.receipt,
    groupId: row.group_id,
    dedupId: row.dedup_id,
    sourceArn: row.source_arn,
  };
}

function toTask(row: MoveTaskRow): MoveTaskRecord {
  return {
    handle: row.handle,
    sourceArn: row.source_arn,
    destinationArn: row.destination_arn,
    rate: row.rate,
    status: row.status,
    moved: row.moved,
    toMove: row.to_move,
    maxSeq: row.max_seq,
    startedAt: row.started_at,
    failureReason: row.failure_reason,
  };
}

/**
 * Everything SQS keeps, in `sqs_` tables of the shared database. Every write is committed before
 * the call that made it answers (a batch in one transaction), so a SIGKILL loses no message a
 * caller was told about; in-flight state is the persisted `visible_at`, so after a restart a
 * received message comes back once its visibility timeout has passed, with no timer to restore.
 */
export class SqsStore {
  private readonly s: Record<string, Statement>;

  constructor(private readonly db: Database) {
    db.exec(SCHEMA);
    const prepare = (sql: string) => db.prepare(sql);
    this.s = {
      queues: prepare('SELECT * FROM sqs_queues ORDER BY name'),
      insertQueue:
        prepare(`INSERT INTO sqs_queues (name, fifo, attributes, tags, created_at, modified_at)
        VALUES (@name, @fifo, @attributes, @tags, @createdAt, @modifiedAt)`),
      updateQueue: prepare(`UPDATE sqs_queues SET attributes = @attributes, tags = @tags,
        modified_at = @modifiedAt, purged_at = @purgedAt WHERE name = @name`),
      deleteQueue: prepare('DELETE FROM sqs_queues WHERE name = ?'),
      deleteQueueMessages: prepare('DELETE FROM sqs_messages WHERE queue = ?'),
      deleteQueueDedup: prepare('DELETE FROM sqs_dedup WHERE queue = ?'),
      insertMessage:
        prepare(`INSERT INTO sqs_messages (queue, id, body, attributes, system_attributes,
        md5_body, sent_at, sender_id, visible_at, group_id, dedup_id, source_arn)
        VALUES (@queue, @id, @body, @attributes, @systemAttributes, @md5OfBody, @sentAt, @senderId,
        @visibleAt, @groupId, @dedupId, @sourceArn)`),
      visible: prepare(`SELECT * FROM sqs_messages WHERE queue = ? AND visible_at <= ?
        ORDER BY visible_at, seq LIMIT ?`),
      inOrder: prepare('SELECT * FROM sqs_messages WHERE queue = ? ORDER BY seq LIMIT ?'),
      get: prepare('SELECT * FROM sqs_messages WHERE seq = ?'),
      markReceived: prepare(`UPDATE sqs_messages SET visible_at = @visibleAt,
        receive_count = receive_count + 1, receipt = @receipt,
        first_receive_at = COALESCE(first_receive_at, @now) WHERE seq = @seq`),
      setVisibleAt: prepare('UPDATE sqs_messages SET visible_at = ? WHERE seq = ?'),
      deleteMessage: prepare('DELETE FROM sqs_messages WHERE seq = ?'),
      move: prepare(`UPDATE sqs_messages SET queue = @queue, visible_at = @visibleAt, receive_count = 0,
        first_receive_at = NULL, receipt = NULL, source_arn = @sourceArn WHERE seq = @seq`),
      counts: prepare(`SELECT
          COALESCE(SUM(visible_at <= @now), 0) AS visible,
          COALESCE(SUM(visible_at > @now AND receipt IS NOT NULL), 0) AS inFlight,
          COALESCE(SUM(visible_at > @now AND receipt IS NULL), 0) AS delayed
        FROM sqs_messages WHERE queue = @queue`),
      nextVisible: prepare(
        'SELECT MIN(visible_at) AS at FROM sqs_messages WHERE queue = ? AND visible_at > ?',
      ),
      expire: prepare('DELETE FROM sqs_messages WHERE queue = ? AND sent_at < ?'),
      dedup: prepare('SELECT * FROM sqs_dedup WHERE queue = ? AND key = ? AND expires_at > ?'),
      putDedup: prepare(`INSERT OR REPLACE INTO sqs_dedup (queue, key, message_id, seq, expires_at)
        VALUES (?, ?, ?, ?, ?)`),
      dropDedup: prepare('DELETE FROM sqs_dedup WHERE expires_at <= ?'),
      maxSeq: prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM sqs_messages WHERE queue = ?'),
      countUpTo: prepare('SELECT COUNT(*) AS n FROM sqs_messages WHERE queue = ? AND seq <= ?'),
      movable: prepare(`SELECT * FROM sqs_messages WHERE queue = ? AND seq <= ? AND visible_at <= ?
        ORDER BY seq LIMIT ?`),
      insertTask: prepare(`INSERT INTO sqs_move_tasks (handle, source_arn, destination_arn, rate,
        status, moved, to_move, max_seq, started_at) VALUES (@handle, @sourceArn, @destinationArn,
        @rate, @status, @moved, @toMove, @maxSeq, @startedAt)`),
      updateTask: prepare(`UPDATE sqs_move_tasks SET status = @status, moved = @moved,
        failure_reason = @failureReason WHERE handle = @handle`),
      task: prepare('SELECT * FROM sqs_move_tasks WHERE handle = ?'),
      tasksOf: prepare(
        'SELECT * FROM sqs_move_tasks WHERE source_arn = ? ORDER BY started_at DESC, rowid DESC LIMIT ?',
      ),
      runningTasks: prepare(
        "SELECT * FROM sqs_move_tasks WHERE status IN ('RUNNING', 'CANCELLING')",
      ),
    };
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  queues(): QueueRecord[] {
    return (this.s.queues!.all() as QueueRow[]).map((row) => ({
      name: row.name,
      fifo: row.fifo === 1,
      attributes: JSON.parse(row.attributes) as QueueAttributes,
      tags: JSON.parse(row.tags) as Record<string, string>,
      createdAt: row.created_at,
      modifiedAt: row.modified_at,
      purgedAt: row.purged_at,
    }));
  }

  insertQueue(queue: QueueRecord): void {
    this.s.insertQueue!.run({
      name: queue.name,
      fifo: queue.fifo ? 1 : 0,
      attributes: JSON.stringify(queue.attributes),
      tags: JSON.stringify(queue.tags),
      createdAt: queue.createdAt,
      modifiedAt: queue.modifiedAt,
    });
  }

  updateQueue(queue: QueueRecord): void {
    this.s.updateQueue!.run({
      name: queue.name,
      attributes: JSON.stringify(queue.attributes),
      tags: JSON.stringify(queue.tags),
      modifiedAt: queue.modifiedAt,
      purgedAt: queue.purgedAt,
    });
  }

  deleteQueue(name: string): void {
    this.transaction(() => {
      this.s.deleteQueue!.run(name);
      this.s.deleteQueueMessages!.run(name);
      this.s.deleteQueueDedup!.run(name);
    });
  }

  purge(name: string): void {
    this.s.deleteQueueMessages!.run(name);
  }

  insertMessage(message: NewMessage): number {
    const result = this.s.insertMessage!.run({
      ...message,
      attributes: message.attributes ? JSON.stringify(message.attributes) : null,
      systemAttributes: message.systemAttributes ? JSON.stringify(message.systemAttributes) : null,
    });
    return Number(result.lastInsertRowid);
  }

  /** Receivable messages of a standard queue, longest visible first. */
  visible(queue: string, now: number, limit: number): MessageRecord[] {
    return (this.s.visible!.all(queue, now, limit) as MessageRow[]).map(toMessage);
  }

  /** A FIFO queue's messages in sequence order, receivable or not (group locks need both). */
  inOrder(queue: string, limit: number): MessageRecord[] {
    return (this.s.inOrder!.all(queue, limit) as MessageRow[]).map(toMessage);
  }

  get(seq: number): MessageRecord | undefined {
    const row = this.s.get!.get(seq) as MessageRow | undefined;
    return row ? toMessage(row) : undefined;
  }

  markReceived(seq: number, visibleAt: number, receipt: string, now: number): void {
    this.s.markReceived!.run({ seq, visibleAt, receipt, now });
  }

  setVisibleAt(seq: number, visibleAt: number): void {
    this.s.setVisibleAt!.run(visibleAt, seq);
  }

  deleteMessage(seq: number): void {
    this.s.deleteMessage!.run(seq);
  }

  /** Into another queue as a new arrival there: receive count and receipt start again. */
  move(seq: number, queue: string, visibleAt: number, sourceArn: string | null): void {
    this.s.move!.run({ seq, queue, visibleAt, sourceArn });
  }

  counts(queue: string, now: number): { visible: number; inFlight: number; delayed: number } {
    return this.s.counts!.get({ queue, now }) as {
      visible: number;
      inFlight: number;
      delayed: number;
    };
  }

  /** When the next invisible message of the queue becomes receivable (a long poll's wake-up). */
  nextVisibleAt(queue: string, now: number): number | undefined {
    const row = this.s.nextVisible!.get(queue, now) as { at: number | null };
    return row.at ?? undefined;
  }

  expire(queue: string, sentBefore: number): number {
    return this.s.expire!.run(queue, sentBefore).changes;
  }

  findDuplicate(
    queue: string,
    key: string,
    now: number,
  ): { messageId: string; seq: number } | undefined {
    const row = this.s.dedup!.get(queue, key, now) as
      { message_id: string; seq: number } | undefined;
    return row ? { messageId: row.message_id, seq: row.seq } : undefined;
  }

  rememberDeduplication(
    queue: string,
    key: string,
    messageId: string,
    seq: number,
    expiresAt: number,
  ): void {
    this.s.putDedup!.run(queue, key, messageId, seq, expiresAt);
  }

  forgetDeduplicationBefore(now: number): void {
    this.s.dropDedup!.run(now);
  }

  maxSeq(queue: string): number {
    return (this.s.maxSeq!.get(queue) as { seq: number }).seq;
  }

  countUpTo(queue: string, maxSeq: number): number {
    return (this.s.countUpTo!.get(queue, maxSeq) as { n: number }).n;
  }

  movable(queue: string, maxSeq: number, now: number, limit: number): MessageRecord[] {
    return (this.s.movable!.all(queue, maxSeq, now, limit) as MessageRow[]).map(toMessage);
  }

  insertTask(task: MoveTaskRecord): void {
    this.s.insertTask!.run(task);
  }

  updateTask(task: MoveTaskRecord): void {
    this.s.updateTask!.run(task);
  }

  task(handle: string): MoveTaskRecord | undefined {
    const row = this.s.task!.get(handle) as MoveTaskRow | undefined;
    return row ? toTask(row) : undefined;
  }

  tasksOf(sourceArn: string, limit: number): MoveTaskRecord[] {
    return (this.s.tasksOf!.all(sourceArn, limit) as MoveTaskRow[]).map(toTask);
  }

  runningTasks(): MoveTaskRecord[] {
    return (this.s.runningTasks!.all() as MoveTaskRow[]).map(toTask);
  }
}
