import type { HistoryEvent } from '@aws-sdk/client-sfn';

/**
 * What an operator may read of an execution's data. Task tokens are credentials (whoever holds
 * one can complete the task), and card data is never shown in full, so both are replaced
 * wherever they appear: under any key naming a token or card secret, and any run of 13 to 19
 * digits (a card number, spaced or not) anywhere in a string. Everything else stays: an
 * operator needs the order's input, outputs and errors to judge what to do.
 */
const SECRET_KEY = /token|cardnumber|cvc|cvv|expiry|password|secret/i;
const CARD_NUMBER = /\b\d(?:[ -]?\d){12,18}\b/g;
export const REDACTED = '[redacted]';

export function redactValue(value: unknown, key = ''): unknown {
  if (SECRET_KEY.test(key)) return REDACTED;
  if (typeof value === 'string') return redactString(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, k)]));
  }
  return value;
}

/** A string, or the JSON document it holds (history payloads are JSON text). */
function redactString(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.stringify(redactValue(JSON.parse(trimmed)));
    } catch {
      // Not JSON after all: treat as text.
    }
  }
  return text.replace(CARD_NUMBER, (digits) => `•••• ${digits.replace(/\D/g, '').slice(-4)}`);
}

/** A history event with every payload redacted; ids, types and timestamps as they were. */
export function redactEvent(event: HistoryEvent): HistoryEvent {
  return redactValue(event) as HistoryEvent;
}
