import type { Pointer } from './diagnostics';
import {
  type Json,
  type QueryLanguage,
  type Report,
  expectKind,
  isObject,
  rejectUnknownFields,
  requireFields,
  schemaError,
} from './checks';
import { checkPathField, checkPayloadTemplate } from './paths';

/**
 * Choice rules, https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html: a rule at
 * the top of `Choices` needs `Next`; a rule nested in And/Or/Not must not have one. A JSONPath rule
 * is either a boolean combination or `Variable` plus exactly one comparison operator.
 */

const VALUE_KIND_OF_OPERATOR_FAMILY = {
  String: 'STRING',
  Numeric: 'NUMBER',
  Boolean: 'BOOLEAN',
  Timestamp: 'STRING',
} as const;

const RELATIONS = ['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals'];
const TYPE_TESTS = ['IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp'];

const COMPARISON_OPERATORS: ReadonlyMap<string, 'STRING' | 'NUMBER' | 'BOOLEAN' | 'PATH'> = new Map(
  [
    ...Object.entries(VALUE_KIND_OF_OPERATOR_FAMILY).flatMap(([family, kind]) =>
      (family === 'Boolean' ? ['Equals'] : RELATIONS).flatMap((relation) => [
        [`${family}${relation}`, kind] as const,
        [`${family}${relation}Path`, 'PATH'] as const,
      ]),
    ),
    ['StringMatches', 'STRING'] as const,
    ...TYPE_TESTS.map((test) => [test, 'BOOLEAN'] as const),
  ],
);

const COMBINATORS = ['And', 'Or', 'Not'];
const JSONPATH_RULE_FIELDS = new Set([
  'Variable',
  'Next',
  'Comment',
  'Assign',
  ...COMBINATORS,
  ...COMPARISON_OPERATORS.keys(),
]);
const JSONATA_RULE_FIELDS = new Set(['Condition', 'Next', 'Comment', 'Assign', 'Output']);

export function checkChoices(
  report: Report,
  choices: Json,
  language: QueryLanguage,
  at: Pointer,
): void {
  if (!expectKind(report, choices, 'ARRAY', at)) return;
  const rules = choices as Json[];
  // Our wording: an empty Choices array can never route anywhere.
  if (rules.length === 0) schemaError(report, "The field 'Choices' should be non-empty", at);
  rules.forEach((rule, index) => checkRule(report, rule, language, true, [...at, index]));
}

function checkRule(
  report: Report,
  rule: Json,
  language: QueryLanguage,
  topLevel: boolean,
  at: Pointer,
): void {
  if (!expectKind(report, rule, 'OBJECT', at) || !isObject(rule)) return;
  const allowed = language === 'JSONata' ? JSONATA_RULE_FIELDS : JSONPATH_RULE_FIELDS;
  rejectUnknownFields(report, rule, allowed, at);
  if (topLevel) {
    requireFields(report, rule, ['Next'], at);
  } else {
    for (const field of ['Next', 'Assign', 'Output']) {
      if (field in rule) schemaError(report, `Field '${field}' is not supported`, at);
    }
  }
  if ('Next' in rule) expectKind(report, rule.Next, 'STRING', [...at, 'Next']);
  if ('Comment' in rule) expectKind(report, rule.Comment, 'STRING', [...at, 'Comment']);
  if (language === 'JSONata') {
    requireFields(report, rule, ['Condition'], at);
    return;
  }
  if ('Assign' in rule && expectKind(report, rule.Assign, 'OBJECT', [...at, 'Assign'])) {
    checkPayloadTemplate(report, rule.Assign!, [...at, 'Assign']);
  }
  checkJsonPathCondition(report, rule, at);
}

function checkJsonPathCondition(report: Report, rule: { [key: string]: Json }, at: Pointer): void {
  const operators = Object.keys(rule).filter((field) => COMPARISON_OPERATORS.has(field));
  const combinators = COMBINATORS.filter((field) => field in rule);
  if (operators.length + combinators.length !== 1) {
    // Our wording: AWS's message for a rule with no (or several) conditions is not documented.
    schemaError(
      report,
      'A choice rule must contain exactly one of And, Or, Not or a comparison operator',
      at,
    );
  }
  if (operators.length > 0) requireFields(report, rule, ['Variable'], at);
  if ('Variable' in rule) checkPathField(report, 'Variable', rule.Variable!, [...at, 'Variable']);

  for (const operator of operators) {
    const kind = COMPARISON_OPERATORS.get(operator)!;
    const value = rule[operator]!;
    if (kind === 'PATH') checkPathField(report, operator, value, [...at, operator]);
    else expectKind(report, value, kind, [...at, operator]);
  }
  for (const combinator of combinators) {
    const value = rule[combinator]!;
    if (combinator === 'Not') {
      checkRule(report, value, 'JSONPath', false, [...at, combinator]);
    } else if (expectKind(report, value, 'ARRAY', [...at, combinator])) {
      const nested = value as Json[];
      if (nested.length === 0) {
        schemaError(report, `The field '${combinator}' should be non-empty`, [...at, combinator]);
      }
      nested.forEach((child, index) =>
        checkRule(report, child, 'JSONPath', false, [...at, combinator, index]),
      );
    }
  }
}
