import { openApiDocument } from '@/lib/api/openapi';

/** The API description for legacy clients; the same for every caller, so it may be cached. */
export function GET() {
  return Response.json(openApiDocument, {
    headers: { 'Cache-Control': 'public, max-age=300' },
  });
}
