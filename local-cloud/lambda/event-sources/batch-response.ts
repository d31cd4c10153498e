/**
 * What a partial batch response (`FunctionResponseTypes: ['ReportBatchItemFailures']`) says,
 * by the rules of https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 * ("Implementing partial batch responses"): an empty or null `batchItemFailures`, or an empty
 * or null response, is a complete success; an invalid response, an empty or null
 * `itemIdentifier`, an item without that key, or an identifier that is not a message of the
 * batch is a complete failure.
 */
export type BatchOutcome =
  { kind: 'success'; failed: ReadonlySet<string> } | { kind: 'failure'; reason: string };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function readBatchResponse(payload: unknown, messageIds: readonly string[]): BatchOutcome {
  const none: BatchOutcome = { kind: 'success', failed: new Set() };
  if (payload === null || payload === undefined) return none;
  // A response other than an object (a string, a number, a list) is not a batch response.
  if (!isObject(payload)) return { kind: 'failure', reason: 'the response is not an object' };
  const failures = payload.batchItemFailures;
  if (failures === null || failures === undefined) return none;
  if (!Array.isArray(failures)) {
    return { kind: 'failure', reason: 'batchItemFailures is not a list' };
  }
  const known = new Set(messageIds);
  const failed = new Set<string>();
  for (const item of failures) {
    const id = isObject(item) ? item.itemIdentifier : undefined;
    if (typeof id !== 'string' || id === '') {
      return { kind: 'failure', reason: 'an itemIdentifier is missing or empty' };
    }
    if (!known.has(id)) {
      return { kind: 'failure', reason: `itemIdentifier ${id} is not a message of the batch` };
    }
    failed.add(id);
  }
  return { kind: 'success', failed };
}
