import type { Database } from 'better-sqlite3';

export interface TopicRecord {
  arn: string;
  name: string;
  attributes: Record<string, string>;
  tags: Record<string, string>;
  /** SubscriptionsDeleted: unsubscribes since the topic was created. */
  deletedSubscriptions: number;
  createdAt: number;
}

export type Protocol = 'http' | 'https' | 'sqs';

export interface SubscriptionRecord {
  arn: string;
  topicArn: string;
  protocol: Protocol;
  endpoint: string;
  /** Settable attributes only (FilterPolicy, RawMessageDelivery, …). */
  attributes: Record<string, string>;
  pending: boolean;
  /** The confirmation token sent to the endpoint (never logged). */
  token: string | null;
  confirmationWasAuthenticated: boolean;
  /** AuthenticateOnUnsubscribe: unsubscribing needs a signed call. */
  authenticatedUnsubscribe: boolean;
  createdAt: number;
}

export type DeliveryKind = 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';

/** One message on its way to one endpoint: the row is the truth of what is still to be tried. */
export interface DeliveryRecord {
  id: string;
  kind: DeliveryKind;
  messageId: string;
  topicArn: string;
  subscriptionArn: string;
  protocol: Protocol;
  endpoint: string;
  /** What the envelope is built from (see envelope.ts): message, subject, timestamp, … */
  payload: Record<string, unknown>;
  /** Attempts made so far. */
  attempts: number;
  /** Clock ms (time-scaled) of the next attempt. */
  dueAt: number;
  createdAt: number;
}

export type DeliveryOutcome = 'delivered' | 'retrying' | 'dead-lettered' | 'dropped';

export interface AttemptRecord {
  seq: number;
  deliveryId: string;
  kind: DeliveryKind;
  messageId: string;
  messageMd5: string;
  messageTimestamp: string;
  topicArn: string;
  subscriptionArn: string;
  protocol: Protocol;
  endpoint: string;
  attempt: number;
  attemptedAt: number;
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
  dwellMs: number;
  outcome: DeliveryOutcome;
  nextAttemptAt: number | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sns_topics (
  arn TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  attributes TEXT NOT NULL,
  tags TEXT NOT NULL,
  deleted_subscriptions INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sns_subscriptions (
  arn TEXT PRIMARY KEY,
  topic_arn TEXT NOT NULL,
  protocol TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  attributes TEXT NOT NULL,
  pending INTEGER NOT NULL,
  token TEXT,
  authenticated INTEGER NOT NULL DEFAULT 0,
  authenticated_unsubscribe INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sns_subscriptions_topic ON sns_subscriptions (topic_arn, arn);
CREATE TABLE IF NOT EXISTS sns_deliveries (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  message_id TEXT NOT NULL,
  topic_arn TEXT NOT NULL,
  subscription_arn TEXT NOT NULL,
  protocol TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  payload TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  due_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sns_delivery_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  delivery_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  message_id TEXT NOT NULL,
  message_md5 TEXT NOT NULL,
  message_timestamp TEXT NOT NULL,
  topic_arn TEXT NOT NULL,
  subscription_arn TEXT NOT NULL,
  protocol TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  attempted_at INTEGER NOT NULL,
  status_code INTEGER,
  error TEXT,
  latency_ms INTEGER NOT NULL,
  dwell_ms INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  next_attempt_at INTEGER
);
CREATE INDEX IF NOT EXISTS sns_delivery_log_subscription ON sns_delivery_log (subscription_arn, seq);
CREATE INDEX IF NOT EXISTS sns_delivery_log_message ON sns_delivery_log (message_id, seq);
CREATE TABLE IF NOT EXISTS sns_keys (
  name TEXT PRIMARY KEY,
  private_key TEXT NOT NULL,
  certificate TEXT NOT NULL
);
`;

type Row = Record<string, unknown>;

const json = <T>(text: unknown): T => JSON.parse(String(text)) as T;

const toTopic = (row: Row): TopicRecord => ({
  arn: String(row.arn),
  name: String(row.name),
  attributes: json(row.attributes),
  tags: json(row.tags),
  deletedSubscriptions: Number(row.deleted_subscriptions),
  createdAt: Number(row.created_at),
});

const toSubscription = (row: Row): SubscriptionRecord => ({
  arn: String(row.arn),
  topicArn: String(row.topic_arn),
  protocol: row.protocol as Protocol,
  endpoint: String(row.endpoint),
  attributes: json(row.attributes),
  pending: row.pending === 1,
  token: (row.token as string | null) ?? null,
  confirmationWasAuthenticated: row.authenticated === 1,
  authenticatedUnsubscribe: row.authenticated_unsubscribe === 1,
  createdAt: Number(row.created_at),
});

const toDelivery = (row: Row): DeliveryRecord => ({
  id: String(row.id),
  kind: row.kind as DeliveryKind,
  messageId: String(row.message_id),
  topicArn: String(row.topic_arn),
  subscriptionArn: String(row.subscription_arn),
  protocol: row.protocol as Protocol,
  endpoint: String(row.endpoint),
  payload: json(row.payload),
  attempts: Number(row.attempts),
  dueAt: Number(row.due_at),
  createdAt: Number(row.created_at),
});

const toAttempt = (row: Row): AttemptRecord => ({
  seq: Number(row.seq),
  deliveryId: String(row.delivery_id),
  kind: row.kind as DeliveryKind,
  messageId: String(row.message_id),
  messageMd5: String(row.message_md5),
  messageTimestamp: String(row.message_timestamp),
  topicArn: String(row.topic_arn),
  subscriptionArn: String(row.subscription_arn),
  protocol: row.protocol as Protocol,
  endpoint: String(row.endpoint),
  attempt: Number(row.attempt),
  attemptedAt: Number(row.attempted_at),
  statusCode: row.status_code === null ? null : Number(row.status_code),
  error: (row.error as string | null) ?? null,
  latencyMs: Number(row.latency_ms),
  dwellMs: Number(row.dwell_ms),
  outcome: row.outcome as DeliveryOutcome,
  nextAttemptAt: row.next_attempt_at === null ? null : Number(row.next_attempt_at),
});

/** The `sns_` tables: topics, subscriptions, pending deliveries, the delivery log, the keys. */
export class SnsStore {
  constructor(private readonly db: Database) {
    db.exec(SCHEMA);
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  // Topics

  topic(arn: string): TopicRecord | undefined {
    const row = this.db.prepare('SELECT * FROM sns_topics WHERE arn = ?').get(arn) as Row;
    return row ? toTopic(row) : undefined;
  }

  topics(): TopicRecord[] {
    return (this.db.prepare('SELECT * FROM sns_topics ORDER BY arn').all() as Row[]).map(toTopic);
  }

  putTopic(topic: TopicRecord): void {
    this.db
      .prepare(
        `INSERT INTO sns_topics (arn, name, attributes, tags, deleted_subscriptions, created_at)
         VALUES (@arn, @name, @attributes, @tags, @deletedSubscriptions, @createdAt)
         ON CONFLICT (arn) DO UPDATE SET attributes = excluded.attributes, tags = excluded.tags,
           deleted_subscriptions = excluded.deleted_subscriptions`,
      )
      .run({
        ...topic,
        attributes: JSON.stringify(topic.attributes),
        tags: JSON.stringify(topic.tags),
      });
  }

  /** DeleteTopic removes its subscriptions and anything still on its way to them. */
  deleteTopic(arn: string): void {
    this.transaction(() => {
      this.db.prepare('DELETE FROM sns_deliveries WHERE topic_arn = ?').run(arn);
      this.db.prepare('DELETE FROM sns_subscriptions WHERE topic_arn = ?').run(arn);
      this.db.prepare('DELETE FROM sns_topics WHERE arn = ?').run(arn);
    });
  }

  // Subscriptions

  subscription(arn: string): SubscriptionRecord | undefined {
    const row = this.db.prepare('SELECT * FROM sns_subscriptions WHERE arn = ?').get(arn) as Row;
    return row ? toSubscription(row) : undefined;
  }

  subscriptions(topicArn?: string): SubscriptionRecord[] {
    const rows =
      topicArn === undefined
        ? this.db.prepare('SELECT * FROM sns_subscriptions ORDER BY arn').all()
        : this.db
            .prepare('SELECT * FROM sns_subscriptions WHERE topic_arn = ? ORDER BY arn')
            .all(topicArn);
    return (rows as Row[]).map(toSubscription);
  }

  subscriptionByToken(token: string): SubscriptionRecord | undefined {
    const row = this.db
      .prepare('SELECT * FROM sns_subscriptions WHERE token = ?')
      .get(token) as Row;
    return row ? toSubscription(row) : undefined;
  }

  putSubscription(sub: SubscriptionRecord): void {
    this.db
      .prepare(
        `INSERT INTO sns_subscriptions (arn, topic_arn, protocol, endpoint, attributes, pending, token,
           authenticated, authenticated_unsubscribe, created_at)
         VALUES (@arn, @topicArn, @protocol, @endpoint, @attributes, @pending, @token,
           @authenticated, @authenticatedUnsubscribe, @createdAt)
         ON CONFLICT (arn) DO UPDATE SET attributes = excluded.attributes, pending = excluded.pending,
           token = excluded.token, authenticated = excluded.authenticated,
           authenticated_unsubscribe = excluded.authenticated_unsubscribe`,
      )
      .run({
        ...sub,
        attributes: JSON.stringify(sub.attributes),
        pending: sub.pending ? 1 : 0,
        authenticated: sub.confirmationWasAuthenticated ? 1 : 0,
        authenticatedUnsubscribe: sub.authenticatedUnsubscribe ? 1 : 0,
      });
  }

  /** Unsubscribe: the row goes, its pending notifications with it; the topic counts it. */
  deleteSubscription(sub: SubscriptionRecord): void {
    this.transaction(() => {
      this.db
        .prepare("DELETE FROM sns_deliveries WHERE subscription_arn = ? AND kind = 'Notification'")
        .run(sub.arn);
      this.db.prepare('DELETE FROM sns_subscriptions WHERE arn = ?').run(sub.arn);
      this.db
        .prepare(
          'UPDATE sns_topics SET deleted_subscriptions = deleted_subscriptions + 1 WHERE arn = ?',
        )
        .run(sub.topicArn);
    });
  }

  // Deliveries

  addDelivery(delivery: DeliveryRecord): void {
    this.db
      .prepare(
        `INSERT INTO sns_deliveries (id, kind, message_id, topic_arn, subscription_arn, protocol,
           endpoint, payload, attempts, due_at, created_at)
         VALUES (@id, @kind, @messageId, @topicArn, @subscriptionArn, @protocol, @endpoint, @payload,
           @attempts, @dueAt, @createdAt)`,
      )
      .run({ ...delivery, payload: JSON.stringify(delivery.payload) });
  }

  delivery(id: string): DeliveryRecord | undefined {
    const row = this.db.prepare('SELECT * FROM sns_deliveries WHERE id = ?').get(id) as Row;
    return row ? toDelivery(row) : undefined;
  }

  deliveries(): DeliveryRecord[] {
    return (this.db.prepare('SELECT * FROM sns_deliveries ORDER BY due_at').all() as Row[]).map(
      toDelivery,
    );
  }

  reschedule(id: string, attempts: number, dueAt: number): void {
    this.db
      .prepare('UPDATE sns_deliveries SET attempts = ?, due_at = ? WHERE id = ?')
      .run(attempts, dueAt, id);
  }

  finishDelivery(id: string): void {
    this.db.prepare('DELETE FROM sns_deliveries WHERE id = ?').run(id);
  }

  // Delivery log

  logAttempt(attempt: Omit<AttemptRecord, 'seq'>): void {
    this.db
      .prepare(
        `INSERT INTO sns_delivery_log (delivery_id, kind, message_id, message_md5, message_timestamp,
           topic_arn, subscription_arn, protocol, endpoint, attempt, attempted_at, status_code, error,
           latency_ms, dwell_ms, outcome, next_attempt_at)
         VALUES (@deliveryId, @kind, @messageId, @messageMd5, @messageTimestamp, @topicArn,
           @subscriptionArn, @protocol, @endpoint, @attempt, @attemptedAt, @statusCode, @error,
           @latencyMs, @dwellMs, @outcome, @nextAttemptAt)`,
      )
      .run(attempt);
  }

  attempts(filter: { subscriptionArn?: string; messageId?: string; limit: number }) {
    const rows = this.db
      .prepare(
        `SELECT * FROM sns_delivery_log
         WHERE (@subscriptionArn IS NULL OR subscription_arn = @subscriptionArn)
           AND (@messageId IS NULL OR message_id = @messageId)
         ORDER BY seq LIMIT @limit`,
      )
      .all({
        subscriptionArn: filter.subscriptionArn ?? null,
        messageId: filter.messageId ?? null,
        limit: filter.limit,
      }) as Row[];
    return rows.map(toAttempt);
  }

  // Keys

  key(name: string): { privateKey: string; certificate: string } | undefined {
    const row = this.db.prepare('SELECT * FROM sns_keys WHERE name = ?').get(name) as Row;
    return row
      ? { privateKey: String(row.private_key), certificate: String(row.certificate) }
      : undefined;
  }

  putKey(name: string, privateKey: string, certificate: string): void {
    this.db
      .prepare('INSERT OR REPLACE INTO sns_keys (name, private_key, certificate) VALUES (?, ?, ?)')
      .run(name, privateKey, certificate);
  }
}
