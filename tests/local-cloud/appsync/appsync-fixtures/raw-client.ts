import { WebSocket } from 'ws';

/** A hand-driven AppSync real-time connection, for protocol details the SDK hides. */
export interface RawConnection {
  ws: WebSocket;
  messages: Record<string, unknown>[];
  send(message: Record<string, unknown>): void;
  next(type: string, ms?: number): Promise<Record<string, unknown>>;
  close(): void;
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export async function openRaw(
  graphqlUrl: string,
  auth: Record<string, string>,
  form: 'subprotocol' | 'query' = 'subprotocol',
): Promise<RawConnection> {
  const realtime = `${graphqlUrl.replace(/^http/, 'ws')}/realtime`;
  const ws =
    form === 'subprotocol'
      ? new WebSocket(realtime, ['graphql-ws', `header-${b64url(auth)}`])
      : new WebSocket(
          `${realtime}?header=${encodeURIComponent(Buffer.from(JSON.stringify(auth)).toString('base64'))}&payload=e30=`,
          ['graphql-ws'],
        );
  const messages: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (raw) => {
    messages.push(JSON.parse(String(raw)) as Record<string, unknown>);
    waiters.splice(0).forEach((w) => w());
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let cursor = 0;
  return {
    ws,
    messages,
    send: (message) => ws.send(JSON.stringify(message)),
    async next(type, ms = 5000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const index = messages.findIndex((m, i) => i >= cursor && m.type === type);
        if (index >= 0) {
          cursor = index + 1;
          return messages[index]!;
        }
        if (Date.now() > deadline) {
          throw new Error(`No '${type}' message; got ${JSON.stringify(messages.slice(cursor))}`);
        }
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
    close: () => ws.close(),
  };
}
