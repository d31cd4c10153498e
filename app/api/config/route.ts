import { problem } from '@/lib/http/problem';
import { publicOutputs } from '@/lib/config/public-outputs';

export const dynamic = 'force-dynamic';

/**
 * The backend configuration for the browser, read when asked rather than baked into the build:
 * static pages stay static, and one build runs against the local cloud or any deployed sandbox.
 */
export function GET() {
  const outputs = publicOutputs();
  if (!outputs) {
    return problem({
      status: 503,
      title: 'Backend not configured',
      detail:
        'amplify_outputs.json is missing: run `npm run dev` (offline) or `npm run sandbox` (AWS).',
    });
  }
  return Response.json(outputs, { headers: { 'Cache-Control': 'no-cache' } });
}
