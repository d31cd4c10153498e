import type { Pointer } from './diagnostics';
import {
  type Json,
  type QueryLanguage,
  type Report,
  expectKind,
  expectOneOf,
  isObject,
  rejectUnknownFields,
  requireFields,
  schemaError,
} from './checks';
import { checkPathField, checkPayloadTemplate } from './paths';

/**
 * Retry and Catch, https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html:
 * "States.ALL must appear alone in the ErrorEquals array and must appear in the last retrier
 * (catcher)". The bounds are the documented ones: IntervalSeconds and MaxDelaySeconds are positive
 * integers, MaxAttempts a non-negative integer, BackoffRate at least 1.0.
 */

const STATES_ALL = 'States.ALL';
const RETRIER_FIELDS = new Set([
  'ErrorEquals',
  'IntervalSeconds',
  'MaxAttempts',
  'BackoffRate',
  'MaxDelaySeconds',
  'JitterStrategy',
  'Comment',
]);
const CATCHER_FIELDS: Record<QueryLanguage, ReadonlySet<string>> = {
  JSONPath: new Set(['ErrorEquals', 'Next', 'ResultPath', 'Comment', 'Assign']),
  JSONata: new Set(['ErrorEquals', 'Next', 'Output', 'Comment', 'Assign']),
};

type Kind = 'Retry' | 'Catch';

export function checkErrorHandlers(
  report: Report,
  kind: Kind,
  handlers: Json,
  language: QueryLanguage,
  at: Pointer,
): void {
  if (!expectKind(report, handlers, 'ARRAY', at)) return;
  const list = handlers as Json[];
  list.forEach((handler, index) => {
    const handlerAt = [...at, index];
    if (!expectKind(report, handler, 'OBJECT', handlerAt) || !isObject(handler)) return;
    if (kind === 'Retry') checkRetrier(report, handler, handlerAt);
    else checkCatcher(report, handler, language, handlerAt);
    if (!Array.isArray(handler.ErrorEquals) || !handler.ErrorEquals.includes(STATES_ALL)) return;
    // Our wording for both rules; AWS's messages are not documented.
    if (handler.ErrorEquals.length > 1) {
      schemaError(
        report,
        `The value '${STATES_ALL}' must appear alone in the 'ErrorEquals' array`,
        [...handlerAt, 'ErrorEquals'],
      );
    }
    if (index !== list.length - 1) {
      const role = kind === 'Retry' ? 'retrier' : 'catcher';
      schemaError(
        report,
        `A ${role} with '${STATES_ALL}' must be the last one in the '${kind}' array`,
        handlerAt,
      );
    }
  });
}

function checkErrorEquals(report: Report, handler: { [key: string]: Json }, at: Pointer): void {
  requireFields(report, handler, ['ErrorEquals'], at);
  if (!('ErrorEquals' in handler)) return;
  const errorsAt = [...at, 'ErrorEquals'];
  if (!expectKind(report, handler.ErrorEquals, 'ARRAY', errorsAt)) return;
  const names = handler.ErrorEquals as Json[];
  if (names.length === 0)
    schemaError(report, "The field 'ErrorEquals' should be non-empty", errorsAt);
  names.forEach((name, index) => expectKind(report, name, 'STRING', [...errorsAt, index]));
}

function checkRetrier(report: Report, retrier: { [key: string]: Json }, at: Pointer): void {
  rejectUnknownFields(report, retrier, RETRIER_FIELDS, at);
  checkErrorEquals(report, retrier, at);
  checkNumber(report, retrier, 'IntervalSeconds', true, 1, at);
  checkNumber(report, retrier, 'MaxDelaySeconds', true, 1, at);
  checkNumber(report, retrier, 'MaxAttempts', true, 0, at);
  checkNumber(report, retrier, 'BackoffRate', false, 1, at);
  if ('JitterStrategy' in retrier) {
    expectOneOf(
      report,
      retrier.JitterStrategy,
      'JitterStrategy',
      ['FULL', 'NONE'],
      [...at, 'JitterStrategy'],
    );
  }
}

function checkCatcher(
  report: Report,
  catcher: { [key: string]: Json },
  language: QueryLanguage,
  at: Pointer,
): void {
  rejectUnknownFields(report, catcher, CATCHER_FIELDS[language], at);
  checkErrorEquals(report, catcher, at);
  requireFields(report, catcher, ['Next'], at);
  if ('Next' in catcher) expectKind(report, catcher.Next, 'STRING', [...at, 'Next']);
  if ('ResultPath' in catcher && language === 'JSONPath') {
    checkPathField(report, 'ResultPath', catcher.ResultPath!, [...at, 'ResultPath']);
  }
  if ('Assign' in catcher && expectKind(report, catcher.Assign, 'OBJECT', [...at, 'Assign'])) {
    if (language === 'JSONPath') checkPayloadTemplate(report, catcher.Assign!, [...at, 'Assign']);
  }
}

function checkNumber(
  report: Report,
  object: { [key: string]: Json },
  field: string,
  integer: boolean,
  minimum: number,
  at: Pointer,
): void {
  if (!(field in object)) return;
  const fieldAt = [...at, field];
  if (!expectKind(report, object[field], integer ? 'INTEGER' : 'NUMBER', fieldAt)) return;
  if ((object[field] as number) < minimum) {
    // Our wording; the bound itself is AWS's.
    schemaError(report, `The value of the field '${field}' must be at least ${minimum}`, fieldAt);
  }
}
