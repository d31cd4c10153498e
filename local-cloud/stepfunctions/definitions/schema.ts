import type { Pointer } from './diagnostics';
import {
  type Json,
  type JsonObject,
  type QueryLanguage,
  type Report,
  allowAtMostOne,
  expectKind,
  expectOneOf,
  isObject,
  rejectUnknownFields,
  requireExactlyOne,
  requireFields,
  schemaError,
} from './checks';
import { checkChoices } from './choice-rules';
import { checkErrorHandlers } from './error-handling';
import { checkPathField, checkPayloadTemplate, checkStaticResult, isPathField } from './paths';
import {
  FIELD_KINDS,
  STATE_TYPES,
  type StateType,
  allowedFields,
  belongsToOtherLanguage,
  isStateType,
} from './state-fields';

export type MachineType = 'STANDARD' | 'EXPRESS';

interface Scope {
  report: Report;
  machineType: MachineType;
  /** The machine's language: a state inside a Map or Parallel inherits it, not the Map's own. */
  machineLanguage: QueryLanguage;
}

const QUERY_LANGUAGES = ['JSONPath', 'JSONata'];
const TOP_LEVEL_FIELDS = new Set([
  'Comment',
  'StartAt',
  'States',
  'TimeoutSeconds',
  'Version',
  'QueryLanguage',
]);
const BRANCH_FIELDS = new Set(['Comment', 'StartAt', 'States']);
const PROCESSOR_FIELDS = new Set(['Comment', 'StartAt', 'States', 'ProcessorConfig']);
const PAYLOAD_TEMPLATES = ['Parameters', 'ResultSelector', 'ItemSelector', 'Assign'];
/** Express workflows support the Request Response integration pattern only. */
const EXPRESS_UNSUPPORTED_PATTERNS = ['.sync', '.waitForTaskToken'];
// A loose ARN shape: partition, service, region, account, resource. AWS checks much more
// (that the resource exists in the region), which a local stand-in cannot.
const ARN = /^arn:[\w-]+:[\w-]+:[\w-]*:\d*:.+$/;

/** The structural ("schema") checks of a whole definition, reported in document order. */
export function checkMachineSchema(
  report: Report,
  definition: Json,
  machineType: MachineType,
): void {
  if (!expectKind(report, definition, 'OBJECT', []) || !isObject(definition)) return;
  rejectUnknownFields(report, definition, TOP_LEVEL_FIELDS, []);
  if ('QueryLanguage' in definition) {
    expectOneOf(report, definition.QueryLanguage, 'QueryLanguage', QUERY_LANGUAGES, [
      'QueryLanguage',
    ]);
  }
  if ('TimeoutSeconds' in definition) {
    expectKind(report, definition.TimeoutSeconds, 'INTEGER', ['TimeoutSeconds']);
  }
  if ('Version' in definition) expectKind(report, definition.Version, 'STRING', ['Version']);
  const machineLanguage = definition.QueryLanguage === 'JSONata' ? 'JSONata' : 'JSONPath';
  checkContainer({ report, machineType, machineLanguage }, definition, []);
}

/** The machine itself, a Parallel branch, or a Map's ItemProcessor: StartAt plus States. */
function checkContainer(scope: Scope, container: JsonObject, at: Pointer): void {
  requireFields(scope.report, container, ['StartAt', 'States'], at);
  if ('StartAt' in container)
    expectKind(scope.report, container.StartAt, 'STRING', [...at, 'StartAt']);
  if ('Comment' in container)
    expectKind(scope.report, container.Comment, 'STRING', [...at, 'Comment']);
  const states = container.States;
  if (states === undefined || !expectKind(scope.report, states, 'OBJECT', [...at, 'States']))
    return;
  for (const [name, state] of Object.entries(states as JsonObject)) {
    checkState(scope, state, [...at, 'States', name]);
  }
}

function checkSubContainer(
  scope: Scope,
  value: Json,
  allowed: ReadonlySet<string>,
  at: Pointer,
): void {
  if (!isObject(value)) return; // its type is reported with the state's fields
  rejectUnknownFields(scope.report, value, allowed, at);
  checkContainer(scope, value, at);
}

function languageOf(scope: Scope, state: JsonObject, at: Pointer): QueryLanguage {
  if (!('QueryLanguage' in state)) return scope.machineLanguage;
  expectOneOf(scope.report, state.QueryLanguage, 'QueryLanguage', QUERY_LANGUAGES, [
    ...at,
    'QueryLanguage',
  ]);
  if (scope.machineLanguage === 'JSONata' && state.QueryLanguage === 'JSONPath') {
    // Measured on AWS and reported publicly: a JSONata machine cannot downgrade a state.
    schemaError(
      scope.report,
      "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
      at,
    );
  }
  return state.QueryLanguage === 'JSONata' ? 'JSONata' : 'JSONPath';
}

function checkState(scope: Scope, state: Json, at: Pointer): void {
  const { report } = scope;
  if (!expectKind(report, state, 'OBJECT', at) || !isObject(state)) return;
  if (!('Type' in state)) {
    requireFields(report, state, ['Type'], at);
    return;
  }
  if (!isStateType(state.Type)) {
    expectOneOf(report, state.Type, 'Type', STATE_TYPES, [...at, 'Type']);
    return;
  }
  const type = state.Type;
  const language = languageOf(scope, state, at);
  checkFieldNames(report, state, type, language, at);
  checkFieldValues(report, state, language, at);
  checkTransition(report, state, type, at);
  checkTypeSpecific(scope, state, type, language, at);
}

function checkFieldNames(
  report: Report,
  state: JsonObject,
  type: StateType,
  language: QueryLanguage,
  at: Pointer,
): void {
  const allowed = allowedFields(type, language);
  const unknown: JsonObject = {};
  for (const field of Object.keys(state)) {
    if (allowed.has(field)) continue;
    if (belongsToOtherLanguage(type, language, field)) {
      // AWS's wording, reported at the state (measured and published in public issues).
      const other = language === 'JSONata' ? 'JSONPath' : 'JSONata';
      schemaError(
        report,
        `The QueryLanguage is set to '${language}', but field '${field}' is only supported for the '${other}' QueryLanguage`,
        at,
      );
    } else {
      unknown[field] = null;
    }
  }
  rejectUnknownFields(report, unknown, new Set(), at);
}

function isJsonataExpression(value: Json): boolean {
  return typeof value === 'string' && value.trim().startsWith('{%') && value.trim().endsWith('%}');
}

function checkFieldValues(
  report: Report,
  state: JsonObject,
  language: QueryLanguage,
  at: Pointer,
): void {
  for (const [field, value] of Object.entries(state)) {
    const fieldAt = [...at, field];
    const kind = FIELD_KINDS[field];
    // JSONata lets any value-carrying field be an expression; the expression itself is not parsed here.
    const isExpression = language === 'JSONata' && isJsonataExpression(value);
    if (kind !== undefined && !isExpression && !expectKind(report, value, kind, fieldAt)) continue;
    if (language === 'JSONata') continue;
    if (isPathField(field)) checkPathField(report, field, value, fieldAt);
    else if (PAYLOAD_TEMPLATES.includes(field)) checkPayloadTemplate(report, value, fieldAt);
  }
}

/** https://states-language.net/spec.html#statetypes: all but Choice, Succeed and Fail need exactly one of Next and End. */
function checkTransition(report: Report, state: JsonObject, type: StateType, at: Pointer): void {
  if (type === 'Choice' || type === 'Succeed' || type === 'Fail') return;
  if ('End' in state && typeof state.End !== 'boolean') return; // its type error says enough
  const ends = state.End === true;
  if ('Next' in state && ends) {
    schemaError(report, 'Only one of these fields is allowed: [End, Next]', at);
  } else if (!('Next' in state) && !ends) {
    // The wording of AWS's message for this case as quoted in public InvalidDefinition errors.
    schemaError(report, 'The field "Next" should be non-null', at);
  }
}

function checkTypeSpecific(
  scope: Scope,
  state: JsonObject,
  type: StateType,
  language: QueryLanguage,
  at: Pointer,
): void {
  const { report } = scope;
  if ('Retry' in state)
    checkErrorHandlers(report, 'Retry', state.Retry!, language, [...at, 'Retry']);
  if ('Catch' in state)
    checkErrorHandlers(report, 'Catch', state.Catch!, language, [...at, 'Catch']);
  switch (type) {
    case 'Task':
      requireFields(report, state, ['Resource'], at);
      if (typeof state.Resource === 'string')
        checkResource(scope, state.Resource, [...at, 'Resource']);
      allowAtMostOne(report, state, ['TimeoutSeconds', 'TimeoutSecondsPath'], at);
      allowAtMostOne(report, state, ['HeartbeatSeconds', 'HeartbeatSecondsPath'], at);
      return;
    case 'Pass':
      if ('Result' in state) checkStaticResult(report, state.Result!, [...at, 'Result']);
      return;
    case 'Choice':
      requireFields(report, state, ['Choices'], at);
      if ('Choices' in state) checkChoices(report, state.Choices!, language, [...at, 'Choices']);
      return;
    case 'Wait':
      requireExactlyOne(
        report,
        state,
        ['Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath'],
        at,
      );
      if (typeof state.Timestamp === 'string' && !isJsonataExpression(state.Timestamp)) {
        checkTimestamp(report, state.Timestamp, [...at, 'Timestamp']);
      }
      return;
    case 'Fail':
      allowAtMostOne(report, state, ['Error', 'ErrorPath'], at);
      allowAtMostOne(report, state, ['Cause', 'CausePath'], at);
      return;
    case 'Parallel':
      requireFields(report, state, ['Branches'], at);
      checkBranches(scope, state.Branches, [...at, 'Branches']);
      return;
    case 'Map':
      checkMap(scope, state, at);
      return;
    case 'Succeed':
      return;
  }
}

function checkResource(scope: Scope, resource: string, at: Pointer): void {
  if (!ARN.test(resource)) {
    // AWS's wording, as quoted in public InvalidDefinition errors.
    schemaError(
      scope.report,
      `The resource provided ${resource} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.`,
      at,
    );
    return;
  }
  const pattern = EXPRESS_UNSUPPORTED_PATTERNS.find((suffix) => resource.includes(suffix));
  if (scope.machineType === 'EXPRESS' && pattern !== undefined) {
    // https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html
    schemaError(
      scope.report,
      `Express state machine does not support '${pattern}' service integration`,
      at,
    );
  }
}

// RFC 3339 / ISO 8601 date-time, as the Wait state page requires for Timestamp:
// https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function checkTimestamp(report: Report, value: string, at: Pointer): void {
  if (!TIMESTAMP.test(value) || Number.isNaN(Date.parse(value))) {
    // Our wording.
    schemaError(
      report,
      "The value for the field 'Timestamp' must be a valid RFC3339 timestamp",
      at,
    );
  }
}

function checkBranches(scope: Scope, branches: Json | undefined, at: Pointer): void {
  if (!Array.isArray(branches)) return;
  if (branches.length === 0)
    schemaError(scope.report, "The field 'Branches' should be non-empty", at);
  branches.forEach((branch, index) => {
    if (expectKind(scope.report, branch, 'OBJECT', [...at, index])) {
      checkSubContainer(scope, branch, BRANCH_FIELDS, [...at, index]);
    }
  });
}

/** https://docs.aws.amazon.com/step-functions/latest/dg/state-map.html (`Iterator` is the deprecated name of `ItemProcessor`). */
function checkMap(scope: Scope, state: JsonObject, at: Pointer): void {
  const { report } = scope;
  requireExactlyOne(report, state, ['ItemProcessor', 'Iterator'], at);
  allowAtMostOne(report, state, ['ItemSelector', 'Parameters'], at);
  allowAtMostOne(report, state, ['MaxConcurrency', 'MaxConcurrencyPath'], at);
  allowAtMostOne(report, state, ['ToleratedFailureCount', 'ToleratedFailureCountPath'], at);
  allowAtMostOne(
    report,
    state,
    ['ToleratedFailurePercentage', 'ToleratedFailurePercentagePath'],
    at,
  );
  for (const field of ['ItemProcessor', 'Iterator'] as const) {
    if (field in state) checkSubContainer(scope, state[field]!, PROCESSOR_FIELDS, [...at, field]);
  }
  const config = isObject(state.ItemProcessor) ? state.ItemProcessor.ProcessorConfig : undefined;
  if (config !== undefined)
    checkProcessorConfig(scope, config, [...at, 'ItemProcessor', 'ProcessorConfig']);
}

function checkProcessorConfig(scope: Scope, config: Json, at: Pointer): void {
  const { report } = scope;
  if (!expectKind(report, config, 'OBJECT', at) || !isObject(config)) return;
  rejectUnknownFields(report, config, new Set(['Mode', 'ExecutionType']), at);
  if ('Mode' in config)
    expectOneOf(report, config.Mode, 'Mode', ['INLINE', 'DISTRIBUTED'], [...at, 'Mode']);
  if ('ExecutionType' in config) {
    expectOneOf(
      report,
      config.ExecutionType,
      'ExecutionType',
      ['STANDARD', 'EXPRESS'],
      [...at, 'ExecutionType'],
    );
  }
  if (scope.machineType === 'EXPRESS' && config.Mode === 'DISTRIBUTED') {
    // https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html: a
    // Distributed Map runs child workflows, which an Express parent cannot start.
    schemaError(
      report,
      "The field 'Mode' with value 'DISTRIBUTED' is not supported inside 'EXPRESS' state machines",
      [...at, 'Mode'],
    );
  }
}
