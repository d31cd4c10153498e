import { describe, expect, it } from 'vitest';
import { formatMoney } from './money';

describe('formatMoney', () => {
  it('formats integer cents as dollars', () => {
    expect(formatMoney(1650, 'USD')).toBe('$16.50');
    expect(formatMoney(0, 'USD')).toBe('$0.00');
    expect(formatMoney(5, 'USD')).toBe('$0.05');
  });

  it('groups thousands', () => {
    expect(formatMoney(123456789, 'USD')).toBe('$1,234,567.89');
  });

  it('follows the locale', () => {
    expect(formatMoney(1650, 'USD', 'de-DE')).toBe('16,50\u00a0$');
  });

  it('refuses fractional cents instead of rounding silently', () => {
    expect(() => formatMoney(10.5, 'USD')).toThrow(RangeError);
    expect(() => formatMoney(Number.NaN, 'USD')).toThrow(RangeError);
  });
});
