import { createClock, timeScaleFromEnv } from './clock';
import { Gateway } from './gateway';
import { createLogger, logLevelFromEnv, type LogLevel } from './logger';
import type { LocalService, Logger, ServiceContext } from './service';
import { DEFAULT_DATA_DIR, openDatabase } from './storage';
import { DEFAULT_REGION, LOCAL_ACCOUNT_ID } from './constants';

export const DEFAULT_PORT = 4566;
export { LOCAL_ACCOUNT_ID } from './constants';

/** Services are built once the port is bound (they need the final base URL). */
export type ServiceFactory = (ctx: ServiceContext) => LocalService | Promise<LocalService>;

export interface LocalCloudOptions {
  /** 0 picks a free port (tests). Default: LOCAL_CLOUD_PORT or 4566. */
  port?: number;
  host?: string;
  /** `:memory:` (tests) or a directory holding `local-cloud.db`. Default `.local-cloud`. */
  dataDir?: string;
  /** Default: every service of the local cloud (see `default-services.ts`). */
  services?: ServiceFactory[];
  /** Speed-up factor for waits and timeouts. Default: LOCAL_CLOUD_TIME_SCALE or 1. */
  timeScale?: number;
  region?: string;
  logLevel?: LogLevel;
  log?: Logger;
}

export interface LocalCloud {
  url: string;
  port: number;
  context: ServiceContext;
  services: LocalService[];
  close(): Promise<void>;
}

export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const log = options.log ?? createLogger('local-cloud', options.logLevel ?? logLevelFromEnv());
  const gateway = new Gateway(log);
  const host = options.host ?? '127.0.0.1';
  const port = await gateway.listen(
    options.port ?? Number(process.env.LOCAL_CLOUD_PORT ?? DEFAULT_PORT),
    host,
  );
  const db = openDatabase(options.dataDir ?? process.env.LOCAL_CLOUD_DATA_DIR ?? DEFAULT_DATA_DIR);
  const context: ServiceContext = {
    db,
    clock: createClock(options.timeScale ?? timeScaleFromEnv()),
    log,
    baseUrl: `http://${host}:${port}`,
    region: options.region ?? process.env.AWS_REGION ?? DEFAULT_REGION,
    accountId: LOCAL_ACCOUNT_ID,
  };
  try {
    const factories = options.services ?? (await import('./default-services')).defaultServices();
    for (const factory of factories) gateway.register(await factory(context));
    gateway.ready = true;
  } catch (error) {
    await gateway.close();
    db.close();
    throw error;
  }
  let closed = false;
  return {
    url: context.baseUrl,
    port,
    context,
    services: gateway.services,
    async close() {
      if (closed) return;
      closed = true;
      await gateway.close();
      db.close();
    },
  };
}
