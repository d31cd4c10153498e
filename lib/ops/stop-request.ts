import { z } from 'zod';
import type { Parsed } from '@/lib/http/problem';

const stopSchema = z.object({ cause: z.string().trim().min(3).max(500) }).strict();

/** A stop needs a reason, kept in the execution's history with who gave it. */
export async function readStopRequest(request: Request): Promise<Parsed<{ cause: string }>> {
  const parsed = stopSchema.safeParse(await request.json().catch(() => undefined));
  if (!parsed.success) {
    return {
      ok: false,
      problem: {
        type: '/problems/validation-error',
        status: 422,
        title: 'A stop needs a cause',
        detail: 'Send {"cause":"…"}: 3 to 500 characters saying why the execution is stopped.',
      },
    };
  }
  return { ok: true, value: parsed.data };
}
