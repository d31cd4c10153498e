import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ddb, isConditionalCheckFailed } from './dynamodb';
import { ENV, requireEnv } from './env';
import type { StatusFields } from './order-item';
import {
  nextPollAtFor,
  UPDATE_FACT_FIELDS,
  updateKey,
  type OrderStatus,
  type OrderUpdate,
  type StepName,
  type StepStatus,
  type UpdateFacts,
} from './order-status';
import { publishOrderUpdate } from './publish';

export interface StatusChange {
  orderId: string;
  step: StepName;
  status: StepStatus;
  attempt: number;
  orderStatus: OrderStatus;
  message?: string;
  facts?: UpdateFacts;
}

/**
 * What the recorder reads back of the slice it owns: the lock and the list it guards. Partial,
 * as the condition below allows an item without `seq` to count as one nothing was recorded on.
 */
type OrderStatusFields = Partial<Pick<StatusFields, 'seq' | 'updates'>>;

/** The recorder's fields of one order as of one `seq`: the updates recorded up to it, by key. */
interface Snapshot {
  seq: number;
  recorded: ReadonlyMap<string, OrderUpdate>;
}

const MAX_WRITE_CONFLICTS = 5;
/** Orders whose last seen snapshot is kept; a warm Lambda works on a handful at a time. */
const MAX_SNAPSHOTS = 1_000;

/**
 * What this process last saw of each order (its own writes, or what a conflict revealed), so a
 * status costs one conditional UpdateItem instead of a read and a write. Safe because the lock
 * is on `seq`: `seq` only grows, and every value of it is set by exactly one successful write
 * together with the list it appends to (place-order creates `seq: 0, updates: []`). So when
 * `#seq = :previous` holds, the item's `updates` are exactly the ones this snapshot holds, and a
 * key absent from it is absent from the item. A stale snapshot only makes the write fail its
 * condition; the item's current fields then replace it and the write is retried.
 */
const snapshots = new Map<string, Snapshot>();

/** A new order, as place-order writes it: the guess when this process has not seen the order. */
const NEW_ORDER: Snapshot = { seq: 0, recorded: new Map() };

/**
 * Writes the change to the order item first (durable, with the next per-order `seq`), then
 * publishes it. A replayed handler finds its update key already recorded (in the snapshot, or in
 * the item once a stale snapshot failed the condition) and re-publishes the stored update with
 * its original `seq`, which clients drop as a duplicate.
 */
export async function recordStatus(
  change: StatusChange,
  now: () => Date = () => new Date(),
): Promise<OrderUpdate> {
  const update = await writeStatus(change, now);
  try {
    await publishOrderUpdate(update);
  } catch (error) {
    // Best effort on purpose: the update is already durable and subscribers catch up by
    // reading the order on reconnect, so a notification outage must not fail the order.
    console.error('publishOrderUpdate failed', { orderId: update.orderId, seq: update.seq, error });
  }
  return update;
}

async function writeStatus(change: StatusChange, now: () => Date): Promise<OrderUpdate> {
  const tableName = requireEnv(ENV.ordersTableName);
  const key = updateKey(change.step, change.status, change.attempt);
  let current = snapshots.get(change.orderId) ?? NEW_ORDER;
  // One attempt more than the conflicts allowed: the first may fail only because the snapshot
  // was a guess or out of date, which is no concurrent writer.
  for (let attempt = 0; attempt <= MAX_WRITE_CONFLICTS; attempt++) {
    // Copies out, so a caller that changes the returned update cannot change the snapshot.
    const recorded = current.recorded.get(key);
    if (recorded) return { ...recorded };

    const seq = current.seq + 1;
    const at = now();
    const update: OrderUpdate = {
      orderId: change.orderId,
      seq,
      step: change.step,
      status: change.status,
      attempt: change.attempt,
      message: change.message ?? null,
      orderStatus: change.orderStatus,
      nextPollAt: nextPollAtFor(change.step, change.orderStatus, at),
      timestamp: at.toISOString(),
      ...presentFacts(change.facts),
    };
    try {
      await ddb().send(
        new UpdateCommand({
          TableName: tableName,
          Key: { orderId: change.orderId },
          // Optimistic lock on seq: two writers cannot both take the same number, and a write
          // based on an out-of-date snapshot cannot land. Only the guess "nothing recorded yet"
          // may also meet an item without seq, as a read of that item would have found.
          // The order must exist: place-order creates it, and an update for an unknown order
          // (a poison message, a typo in a replay) must fail rather than create a stray item.
          ConditionExpression:
            current.seq === 0
              ? 'attribute_exists(#orderId) AND (attribute_not_exists(#seq) OR #seq = :previous)'
              : '#seq = :previous',
          UpdateExpression:
            'SET #seq = :seq, #updates = list_append(if_not_exists(#updates, :empty), :update), ' +
            '#orderStatus = :orderStatus, #currentStep = :step, #currentAttempt = :attempt, ' +
            '#nextPollAt = :nextPollAt, #updatedAt = :timestamp',
          ExpressionAttributeNames: {
            ...(current.seq === 0 ? { '#orderId': 'orderId' } : {}),
            '#seq': 'seq',
            '#updates': 'updates',
            '#orderStatus': 'orderStatus',
            '#currentStep': 'currentStep',
            '#currentAttempt': 'currentAttempt',
            '#nextPollAt': 'nextPollAt',
            '#updatedAt': 'updatedAt',
          },
          ExpressionAttributeValues: {
            ':previous': current.seq,
            ':seq': seq,
            ':empty': [],
            ':update': [update],
            ':orderStatus': update.orderStatus,
            ':step': update.step,
            ':attempt': update.attempt,
            ':nextPollAt': update.nextPollAt,
            ':timestamp': update.timestamp,
          },
          // The condition held, so the new fields are the snapshot plus `update`: nothing to
          // return. On a conflict DynamoDB returns the item it checked, which saves the read.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      remember(change.orderId, { seq, recorded: new Map(current.recorded).set(key, update) });
      return { ...update };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const checked = (error as { Item?: Record<string, AttributeValue> }).Item;
      const fields = checked
        ? fieldsOf(checked)
        : await readStatusFields(tableName, change.orderId);
      if (!fields) throw new Error(`recordStatus: order ${change.orderId} does not exist`);
      current = snapshotOf(fields);
      remember(change.orderId, current);
    }
  }
  throw new Error(`recordStatus: too many concurrent writers on order ${change.orderId}`);
}

/** Only the facts an update has: most updates have none, and every item keeps its updates. */
function presentFacts(facts: UpdateFacts = {}): UpdateFacts {
  return Object.fromEntries(UPDATE_FACT_FIELDS.flatMap((f) => (facts[f] ? [[f, facts[f]]] : [])));
}

function snapshotOf(fields: OrderStatusFields): Snapshot {
  const recorded = new Map<string, OrderUpdate>();
  for (const u of fields.updates ?? []) {
    const key = updateKey(u.step, u.status, u.attempt);
    // The first record of a key is the one replays answer with, as a read-then-write found it.
    if (!recorded.has(key)) recorded.set(key, u);
  }
  return { seq: fields.seq ?? 0, recorded };
}

/** Keeps the newest snapshot per order (a slower concurrent writer must not roll it back). */
function remember(orderId: string, snapshot: Snapshot): void {
  const known = snapshots.get(orderId);
  if (known && known.seq > snapshot.seq) return;
  snapshots.delete(orderId);
  snapshots.set(orderId, snapshot);
  // Map keeps insertion order, so the first key is the order least recently written.
  if (snapshots.size > MAX_SNAPSHOTS) snapshots.delete(snapshots.keys().next().value!);
}

async function readStatusFields(
  tableName: string,
  orderId: string,
): Promise<OrderStatusFields | undefined> {
  const { Item } = await ddb().send(
    new GetCommand({
      TableName: tableName,
      Key: { orderId },
      ConsistentRead: true,
      ProjectionExpression: '#seq, #updates',
      ExpressionAttributeNames: { '#seq': 'seq', '#updates': 'updates' },
    }),
  );
  return Item as OrderStatusFields | undefined;
}

/**
 * The recorder's fields of an item as the low-level client returns it: the Document client
 * does not unmarshall an exception's `Item`. Only the types an OrderUpdate is made of occur.
 */
function fieldsOf(item: Record<string, AttributeValue>): OrderStatusFields {
  return {
    seq: item.seq ? (fromAttribute(item.seq) as number) : undefined,
    updates: item.updates ? (fromAttribute(item.updates) as OrderUpdate[]) : undefined,
  };
}

function fromAttribute(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.NULL) return null;
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.L) return value.L.map(fromAttribute);
  if (value.M) {
    return Object.fromEntries(Object.entries(value.M).map(([k, v]) => [k, fromAttribute(v)]));
  }
  throw new Error(`recordStatus: unexpected attribute type ${Object.keys(value).join(',')}`);
}
