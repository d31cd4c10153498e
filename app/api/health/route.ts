export const dynamic = 'force-dynamic';

/** Readiness for Playwright's webServer and for `npm run dev`'s startup check. */
export function GET() {
  return Response.json({ ok: true }, { headers: { 'Cache-Control': 'no-store' } });
}
