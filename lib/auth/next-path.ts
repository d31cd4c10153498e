/**
 * Only same-site paths: `?next=` must never send a freshly signed-in shopper elsewhere.
 * Browsers read `/\evil.example` or `/<tab>/evil.example` as other hosts, so the path is
 * resolved as a URL and kept only if it stays on this origin.
 */
export function safeNextPath(next: string | undefined, origin = 'https://shop.invalid'): string {
  if (!next || !next.startsWith('/') || /[\\\u0000-\u001f]/.test(next)) return '/';
  const url = new URL(next, origin);
  return url.origin === origin ? `${url.pathname}${url.search}${url.hash}` : '/';
}
