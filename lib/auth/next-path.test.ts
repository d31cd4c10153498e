import { describe, expect, it } from 'vitest';
import { safeNextPath } from './next-path';

describe('safeNextPath', () => {
  it('keeps same-site paths with their query', () => {
    expect(safeNextPath('/checkout')).toBe('/checkout');
    expect(safeNextPath('/orders/abc?x=1#top')).toBe('/orders/abc?x=1#top');
  });

  it('sends everything else home', () => {
    for (const next of [
      undefined,
      '',
      'https://evil.example',
      '//evil.example',
      '/\\evil.example',
      '/\t/evil.example',
      '/%09/evil.example/..',
      'javascript:alert(1)',
    ]) {
      const result = safeNextPath(next);
      expect(new URL(result, 'https://shop.invalid').origin).toBe('https://shop.invalid');
    }
    expect(safeNextPath('/\\evil.example')).toBe('/');
    expect(safeNextPath('//evil.example')).toBe('/');
  });
});
