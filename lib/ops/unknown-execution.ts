import { problem } from '@/lib/http/problem';

/** The console's answer for an ARN that is not an execution of the order workflow. */
export function unknownExecution(): Response {
  return problem({
    type: '/problems/unknown-execution',
    status: 404,
    title: 'No such execution',
    detail: 'There is no execution of the order workflow with this ARN.',
  });
}
