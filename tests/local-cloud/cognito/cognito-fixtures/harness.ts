import type { CodeInfo, CognitoService } from '@/local-cloud/cognito';
import type { Clock, Logger } from '@/local-cloud/core/service';
import { staticBackend, type LocalCloud } from '@/local-cloud';
import { startTestCloud } from '../../../support/local-cloud';

export const POOL_ID = 'us-east-1_Loc4lPool';
export const CLIENT_ID = 'localwebclient0000000000ab';
export const OTHER_CLIENT_ID = 'localotherclient000000000b';
export const STRONG_PASSWORD = 'Corr3ct-Horse!';

export interface Harness {
  baseUrl: string;
  service: CognitoService;
  codes: CodeInfo[];
  logs: string[];
  /** Every Cognito action received, in order (what a client really calls). */
  operations: string[];
  /** Moves the service's clock (not the test's) forward. */
  advance(ms: number): void;
  lastCode(email: string, purpose?: CodeInfo['purpose']): string;
  close(): Promise<void>;
}

const ALL_FLOWS = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

/**
 * The local cloud with one user pool (email sign-in, a `Warehouse` group, a client with every
 * flow and an SRP-only one), a clock the test can move, and its log and calls captured.
 * `dataDir` persists it (restart tests).
 */
export async function startCognito(dataDir = ':memory:'): Promise<Harness> {
  let offset = 0;
  const operations: string[] = [];
  const codes: CodeInfo[] = [];
  const logs: string[] = [];
  const clock: Clock = {
    now: () => Date.now() + offset,
    setTimer: (fn, delayMs) => {
      const timer = setTimeout(fn, delayMs);
      return () => clearTimeout(timer);
    },
  };
  const log = (scope: string): Logger & { child(scope: string): Logger } => ({
    // The protocol layer logs one line per call: `<Operation> <status> <ms> ms`.
    debug: (message) => {
      if (scope === 'cognito') operations.push(message.split(' ')[0]!);
    },
    info: (message) => logs.push(message),
    warn: (message) => logs.push(message),
    error: (message) => logs.push(message),
    child: (child) => log(child),
  });
  const cloud: LocalCloud = await startTestCloud({
    dataDir,
    clock,
    log: log('local-cloud'),
    onCode: (info) => codes.push(info),
    backend: staticBackend({
      tables: [],
      functions: [],
      stateMachines: [],
      userPool: {
        id: POOL_ID,
        name: 'storefront',
        passwordPolicy: {
          minLength: 8,
          requireUppercase: true,
          requireLowercase: true,
          requireNumbers: true,
          requireSymbols: true,
        },
        usernameAttributes: ['email'],
        autoVerifiedAttributes: ['email'],
        groups: [{ name: 'Warehouse' }],
        client: { id: CLIENT_ID, name: 'web', explicitAuthFlows: ALL_FLOWS },
        clients: [
          { id: CLIENT_ID, name: 'web', explicitAuthFlows: ALL_FLOWS },
          { id: OTHER_CLIENT_ID, name: 'srp-only', explicitAuthFlows: ['ALLOW_USER_SRP_AUTH'] },
        ],
      },
    }),
  });
  return {
    baseUrl: cloud.url,
    service: cloud.services.cognito,
    codes,
    logs,
    operations,
    advance: (ms) => {
      offset += ms;
    },
    lastCode(email, purpose = 'signup') {
      const found = codes.filter((c) => c.email === email.toLowerCase() && c.purpose === purpose);
      const code = found.at(-1)?.code;
      if (!code) throw new Error(`no ${purpose} code for ${email}`);
      return code;
    },
    close: () => cloud.close(),
  };
}

/** Unique per test, so tests sharing one server do not collide. */
let counter = 0;
export const freshEmail = (tag: string) => `${tag}.${Date.now()}.${(counter += 1)}@example.com`;
