import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  GetExecutionHistoryCommand,
  DescribeExecutionCommand,
  SFNClient,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import {
  createClock,
  staticBackend,
  workflowsBackend,
  type Clock,
  type LocalCloud,
} from '../../local-cloud';
import { REGION, startTestCloud } from '../support/local-cloud';

const here = path.dirname(fileURLToPath(import.meta.url));
export const FIXTURES = path.join(here, 'fixtures');
export const FIXTURE_WORKFLOWS = path.join(FIXTURES, 'workflows');
export const FIXTURE_FUNCTIONS = path.join(FIXTURES, 'functions');
export { REGION };

export const machineArn = (name: string) =>
  `arn:aws:states:${REGION}:000000000000:stateMachine:${name}`;

/** The fixture workflows and their handlers, as a backend. */
export const fixtureBackend = () =>
  staticBackend(
    workflowsBackend({
      workflowsDir: FIXTURE_WORKFLOWS,
      functionsDir: FIXTURE_FUNCTIONS,
      region: REGION,
    }),
  );

/** A local cloud serving the fixture workflows from memory. */
export async function startFixtureCloud(
  options: { timeScale?: number; clock?: Clock } = {},
): Promise<LocalCloud> {
  return startTestCloud({
    backend: fixtureBackend(),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.timeScale ? { clock: createClock(options.timeScale) } : {}),
  });
}

/** An official client pointed at the local cloud, as the app would be via AWS_ENDPOINT_URL. */
export function sfnClient(url: string): SFNClient {
  return new SFNClient({
    endpoint: url,
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

export async function history(client: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const out: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }),
    );
    out.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 15_000, intervalMs = 20 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('waitFor: timed out');
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export async function waitForStatus(client: SFNClient, executionArn: string, timeoutMs = 15_000) {
  return waitFor(
    async () => {
      const e = await client.send(new DescribeExecutionCommand({ executionArn }));
      return e.status === 'RUNNING' ? undefined : e;
    },
    { timeoutMs },
  );
}

/** The token a `.waitForTaskToken` task handed to its handler, read back from the history. */
export async function waitForTaskToken(client: SFNClient, executionArn: string): Promise<string> {
  return waitFor(async () => {
    const events = await history(client, executionArn);
    const submitted = events.some((e) => e.type === 'TaskSubmitted');
    const scheduled = events.filter((e) => e.type === 'TaskScheduled').pop();
    if (!submitted || !scheduled?.taskScheduledEventDetails?.parameters) return undefined;
    const params = JSON.parse(scheduled.taskScheduledEventDetails.parameters) as {
      Payload: { taskToken: string };
    };
    return params.Payload.taskToken;
  });
}
