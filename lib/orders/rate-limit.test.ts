import { describe, expect, test } from 'vitest';
import { submitLimit, submitWindow } from './rate-limit';

describe('submitLimit', () => {
  test('defaults to 10 orders a minute, read from the environment, or off', () => {
    expect(submitLimit({})).toEqual({ limit: 10, windowSeconds: 60 });
    expect(submitLimit({ ORDER_SUBMIT_LIMIT: '3', ORDER_SUBMIT_WINDOW_SECONDS: '600' })).toEqual({
      limit: 3,
      windowSeconds: 600,
    });
    expect(submitLimit({ ORDER_SUBMIT_LIMIT: 'off' })).toBeUndefined();
    // Anything else that is not a positive integer falls back to the default.
    expect(submitLimit({ ORDER_SUBMIT_LIMIT: '0' })).toEqual({ limit: 10, windowSeconds: 60 });
  });

  test('a window is per shopper and ends on its boundary', () => {
    const window = submitWindow('sub-1', 125_000, { limit: 10, windowSeconds: 60 });
    expect(window).toEqual({ key: 'submit#sub-1#2', endsAt: 180_000 });
  });
});
