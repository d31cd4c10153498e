import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  CreateTopicCommand,
  GetTopicAttributesCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { localCloudTest } from '../../support/local-cloud';
import { waitFor } from '../helpers';

/**
 * Signatures proven the way a webhook receiver checks them: sns-validator 0.3.5 in a process of
 * its own that trusts the local CA only through NODE_EXTRA_CA_CERTS, fetching SigningCertURL
 * over HTTPS, and confirming its subscription by opening the SubscribeURL. Version 1
 * (SHA1withRSA) and 2 (SHA256withRSA) verify; altered messages do not.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const t = localCloudTest();
const sns = () => t.client(SNSClient);
const work = mkdtempSync(path.join(tmpdir(), 'sns-signatures-'));

interface Verdict {
  message: Record<string, string>;
  valid: boolean;
  error?: string;
}
let child: ChildProcess;
let validatorUrl = '';
const verdicts: Verdict[] = [];

beforeAll(async () => {
  const caFile = path.join(work, 'ca.pem');
  writeFileSync(caFile, await t.cloud.services.sns.certificateAuthority());
  child = spawn(process.execPath, [path.join(here, 'fixtures', 'validating-receiver.mjs')], {
    env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  validatorUrl = await new Promise<string>((resolve) => lines.once('line', resolve));
  lines.on('line', (line) => verdicts.push(JSON.parse(line) as Verdict));
});

afterAll(() => {
  child?.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

const verdictOf = (messageId: string) =>
  waitFor(() => verdicts.find((v) => v.message.MessageId === messageId));

/** POSTs a body to the validating receiver as SNS would, and waits for its verdict. */
async function postToValidator(message: Record<string, unknown>): Promise<Verdict> {
  const before = verdicts.length;
  await fetch(validatorUrl, { method: 'POST', body: JSON.stringify(message) });
  return waitFor(() => verdicts[before]);
}

/** A topic the validator subscribes to and confirms (only if the confirmation verified). */
async function topicWithValidator(name: string, signatureVersion: '1' | '2') {
  const { TopicArn } = await sns().send(
    new CreateTopicCommand({ Name: name, Attributes: { SignatureVersion: signatureVersion } }),
  );
  await sns().send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: validatorUrl }));
  const confirmation = await waitFor(() =>
    verdicts.find(
      (v) => v.message.Type === 'SubscriptionConfirmation' && v.message.TopicArn === TopicArn,
    ),
  );
  expect(confirmation).toMatchObject({ valid: true });
  await waitFor(async () => {
    const { Attributes } = await sns().send(new GetTopicAttributesCommand({ TopicArn }));
    return Attributes?.SubscriptionsConfirmed === '1' ? true : undefined;
  });
  return TopicArn!;
}

describe('signed deliveries verified with sns-validator over the HTTPS certificate URL', () => {
  for (const version of ['1', '2'] as const) {
    test(`SignatureVersion ${version}: the confirmation and the notifications verify`, async () => {
      const TopicArn = await topicWithValidator(`signed-v${version}`, version);
      const { MessageId } = await sns().send(
        new PublishCommand({ TopicArn, Message: `hello v${version}`, Subject: 'Signed' }),
      );
      const verdict = await verdictOf(MessageId!);
      expect(verdict).toMatchObject({
        valid: true,
        message: { Type: 'Notification', SignatureVersion: version },
      });
      expect(verdict.message.SigningCertURL).toBe(await t.cloud.services.sns.signingCertUrl());
    });
  }

  test('an altered message, a swapped signature version or a foreign certificate host is refused', async () => {
    const TopicArn = await topicWithValidator('forgery', '1');
    const { MessageId } = await sns().send(new PublishCommand({ TopicArn, Message: 'pay 10' }));
    const original = (await verdictOf(MessageId!)).message;
    expect(await postToValidator(original)).toMatchObject({ valid: true });
    expect(await postToValidator({ ...original, Message: 'pay 1000' })).toMatchObject({
      valid: false,
      error: 'The message signature is invalid.',
    });
    expect(await postToValidator({ ...original, Subject: 'added' })).toMatchObject({
      valid: false,
    });
    expect(await postToValidator({ ...original, SignatureVersion: '2' })).toMatchObject({
      valid: false,
    });
    expect(
      await postToValidator({ ...original, SigningCertURL: 'https://attacker.example/cert.pem' }),
    ).toMatchObject({ valid: false, error: 'The certificate is located on an invalid domain.' });
  });
});

test('without the local CA trusted, the certificate URL does not pass TLS', async () => {
  // This test process was not started with NODE_EXTRA_CA_CERTS: the handshake must fail.
  await expect(fetch(await t.cloud.services.sns.signingCertUrl())).rejects.toThrow();
});
