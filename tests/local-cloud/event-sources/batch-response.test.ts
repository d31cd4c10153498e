import { describe, expect, it } from 'vitest';
import { readBatchResponse } from '../../../local-cloud/lambda/event-sources';

const ids = ['m-1', 'm-2', 'm-3'];
const failedOf = (payload: unknown) => {
  const outcome = readBatchResponse(payload, ids);
  return outcome.kind === 'success' ? [...outcome.failed] : outcome.kind;
};

describe('partial batch responses (ReportBatchItemFailures)', () => {
  it.each([
    ['a null response', null],
    ['no response', undefined],
    ['an empty object', {}],
    ['a null list', { batchItemFailures: null }],
    ['an empty list', { batchItemFailures: [] }],
  ])('treats %s as a complete success', (_, payload) => {
    expect(failedOf(payload)).toEqual([]);
  });

  it('names the failed messages', () => {
    expect(failedOf({ batchItemFailures: [{ itemIdentifier: 'm-2' }] })).toEqual(['m-2']);
  });

  it.each([
    ['an empty itemIdentifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['a null itemIdentifier', { batchItemFailures: [{ itemIdentifier: null }] }],
    ['a bad key name', { batchItemFailures: [{ itemId: 'm-1' }] }],
    ['an unknown message id', { batchItemFailures: [{ itemIdentifier: 'm-9' }] }],
    ['a list that is not a list', { batchItemFailures: 'm-1' }],
    ['a response that is not an object', 'done'],
  ])('treats %s as a complete failure', (_, payload) => {
    expect(failedOf(payload)).toBe('failure');
  });
});
