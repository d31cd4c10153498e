import { describe, expect, it } from 'vitest';
import { REDACTED, redactEvent } from './redact';

describe('redactEvent', () => {
  it('replaces task tokens and card data in JSON payloads and free text, and keeps the rest', () => {
    const event = redactEvent({
      id: 7,
      type: 'TaskScheduled',
      timestamp: new Date(0),
      taskScheduledEventDetails: {
        resource: 'invoke.waitForTaskToken',
        resourceType: 'lambda',
        region: 'us-east-1',
        parameters: JSON.stringify({
          Payload: { orderId: 'o-1', taskToken: 'AAAA-secret', payment: { cardLast4: '4242' } },
        }),
      },
      lambdaFunctionFailedEventDetails: { error: 'X', cause: 'card 4000 0000 0000 0002 failed' },
    });
    const parameters = JSON.parse(event.taskScheduledEventDetails!.parameters!);
    expect(parameters.Payload).toEqual({
      orderId: 'o-1',
      taskToken: REDACTED,
      payment: { cardLast4: '4242' },
    });
    expect(event.lambdaFunctionFailedEventDetails!.cause).toBe('card •••• 0002 failed');
    expect(event.id).toBe(7);
    expect(event.timestamp).toEqual(new Date(0));
    expect(event.taskScheduledEventDetails!.resource).toBe('invoke.waitForTaskToken');
  });
});
