import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { PortInUseError, type LocalCloud } from '../../../local-cloud';
import { startTestCloud } from '../../support/local-cloud';
import { startFixtureCloud } from '../helpers';

let cloud: LocalCloud;
beforeAll(async () => {
  cloud = await startFixtureCloud();
});
afterAll(() => cloud.close());

test('GET /_local/health reports every service', async () => {
  const res = await fetch(`${cloud.url}/_local/health`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as {
    ok: boolean;
    services: Record<string, { ok: boolean; detail: string }>;
  };
  expect(body.ok).toBe(true);
  expect(body.services.stepfunctions?.ok).toBe(true);
  expect(body.services.stepfunctions?.detail).toContain('6 state machine(s)');
});

test('an SDK client finds the gateway through AWS_ENDPOINT_URL with dummy credentials', async () => {
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: cloud.url,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: 'us-east-1',
  });
  try {
    const client = new SFNClient({});
    const page = await client.send(new ListStateMachinesCommand({}));
    expect(page.stateMachines?.length).toBe(6);
  } finally {
    process.env = saved;
  }
});

test('unsigned requests and unknown targets get AWS-shaped errors', async () => {
  const unsigned = await fetch(cloud.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'AWSStepFunctions.ListStateMachines',
    },
    body: '{}',
  });
  expect(unsigned.status).toBe(403);
  expect(((await unsigned.json()) as { __type: string }).__type).toBe(
    'com.amazonaws.sfn#MissingAuthenticationTokenException',
  );
  const unknown = await fetch(cloud.url, {
    method: 'POST',
    headers: { 'x-amz-target': 'Kinesis_20131202.ListStreams' },
    body: '{}',
  });
  expect(unknown.status).toBe(404);
  expect(((await unknown.json()) as { __type: string }).__type).toBe('UnknownOperationException');
});

test('a taken port is a clear error, in-process and from `npm run local-cloud` (exit code 2)', async () => {
  await expect(startTestCloud({ port: cloud.port })).rejects.toThrow(PortInUseError);
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/dev.ts', '--no-app'], {
    cwd: path.resolve(import.meta.dirname, '../../..'),
    env: { ...process.env, LOCAL_CLOUD_PORT: String(cloud.port), LOCAL_CLOUD_DATA_DIR: ':memory:' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(result.status).toBe(2);
  expect(result.stderr).toContain(`Port ${cloud.port} on 127.0.0.1 is already in use`);
  expect(result.stderr).toContain('LOCAL_CLOUD_PORT');
});
