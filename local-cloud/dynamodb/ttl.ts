import type { Clock, Logger } from '../core/service';
import { getTable, type Item, type Store } from './dynalite';
import { errorType, validationException } from './errors';

/**
 * Time to Live, which dynalite 4.0.0 lacks (its DescribeTimeToLive always says DISABLED).
 * The setting is kept per table in the same LevelDB as the items (`local-ttl~<table>`), so it
 * persists and is reset with them.
 *
 * Deviations from AWS, all in the direction of "sooner and simpler":
 * - UpdateTimeToLive takes effect at once (AWS: ENABLING for up to an hour); the status goes
 *   straight to ENABLED / DISABLED.
 * - Expired items are deleted by a sweep every few seconds of the service clock (AWS: typically
 *   within a few days, no guarantee). Like AWS, reads still return an expired item until the
 *   sweep deleted it: code that must not see expired items filters on the attribute itself.
 */
const TTL_PREFIX = 'local-ttl~';
export const TTL_SWEEP_INTERVAL_MS = 5_000;
/** AWS only expires items whose TTL is at most five years in the past (older values are ignored). */
const MAX_PAST_SECONDS = 5 * 365 * 24 * 60 * 60;

interface TtlSetting {
  attributeName: string;
}

/** Deletes one expired item unless it changed since it was read (conditional on the TTL value). */
export type ExpiredItemDeleter = (
  tableName: string,
  key: Item,
  attributeName: string,
  ttlValue: Item[string],
) => Promise<void>;

export class TimeToLive {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async update(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const tableName = requireTableName(input);
    const spec = input.TimeToLiveSpecification as
      { AttributeName?: unknown; Enabled?: unknown } | undefined;
    if (
      typeof spec?.AttributeName !== 'string' ||
      spec.AttributeName.length < 1 ||
      spec.AttributeName.length > 255 ||
      typeof spec.Enabled !== 'boolean'
    ) {
      throw validationException(
        'TimeToLiveSpecification needs an AttributeName (1-255 characters) and Enabled',
      );
    }
    await getTable(this.store, tableName);
    const current = await this.setting(tableName);
    if (spec.Enabled) {
      if (current) throw validationException('TimeToLive is already enabled');
      await this.store.db.put(TTL_PREFIX + tableName, { attributeName: spec.AttributeName });
    } else {
      if (!current) throw validationException('TimeToLive is already disabled');
      if (current.attributeName !== spec.AttributeName) {
        throw validationException(
          `TimeToLive is enabled on a different attribute: ${current.attributeName}`,
        );
      }
      await this.store.db.del(TTL_PREFIX + tableName);
    }
    return {
      TimeToLiveSpecification: { AttributeName: spec.AttributeName, Enabled: spec.Enabled },
    };
  }

  async describe(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const tableName = requireTableName(input);
    await getTable(this.store, tableName);
    const current = await this.setting(tableName);
    return {
      TimeToLiveDescription: current
        ? { TimeToLiveStatus: 'ENABLED', AttributeName: current.attributeName }
        : { TimeToLiveStatus: 'DISABLED' },
    };
  }

  /** A deleted (or re-created) table starts without TTL, as on AWS. */
  async forget(tableName: string): Promise<void> {
    await this.store.db.del(TTL_PREFIX + tableName);
  }

  /** One pass over every TTL-enabled table; returns the number of items deleted. */
  async sweep(deleteExpired: ExpiredItemDeleter): Promise<number> {
    const settings: [string, TtlSetting][] = [];
    for await (const [key, value] of this.store.db.iterator({
      gte: TTL_PREFIX,
      lt: `${TTL_PREFIX}\xff`,
    })) {
      settings.push([key.slice(TTL_PREFIX.length), value as TtlSetting]);
    }
    let deleted = 0;
    for (const [tableName, setting] of settings) {
      deleted += await this.sweepTable(tableName, setting.attributeName, deleteExpired);
    }
    return deleted;
  }

  private async sweepTable(
    tableName: string,
    attributeName: string,
    deleteExpired: ExpiredItemDeleter,
  ): Promise<number> {
    let keyNames: string[];
    try {
      keyNames = (await getTable(this.store, tableName)).KeySchema.map((k) => k.AttributeName);
    } catch (error) {
      // Being created or deleted right now: the next sweep looks again.
      if (errorType(error) === 'ResourceNotFoundException') return 0;
      throw error;
    }
    const nowSeconds = this.clock.now() / 1000;
    const expired: Item[] = [];
    for await (const chunk of this.store.getItemDb(tableName).createValueStream()) {
      const item = chunk as unknown as Item;
      // Only a Number attribute (epoch seconds) expires an item; anything else is ignored.
      const raw = item[attributeName]?.N;
      const expiresAt = typeof raw === 'string' ? Number(raw) : Number.NaN;
      if (expiresAt <= nowSeconds && expiresAt >= nowSeconds - MAX_PAST_SECONDS) expired.push(item);
    }
    for (const item of expired) {
      const key = Object.fromEntries(keyNames.map((name) => [name, item[name] ?? {}]));
      await deleteExpired(tableName, key, attributeName, item[attributeName] ?? {});
    }
    return expired.length;
  }

  private async setting(tableName: string): Promise<TtlSetting | undefined> {
    try {
      return (await this.store.db.get(TTL_PREFIX + tableName)) as TtlSetting | undefined;
    } catch (error) {
      if ((error as Error).name === 'NotFoundError') return undefined;
      throw error;
    }
  }
}

function requireTableName(input: Record<string, unknown>): string {
  const name = input.TableName;
  if (typeof name !== 'string' || !/^[a-zA-Z0-9_.-]{3,255}$/.test(name)) {
    throw validationException(
      "1 validation error detected: Value at 'tableName' failed to satisfy constraint: " +
        'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+ (3-255 characters)',
    );
  }
  return name;
}

/**
 * At least this much real time between two sweeps: with LOCAL_CLOUD_TIME_SCALE=Infinity every
 * scaled wait is zero, and an unthrottled sweep would spin a core.
 */
const MIN_REAL_GAP_MS = 20;

/** Runs `task` every `intervalMs` of the service clock, never overlapping; `stop` awaits it. */
export function startPeriodic(
  clock: Clock,
  intervalMs: number,
  task: () => Promise<void>,
  log: Logger,
): { stop(): Promise<void>; lastError(): string | undefined } {
  let cancel: (() => void) | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  let lastError: string | undefined;
  let lastEnd = Date.now();
  const run = () => {
    running = task()
      .then(() => {
        lastError = undefined;
      })
      .catch((error: unknown) => {
        lastError = String((error as Error)?.message ?? error);
        log.warn('dynamodb sweep failed', { error: lastError });
      })
      .finally(() => {
        running = undefined;
        lastEnd = Date.now();
        arm();
      });
  };
  const arm = () => {
    if (stopped) return;
    cancel = clock.setTimer(() => {
      const wait = lastEnd + MIN_REAL_GAP_MS - Date.now();
      if (wait <= 0) return run();
      const handle = setTimeout(run, wait);
      cancel = () => clearTimeout(handle);
    }, intervalMs);
  };
  arm();
  return {
    async stop() {
      stopped = true;
      cancel?.();
      await running;
    },
    lastError: () => lastError,
  };
}
