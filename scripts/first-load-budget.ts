/**
 * The pure half of the first-load check (scripts/report-first-load-js.ts measures; this
 * decides): which routes are over their budget, and which load aws-amplify up front.
 */

/** One App Router page's first load, as measured from the build's manifests. */
export interface FirstLoadRow {
  /** The URL pattern, route groups removed: `/`, `/products/[slug]`. */
  route: string;
  /** Gzipped kilobytes (1 kB = 1024 bytes). */
  kb: number;
  /** The first-load chunks that contain aws-amplify code (see `containsAwsAmplify`). */
  awsAmplifyChunks: string[];
}

/** Route → budget in gzipped kB. */
export type Budgets = Readonly<Record<string, number>>;

/**
 * Strings only aws-amplify's own code carries, each surviving minification as a string literal:
 * - `amplify_default`: the name of the symbol `@aws-amplify/core`'s Hub guards its channels with
 *   (`Symbol('amplify_default')`, and `Symbol.for('amplify_default')` in `@aws-amplify/ui`).
 *   `Amplify.configure` dispatches through that Hub and every category listens on it, so any
 *   bundle that can configure or call Amplify holds it.
 * - the string literal `aws-amplify` alone: `@aws-amplify/core`'s base user agent, which every
 *   Amplify service call sends, so it is there even if a bundler dropped the Hub.
 * Module paths would be nicer to match, but production chunks name modules by number only.
 * Our own code never spells either (it reaches aws-amplify through dynamic imports, compiled
 * to chunk numbers), and first-load-budget.test.ts checks both markers against the installed
 * aws-amplify, so an upgrade that drops one is noticed.
 */
const AWS_AMPLIFY_MARKERS: readonly RegExp[] = [/amplify_default/, /(["'`])aws-amplify\1/];

export function containsAwsAmplify(chunkText: string): boolean {
  return AWS_AMPLIFY_MARKERS.some((marker) => marker.test(chunkText));
}

/** `(catalog)` → `/`, `products/[slug]` → `/products/[slug]`: route groups are not in the URL. */
export function routeFromPageDir(pageDir: string): string {
  const segments = pageDir.split('/').filter((s) => s !== '' && !/^\(.*\)$/.test(s));
  return `/${segments.join('/')}`;
}

/**
 * Why the build must fail, one sentence per problem; empty when every budgeted route is within
 * its budget and loads no aws-amplify up front. A budgeted route missing from the build is a
 * problem too: a renamed page must not slip out of its budget unnoticed.
 */
export function budgetViolations(rows: readonly FirstLoadRow[], budgets: Budgets): string[] {
  const problems: string[] = [];
  for (const [route, budgetKb] of Object.entries(budgets)) {
    const row = rows.find((r) => r.route === route);
    if (!row) {
      problems.push(`${route} has a ${budgetKb} kB budget but no such page was built.`);
      continue;
    }
    if (row.kb > budgetKb) {
      problems.push(
        `${route} loads ${row.kb.toFixed(1)} kB of JavaScript (gzipped), over its ${budgetKb} kB budget.`,
      );
    }
    if (row.awsAmplifyChunks.length > 0) {
      problems.push(
        `${route} loads aws-amplify in its first load (${row.awsAmplifyChunks.join(', ')}): ` +
          'import it dynamically, after interaction or hydration.',
      );
    }
  }
  return problems;
}
