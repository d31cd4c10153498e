/** Money is always integer minor units (cents) plus an ISO 4217 currency code. */
export type Currency = 'USD';

const formatters = new Map<string, Intl.NumberFormat>();

/** Formats integer cents for display, e.g. `formatMoney(1250, 'USD')` → `$12.50`. */
export function formatMoney(cents: number, currency: Currency = 'USD', locale = 'en-US'): string {
  if (!Number.isSafeInteger(cents)) {
    throw new RangeError(`Money must be an integer number of cents, got ${cents}`);
  }
  const key = `${locale}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formatters.set(key, formatter);
  }
  // Intl rounds floats; dividing integers by 100 is exact for every amount a cart can hold.
  return formatter.format(cents / 100);
}
