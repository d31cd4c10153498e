import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import forge from 'node-forge';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { afterAll, expect, test } from 'vitest';
import { localCloudTest } from '../../support/local-cloud';
import { waitFor } from '../helpers';

/**
 * HTTPS endpoints: SNS checks the endpoint's certificate. The local cloud trusts Node's CAs and
 * its own local CA: a server with a certificate from the local CA (its certificate server is
 * one) is reached, a self-signed one is not (the attempt fails with a TLS error and is retried).
 */
const t = localCloudTest();
const sns = () => t.client(SNSClient);
const servers: Server[] = [];
afterAll(() => {
  for (const server of servers) server.closeAllConnections();
  return Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

function selfSigned() {
  const keys = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKey);
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 3600_000);
  const name = [{ name: 'commonName', value: '127.0.0.1' }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }]);
  cert.sign(forge.pki.privateKeyFromPem(keys.privateKey), forge.md.sha256.create());
  return { key: keys.privateKey, cert: forge.pki.certificateToPem(cert) };
}

const firstAttempt = (subscriptionArn: string) =>
  waitFor(() => t.cloud.services.sns.deliveries({ subscriptionArn })[0]);

async function subscribe(name: string, endpoint: string) {
  const { TopicArn } = await sns().send(new CreateTopicCommand({ Name: name }));
  const { SubscriptionArn } = await sns().send(
    new SubscribeCommand({
      TopicArn,
      Protocol: 'https',
      Endpoint: endpoint,
      ReturnSubscriptionArn: true,
    }),
  );
  return SubscriptionArn!;
}

test('a certificate from the local CA is trusted', async () => {
  // The certificate server has one; it answers 404 to the POST, which SNS counts as delivered.
  const certUrl = new URL(await t.cloud.services.sns.signingCertUrl());
  const arn = await subscribe('https-trusted', `https://127.0.0.1:${certUrl.port}/hook`);
  expect(await firstAttempt(arn)).toMatchObject({
    outcome: 'delivered',
    notification: { type: 'SubscriptionConfirmation' },
    delivery: { statusCode: 404, protocol: 'https' },
  });
});

test('a self-signed certificate is refused and the attempt retried', async () => {
  const server = createServer(selfSigned(), (_req, res) => res.writeHead(200).end());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const arn = await subscribe('https-untrusted', `https://127.0.0.1:${port}/hook`);
  const attempt = await firstAttempt(arn);
  expect(attempt).toMatchObject({ outcome: 'retrying', status: 'FAILURE' });
  expect(attempt.delivery.providerResponse).toMatch(/self[- ]signed certificate/);
  expect(attempt.delivery.statusCode).toBeUndefined();
});
