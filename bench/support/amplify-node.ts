import { readFileSync } from 'node:fs';
import { Amplify, type ResourcesConfig } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import type { KeyValueStorageInterface } from 'aws-amplify/utils';
import type { OrderUpdate } from '../../amplify/functions/shared/order-status';
import { installLoopbackWebSocket } from '../../tests/local-cloud/appsync-fixtures/wss-downgrade';

class MemoryStorage implements KeyValueStorageInterface {
  private items = new Map<string, string>();
  async setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  async getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  async removeItem(key: string) {
    this.items.delete(key);
  }
  async clear() {
    this.items.clear();
  }
}

/**
 * aws-amplify v6 in Node, configured from the local outputs as the browser configures it
 * (lib/amplify/configure.ts), with Node's missing WebSocket supplied by the tests' loopback
 * `wss://`→`ws://` shim.
 */
export function configureAmplifyForNode(outputsPath: string): void {
  installLoopbackWebSocket();
  const outputs = JSON.parse(readFileSync(outputsPath, 'utf8')) as {
    custom: { userPoolEndpoint?: string };
  };
  Amplify.configure(outputs as Parameters<typeof Amplify.configure>[0]);
  const config = Amplify.getConfig();
  Amplify.configure({
    ...config,
    Auth: {
      Cognito: { ...config.Auth!.Cognito, userPoolEndpoint: outputs.custom.userPoolEndpoint },
    },
  } as ResourcesConfig);
  cognitoUserPoolsTokenProvider.setKeyValueStorage(new MemoryStorage());
}

/**
 * Signs in through Cognito SRP and returns the ID token. Amplify holds one user per process:
 * the last account signed in is the one subscriptions run as.
 */
export async function signInForIdToken(account: { email: string; password: string }) {
  await signOut().catch(() => {});
  await signIn({ username: account.email, password: account.password });
  return (await fetchAuthSession()).tokens!.idToken!.toString();
}

const ON_ORDER_UPDATE = /* GraphQL */ `
  subscription OnOrderUpdate($orderId: ID!) {
    onOrderUpdate(orderId: $orderId) {
      orderId
      seq
      step
      status
      attempt
      message
      orderStatus
      nextPollAt
      timestamp
    }
  }
`;

/** The same subscription the tracking page makes (lib/orders/subscription.ts). */
export function subscribeToOrder(
  orderId: string,
  onUpdate: (update: OrderUpdate, receivedAt: number) => void,
  onError: (error: unknown) => void,
): () => void {
  const observable = generateClient().graphql({
    query: ON_ORDER_UPDATE,
    variables: { orderId },
    authMode: 'userPool',
  }) as unknown as {
    subscribe(observer: {
      next(message: { data: { onOrderUpdate: OrderUpdate } }): void;
      error(error: unknown): void;
    }): { unsubscribe(): void };
  };
  const subscription = observable.subscribe({
    next: ({ data }) => onUpdate(data.onOrderUpdate, Date.now()),
    error: onError,
  });
  return () => subscription.unsubscribe();
}
