import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';
import type { SnsStore } from './store';

/**
 * The local cloud's own PKI for SNS: a certificate authority, and one leaf certificate (key
 * and X.509) that both signs messages and serves the signing certificate over HTTPS.
 *
 * Why a CA and HTTPS at all: receivers verify SNS messages with the signing certificate named
 * by `SigningCertURL`, and validators (sns-validator, AWS's own samples) only fetch it over
 * https. A receiver trusts the local CA with one line, NODE_EXTRA_CA_CERTS=<dataDir>/ca.pem,
 * and nothing else changes in its code. Why node-forge: it builds and signs X.509 certificates
 * synchronously with no global set-up (@peculiar/x509 needs a reflect-metadata polyfill
 * installed process-wide); keys come from node:crypto, which is much faster than forge's.
 *
 * The pair is made once and kept in `sns_keys`, so certificates, and the ca.pem a receiver
 * was started with, survive restarts (a `:memory:` store makes a new pair per start).
 */
export interface Pem {
  privateKey: string;
  certificate: string;
}

export interface SnsCertificates {
  ca: Pem;
  leaf: Pem;
}

const generate = promisify(generateKeyPair);
const YEAR_MS = 365 * 24 * 3600 * 1000;

async function rsaKeys() {
  return generate('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

function certificate(options: {
  publicKey: string;
  subject: forge.pki.CertificateField[];
  issuer: forge.pki.CertificateField[];
  signingKey: string;
  years: number;
  extensions: object[];
}): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(options.publicKey);
  // Positive (leading 0x7f-masked byte) random serial, as RFC 5280 asks.
  const serial = forge.util.bytesToHex(forge.random.getBytesSync(16));
  cert.serialNumber = `${(parseInt(serial.slice(0, 2), 16) & 0x7f).toString(16).padStart(2, '0')}${serial.slice(2)}`;
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60_000);
  cert.validity.notAfter = new Date(now + options.years * YEAR_MS);
  cert.setSubject(options.subject);
  cert.setIssuer(options.issuer);
  cert.setExtensions(options.extensions);
  cert.sign(forge.pki.privateKeyFromPem(options.signingKey), forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

/** The loopback names the leaf certificate is valid for (the cert server's host is one). */
const LOOPBACK_NAMES = [
  { type: 2, value: 'localhost' },
  { type: 7, ip: '127.0.0.1' },
  { type: 7, ip: '::1' },
];

const CA_NAME = [
  { name: 'commonName', value: 'Local Cloud SNS CA' },
  { name: 'organizationName', value: 'Local Cloud' },
];

async function createCa(): Promise<Pem> {
  const keys = await rsaKeys();
  return {
    privateKey: keys.privateKey,
    certificate: certificate({
      publicKey: keys.publicKey,
      subject: CA_NAME,
      issuer: CA_NAME,
      signingKey: keys.privateKey,
      years: 10,
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
        { name: 'subjectKeyIdentifier' },
      ],
    }),
  };
}

async function createLeaf(ca: Pem): Promise<Pem> {
  const keys = await rsaKeys();
  return {
    privateKey: keys.privateKey,
    certificate: certificate({
      publicKey: keys.publicKey,
      subject: [{ name: 'commonName', value: 'sns.localhost' }],
      issuer: CA_NAME,
      signingKey: ca.privateKey,
      // Under 398 days: the longest validity TLS clients accept for a leaf certificate.
      years: 1,
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames: LOOPBACK_NAMES },
      ],
    }),
  };
}

const RENEW_BEFORE_MS = 7 * 24 * 3600 * 1000;

const expiresSoon = (pem: Pem, now: number) =>
  forge.pki.certificateFromPem(pem.certificate).validity.notAfter.getTime() < now + RENEW_BEFORE_MS;

/**
 * The stored certificates, made on first use. A leaf close to expiry is issued anew by the same
 * CA, so a receiver that trusts ca.pem keeps trusting the local cloud.
 */
export async function loadCertificates(
  store: SnsStore,
  now = Date.now(),
): Promise<SnsCertificates> {
  let ca = store.key('ca');
  let leaf = store.key('leaf');
  if (!ca || expiresSoon(ca, now)) {
    ca = await createCa();
    leaf = undefined;
    store.putKey('ca', ca.privateKey, ca.certificate);
  }
  if (!leaf || expiresSoon(leaf, now)) {
    leaf = await createLeaf(ca);
    store.putKey('leaf', leaf.privateKey, leaf.certificate);
  }
  return { ca, leaf };
}
