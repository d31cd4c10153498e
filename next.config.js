/**
 * Headers that are the same on every response. The Content Security Policy needs a nonce
 * per request, so `proxy.ts` sets it.
 * https://developer.mozilla.org/docs/Web/HTTP/Headers — and the Next.js guide,
 * node_modules/next/dist/docs/01-app/03-api-reference/05-config/01-next-config-js/headers.md
 */
const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  // The shop uses none of these features; nothing embedded may ask for them either.
  {
    key: 'Permissions-Policy',
    value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  },
  // Browsers ignore HSTS over http, and offline (NEXT_PUBLIC_LOCAL_CLOUD=1) there is no TLS
  // at all: send it only from cloud builds, which are served over https.
  ...(process.env.NEXT_PUBLIC_LOCAL_CLOUD === '1'
    ? []
    : [{ key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' }]),
];

const API_POLICY =
  "default-src 'none'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // `next dev` serves its own resources only to localhost: opened at http://127.0.0.1:3000 (the
  // address the local cloud lives on), the page got 403s for its scripts and never hydrated.
  // node_modules/next/dist/docs/01-app/03-api-reference/05-config/01-next-config-js/allowedDevOrigins.md
  allowedDevOrigins: ['127.0.0.1'],
  // Production builds fail on type or lint errors through `npm test`, not here:
  // `next build` would otherwise run its own slower type check a second time.
  typescript: { ignoreBuildErrors: true },
  // `amplify_outputs.json` is read at run time (lib/config/outputs.ts, whose file-system calls
  // Turbopack is told not to trace); when it is there at build time, as on a hosted build that
  // deploys the backend first, it ships with every server route.
  // node_modules/next/dist/docs/01-app/03-api-reference/05-config/01-next-config-js/output.md
  outputFileTracingIncludes: { '/*': ['./amplify_outputs.json'] },
  async headers() {
    return [
      { source: '/:path*', headers: securityHeaders },
      // API responses are data, never documents with scripts: a fixed policy, so the API skips
      // the proxy hop that pages need for their per-request nonce (proxy.ts).
      { source: '/api/:path*', headers: [{ key: 'Content-Security-Policy', value: API_POLICY }] },
    ];
  },
};

export default nextConfig;
