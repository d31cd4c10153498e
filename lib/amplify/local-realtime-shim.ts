/**
 * LOCAL CLOUD ONLY. aws-amplify v6 always opens AppSync real-time over `wss://` (upstream:
 * amplify-js #12894), while the local cloud serves plain `ws://` on loopback. This shim
 * downgrades exactly one URL prefix — the local GraphQL endpoint's realtime path on 127.0.0.1
 * or localhost — and passes every other URL through untouched.
 *
 * It is imported only behind `process.env.NEXT_PUBLIC_LOCAL_CLOUD === '1'`, which Next.js
 * inlines at build time: in a cloud build the branch is dead code and the bundler drops this
 * module entirely. Amplify's own Gen 1 mock solved the same gap with a similar flag.
 */
export function installLocalRealtimeShim(graphqlUrl: string): void {
  const local = new URL(graphqlUrl);
  if (local.protocol !== 'http:' || !['127.0.0.1', 'localhost'].includes(local.hostname)) return;
  const secureRealtime = `wss://${local.host}${local.pathname}/realtime`;
  const NativeWebSocket = globalThis.WebSocket;
  if ((NativeWebSocket as { localShim?: boolean }).localShim) return;

  class LocalCloudWebSocket extends NativeWebSocket {
    static localShim = true;
    constructor(url: string | URL, protocols?: string | string[]) {
      const href = url.toString();
      super(
        href.startsWith(secureRealtime) ? `ws://${href.slice('wss://'.length)}` : href,
        protocols,
      );
    }
  }
  globalThis.WebSocket = LocalCloudWebSocket;
}
