import { WebSocket } from 'ws';

/**
 * Test-only: aws-amplify v6 always opens `wss://` (even for an `http://` endpoint), while the
 * local AppSync listens on plain loopback HTTP. This subclass rewrites exactly that scheme for
 * 127.0.0.1 and is installed as Node's missing global WebSocket.
 */
export class LoopbackDowngradingWebSocket extends WebSocket {
  constructor(url: string | URL, protocols?: string | string[]) {
    super(String(url).replace(/^wss:\/\/127\.0\.0\.1([:/])/, 'ws://127.0.0.1$1'), protocols);
  }
}

export function installLoopbackWebSocket(): () => void {
  const g = globalThis as { WebSocket?: unknown };
  const previous = g.WebSocket;
  g.WebSocket = LoopbackDowngradingWebSocket;
  return () => {
    g.WebSocket = previous;
  };
}
