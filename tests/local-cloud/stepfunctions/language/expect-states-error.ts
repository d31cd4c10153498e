import { expect } from 'vitest';
import { StatesError } from '../../../../local-cloud/stepfunctions/language/errors';

/** Runs `fn`, asserting it throws a StatesError with exactly `name`; returns the error. */
export function expectStatesError(fn: () => unknown, name: string): StatesError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'expected a StatesError to be thrown').toBeInstanceOf(StatesError);
  expect((thrown as StatesError).name).toBe(name);
  return thrown as StatesError;
}
