import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  budgetViolations,
  containsAwsAmplify,
  routeFromPageDir,
  type FirstLoadRow,
} from './first-load-budget';

const row = (route: string, kb: number, awsAmplifyChunks: string[] = []): FirstLoadRow => ({
  route,
  kb,
  awsAmplifyChunks,
});

describe('budgetViolations', () => {
  const budgets = { '/': 140, '/products/[slug]': 140 };

  it('passes when every budgeted route is within budget, and ignores unbudgeted ones', () => {
    const rows = [row('/', 139.9), row('/products/[slug]', 140), row('/sign-in', 274, ['a.js'])];
    expect(budgetViolations(rows, budgets)).toEqual([]);
  });

  it('names the route, its size and its budget when it is over', () => {
    const problems = budgetViolations([row('/', 143.64), row('/products/[slug]', 120)], budgets);
    expect(problems).toEqual(['/ loads 143.6 kB of JavaScript (gzipped), over its 140 kB budget.']);
  });

  it('fails a budgeted route that loads aws-amplify, whatever its size', () => {
    const rows = [row('/', 100), row('/products/[slug]', 100, ['static/chunks/x.js'])];
    const [problem, ...rest] = budgetViolations(rows, budgets);
    expect(rest).toEqual([]);
    expect(problem).toContain('/products/[slug] loads aws-amplify in its first load');
    expect(problem).toContain('static/chunks/x.js');
  });

  it('fails when a budgeted route is missing from the build', () => {
    expect(budgetViolations([row('/', 100)], budgets)).toEqual([
      '/products/[slug] has a 140 kB budget but no such page was built.',
    ]);
  });
});

describe('routeFromPageDir', () => {
  it('drops route groups, as URLs do', () => {
    expect(routeFromPageDir('(catalog)')).toBe('/');
    expect(routeFromPageDir('')).toBe('/');
    expect(routeFromPageDir('products/[slug]')).toBe('/products/[slug]');
    expect(routeFromPageDir('(shop)/orders/[id]')).toBe('/orders/[id]');
  });
});

describe('containsAwsAmplify', () => {
  const source = (path: string) =>
    readFileSync(new URL(`../node_modules/${path}`, import.meta.url), 'utf8');

  it('recognizes the installed aws-amplify by both markers', () => {
    // The Hub (its guard symbol) and the Platform (its user agent), as published.
    const hub = source('@aws-amplify/core/dist/esm/Hub/index.mjs');
    const platform = source('@aws-amplify/core/dist/esm/Platform/index.mjs');
    expect(containsAwsAmplify(hub)).toBe(true);
    expect(containsAwsAmplify(platform)).toBe(true);
    expect(containsAwsAmplify(hub.replace(/amplify_default/g, ''))).toBe(false);
    expect(containsAwsAmplify(platform.replace(/aws-amplify/g, ''))).toBe(false);
  });

  it('recognizes the markers as minifiers print them', () => {
    expect(containsAwsAmplify('let i="u">typeof Symbol?Symbol("amplify_default"):"@@x"')).toBe(
      true,
    );
    expect(containsAwsAmplify('let o="aws-amplify";this.userAgent=`${o}/${v}`')).toBe(true);
  });

  it('does not flag code that only mentions Amplify', () => {
    expect(containsAwsAmplify('e.A(90040).then(e=>e.currentUser(l))')).toBe(false);
    expect(containsAwsAmplify('"Sign in with aws-amplify-ui docs"')).toBe(false);
    expect(containsAwsAmplify('className:"amplify-button"')).toBe(false);
  });
});
