import { afterAll, beforeAll } from 'vitest';
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from '../../local-cloud';

export const REGION = 'us-east-1';

/** A local cloud for one test file: a free port, in memory, silent, unless told otherwise. */
export function startTestCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  return startLocalCloud({
    port: 0,
    dataDir: ':memory:',
    logLevel: 'silent',
    region: REGION,
    ...options,
  });
}

/** What an official SDK client needs to talk to the local cloud, as AWS_ENDPOINT_URL would set. */
export function clientConfig(cloud: Pick<LocalCloud, 'url' | 'region' | 'credentials'>) {
  return {
    endpoint: cloud.url,
    region: cloud.region,
    credentials: cloud.credentials,
    // A contract test wants the service's first answer, not the SDK's retry of it.
    maxAttempts: 1,
  };
}

export interface LocalCloudTest {
  /** The running local cloud (available inside tests, after `beforeAll`). */
  readonly cloud: LocalCloud;
  /** An official client pointed at it, e.g. `t.client(SFNClient)`. */
  client<C>(Client: new (config: ReturnType<typeof clientConfig>) => C): C;
}

/**
 * The one harness of the local cloud's tests: starts it before the file's tests (options may be
 * computed then), closes it after them.
 */
export function localCloudTest(
  options: LocalCloudOptions | (() => LocalCloudOptions | Promise<LocalCloudOptions>) = {},
): LocalCloudTest {
  let cloud: LocalCloud | undefined;
  beforeAll(async () => {
    cloud = await startTestCloud(typeof options === 'function' ? await options() : options);
  });
  afterAll(async () => {
    await cloud?.close();
  });
  const running = () => {
    if (!cloud) throw new Error('The local cloud is not started yet (use it inside a test)');
    return cloud;
  };
  return {
    get cloud() {
      return running();
    },
    client: (Client) => new Client(clientConfig(running())),
  };
}
