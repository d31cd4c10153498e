import {
  CONNECTION_STATE_CHANGE,
  ConnectionState,
  generateClient,
  type GraphQLSubscription,
} from 'aws-amplify/api';
import { Hub } from 'aws-amplify/utils';
import type { Schema } from '@/amplify/data/resource';
import type { OrderUpdate } from '@/amplify/functions/shared/order-status';
import { configureAmplify, type AmplifyOutputsJson } from '@/lib/amplify/configure';

/** Every field the `publishOrderUpdate` mutation selects, so subscribers receive them all. */
export const ON_ORDER_UPDATE = /* GraphQL */ `
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
      reason
      until
      carrier
      trackingNumber
    }
  }
`;

export type SocketState = 'connecting' | 'connected' | 'disrupted';

/**
 * Amplify's connection states, reduced to what the page acts on. Right after the handshake the
 * client reports ConnectedPendingKeepAlive until the first `ka`: still connecting, not broken.
 * Disconnected and ConnectedPendingDisconnect follow our own unsubscribe, so they are ignored.
 */
const SOCKET_STATES: Partial<Record<ConnectionState, SocketState>> = {
  [ConnectionState.Connected]: 'connected',
  [ConnectionState.Connecting]: 'connecting',
  [ConnectionState.ConnectedPendingKeepAlive]: 'connecting',
  [ConnectionState.ConnectedPendingNetwork]: 'disrupted',
  [ConnectionState.ConnectionDisrupted]: 'disrupted',
  [ConnectionState.ConnectionDisruptedPendingNetwork]: 'disrupted',
};

export interface OrderSubscriptionHandlers {
  onUpdate(update: OrderUpdate): void;
  onSocketState(state: SocketState): void;
  onError(error: unknown): void;
}

/**
 * Subscribes to one order's updates through AppSync with the shopper's Cognito token, and
 * reports the socket's health from Amplify's connection-state events. Returns the unsubscribe.
 */
export async function subscribeToOrder(
  outputs: AmplifyOutputsJson,
  orderId: string,
  handlers: OrderSubscriptionHandlers,
): Promise<() => void> {
  await configureAmplify(outputs);
  const stopListening = Hub.listen('api', ({ payload }) => {
    if (payload.event !== CONNECTION_STATE_CHANGE) return;
    const state = (payload.data as { connectionState: ConnectionState }).connectionState;
    const mapped = SOCKET_STATES[state];
    if (mapped) handlers.onSocketState(mapped);
  });
  // Typed by the schema; the subscription is sent as a document (not `client.subscriptions`),
  // which would need the model introspection the local outputs do not carry.
  const client = generateClient<Schema>();
  const subscription = client
    .graphql<GraphQLSubscription<{ onOrderUpdate: OrderUpdate }>>({
      query: ON_ORDER_UPDATE,
      variables: { orderId },
      authMode: 'userPool',
    })
    .subscribe({
      next: ({ data }) => handlers.onUpdate(data.onOrderUpdate),
      error: (error) => handlers.onError(error),
    });
  return () => {
    subscription.unsubscribe();
    stopListening();
  };
}
