import type { QueryLanguage, ValueKind } from './checks';

/**
 * Which fields each state type accepts, per query language, from the state pages of
 * https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html and
 * https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html (JSONata).
 */

export const STATE_TYPES = [
  'Task',
  'Wait',
  'Pass',
  'Succeed',
  'Fail',
  'Choice',
  'Parallel',
  'Map',
] as const;
export type StateType = (typeof STATE_TYPES)[number];

export function isStateType(value: unknown): value is StateType {
  return (STATE_TYPES as readonly unknown[]).includes(value);
}

interface FieldSet {
  both: readonly string[];
  jsonPath: readonly string[];
  jsonata: readonly string[];
}

const COMMON = ['Type', 'Comment', 'QueryLanguage'];
const TRANSITION = ['Next', 'End'];
const ERROR_HANDLING = ['Retry', 'Catch'];
const IO_PATHS = ['InputPath', 'OutputPath'];
const RESULT_PATHS = ['ResultPath', 'ResultSelector', 'Parameters'];

const FIELDS: Record<StateType, FieldSet> = {
  Pass: {
    both: [...COMMON, ...TRANSITION, 'Assign'],
    jsonPath: [...IO_PATHS, 'ResultPath', 'Parameters', 'Result'],
    jsonata: ['Output'],
  },
  Task: {
    both: [
      ...COMMON,
      ...TRANSITION,
      ...ERROR_HANDLING,
      'Assign',
      'Resource',
      'TimeoutSeconds',
      'HeartbeatSeconds',
      'Credentials',
    ],
    jsonPath: [...IO_PATHS, ...RESULT_PATHS, 'TimeoutSecondsPath', 'HeartbeatSecondsPath'],
    jsonata: ['Arguments', 'Output'],
  },
  Choice: {
    both: [...COMMON, 'Choices', 'Default', 'Assign'],
    jsonPath: IO_PATHS,
    jsonata: ['Output'],
  },
  Wait: {
    both: [...COMMON, ...TRANSITION, 'Assign', 'Seconds', 'Timestamp'],
    jsonPath: [...IO_PATHS, 'SecondsPath', 'TimestampPath'],
    jsonata: ['Output'],
  },
  Succeed: { both: COMMON, jsonPath: IO_PATHS, jsonata: ['Output'] },
  Fail: { both: [...COMMON, 'Error', 'Cause'], jsonPath: ['ErrorPath', 'CausePath'], jsonata: [] },
  Parallel: {
    both: [...COMMON, ...TRANSITION, ...ERROR_HANDLING, 'Assign', 'Branches'],
    jsonPath: [...IO_PATHS, ...RESULT_PATHS],
    jsonata: ['Arguments', 'Output'],
  },
  Map: {
    both: [
      ...COMMON,
      ...TRANSITION,
      ...ERROR_HANDLING,
      'Assign',
      'ItemProcessor',
      'Iterator',
      'ItemSelector',
      'ItemReader',
      'ItemBatcher',
      'ResultWriter',
      'MaxConcurrency',
      'ToleratedFailurePercentage',
      'ToleratedFailureCount',
      'Label',
    ],
    jsonPath: [
      ...IO_PATHS,
      ...RESULT_PATHS,
      'ItemsPath',
      'MaxConcurrencyPath',
      'ToleratedFailurePercentagePath',
      'ToleratedFailureCountPath',
    ],
    jsonata: ['Items', 'Output'],
  },
};

export function allowedFields(type: StateType, language: QueryLanguage): Set<string> {
  const fields = FIELDS[type];
  return new Set([...fields.both, ...(language === 'JSONata' ? fields.jsonata : fields.jsonPath)]);
}

/** A field this state type has only in the other query language (reported with its own message). */
export function belongsToOtherLanguage(
  type: StateType,
  language: QueryLanguage,
  field: string,
): boolean {
  const fields = FIELDS[type];
  return (language === 'JSONata' ? fields.jsonPath : fields.jsonata).includes(field);
}

/**
 * The JSON type of the fields that have a fixed one. In JSONata mode a number may also be given
 * as a `{% expression %}` string; that is handled by the caller.
 */
export const FIELD_KINDS: Record<string, ValueKind> = {
  Comment: 'STRING',
  Next: 'STRING',
  Default: 'STRING',
  Resource: 'STRING',
  Label: 'STRING',
  End: 'BOOLEAN',
  TimeoutSeconds: 'INTEGER',
  HeartbeatSeconds: 'INTEGER',
  Seconds: 'INTEGER',
  MaxConcurrency: 'INTEGER',
  ToleratedFailureCount: 'INTEGER',
  ToleratedFailurePercentage: 'NUMBER',
  Timestamp: 'STRING',
  Error: 'STRING',
  Cause: 'STRING',
  Choices: 'ARRAY',
  Branches: 'ARRAY',
  Retry: 'ARRAY',
  Catch: 'ARRAY',
  Parameters: 'OBJECT',
  ResultSelector: 'OBJECT',
  ItemSelector: 'OBJECT',
  Credentials: 'OBJECT',
  ItemProcessor: 'OBJECT',
  Iterator: 'OBJECT',
  ItemReader: 'OBJECT',
  ItemBatcher: 'OBJECT',
  ResultWriter: 'OBJECT',
  Assign: 'OBJECT',
};
