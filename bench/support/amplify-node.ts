import { readFileSync } from 'node:fs';
import { Amplify, type ResourcesConfig } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { MemoryStorage } from '../../tests/support/memory-storage';
import type { OrderUpdate } from '../../amplify/functions/shared/order-status';
import { ON_ORDER_UPDATE } from '../../lib/orders/subscription';
import { installLoopbackWebSocket } from '../../tests/local-cloud/appsync/appsync-fixtures/wss-downgrade';

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
