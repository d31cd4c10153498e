import { NextResponse, type NextRequest } from 'next/server';
import { publicOutputs } from '@/lib/config/public-outputs';

/**
 * Content Security Policy with a fresh nonce per request, as the Next.js guide describes
 * (node_modules/next/dist/docs/01-app/02-guides/content-security-policy.md, "Adding a nonce
 * with Proxy"): Next.js reads the nonce from the request's CSP header while rendering and puts
 * it on its own inline and bundle scripts. The other security headers are static and live in
 * next.config.js.
 */

/**
 * Where the browser may connect: this origin, and the AppSync (HTTP and its WebSocket) and
 * Cognito endpoints named by the same outputs `/api/config` hands the browser, so the policy
 * follows a redeploy without a rebuild. Offline those are http/ws on 127.0.0.1.
 */
function connectSources(): string[] {
  const outputs = publicOutputs();
  if (!outputs) return [];
  const data = new URL(outputs.data.url);
  const socket = data.protocol === 'https:' ? 'wss:' : 'ws:';
  const sources = [data.origin, `${socket}//${data.host}`];
  // AppSync's own domains serve real time on a sibling host:
  // https://docs.aws.amazon.com/appsync/latest/devguide/real-time-websocket-client.html
  if (data.hostname.includes('.appsync-api.')) {
    sources.push(`wss://${data.hostname.replace('.appsync-api.', '.appsync-realtime-api.')}`);
  }
  const cognito =
    outputs.custom?.userPoolEndpoint ??
    `https://cognito-idp.${outputs.auth.aws_region}.amazonaws.com`;
  sources.push(new URL(cognito).origin);
  return [...new Set(sources)];
}

function contentSecurityPolicy(nonce: string): string {
  const dev = process.env.NODE_ENV === 'development';
  const cloud = process.env.NEXT_PUBLIC_LOCAL_CLOUD !== '1';
  const directives = [
    "default-src 'self'",
    // 'strict-dynamic': the chunks Next.js's nonced runtime loads are trusted through it.
    // React needs eval in development only (same guide, "Development Environment").
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    // Styles: React renders `style` attributes, which a nonce cannot cover; the risk CSP is
    // here for is script injection, which the nonce closes.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    `connect-src ${["'self'", ...connectSources()].join(' ')}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    // Offline the backend is plain http on loopback, which this directive would break.
    ...(cloud && !dev ? ['upgrade-insecure-requests'] : []),
  ];
  return directives.join('; ');
}

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
  const policy = contentSecurityPolicy(nonce);

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('Content-Security-Policy', policy);
  requestHeaders.set('x-nonce', nonce);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', policy);
  return response;
}

export const config = {
  // Built assets are scripts and styles themselves; a policy on them does nothing. The API has
  // a fixed policy from next.config.js and skips this hop (one less step on the order API's hot path).
  matcher: ['/((?!api/|_next/static|_next/image|favicon.ico).*)'],
};
