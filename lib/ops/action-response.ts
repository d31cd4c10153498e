import { problem } from '@/lib/http/problem';
import type { ActionResult } from './executions';
import { unknownExecution } from './unknown-execution';

/** An action's outcome as the API tells it. */
export function actionResponse(result: ActionResult): Response {
  if (result.kind === 'not-found') return unknownExecution();
  if (result.kind === 'conflict') {
    return problem({
      type: '/problems/execution-state-conflict',
      status: 409,
      title: 'Not possible in the execution’s current state',
      detail: result.detail,
    });
  }
  return Response.json({ at: result.at }, { headers: { 'Cache-Control': 'no-store' } });
}
