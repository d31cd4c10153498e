import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { INTAKE_MODES } from '@/amplify/intake/intake-mode';

/**
 * `amplify_outputs.json`, read at run time (not bundled) so one build runs against the
 * local cloud or a deployed sandbox. `npm run dev` writes the local one; `ampx sandbox`
 * writes the cloud one. The parts the app relies on are validated here, once.
 */
const outputsSchema = z.looseObject({
  version: z.string(),
  auth: z.looseObject({
    aws_region: z.string(),
    user_pool_id: z.string(),
    user_pool_client_id: z.string(),
  }),
  data: z.looseObject({
    url: z.url(),
    aws_region: z.string(),
  }),
  custom: z.looseObject({
    ordersTableName: z.string(),
    inventoryTableName: z.string(),
    idempotencyTableName: z.string(),
    orderWorkflowArn: z.string(),
    /** How accepted orders reach the workflow (amplify/intake/intake-mode.ts). */
    orderIntakeMode: z.enum(INTAKE_MODES),
    orderIntakeQueueUrl: z.url(),
    /**
     * The operations console's (`/ops`) targets (amplify/operations/operations-console.ts):
     * required, since both the cloud's outputs and the local cloud's carry them.
     */
    orderIntakeQueueArn: z.string(),
    orderIntakeDeadLetterQueueUrl: z.url(),
    orderIntakeDeadLetterQueueArn: z.string(),
    operationsAppServerPolicyArn: z.string(),
    region: z.string(),
    /**
     * Set only in the local cloud's outputs: where Cognito is served. The outputs schema
     * has no field for it, and aws-amplify takes it as `Auth.Cognito.userPoolEndpoint`.
     */
    userPoolEndpoint: z.url().optional(),
  }),
});

export type AmplifyOutputs = z.infer<typeof outputsSchema>;

let cached: AmplifyOutputs | undefined;

/*
 * The outputs file is a run-time input, never a build input: `npm run dev` or `ampx sandbox`
 * writes it after the build may have run, and AMPLIFY_OUTPUTS may point anywhere. A path
 * Turbopack cannot resolve at build time makes it trace the whole project (README, amplify/,
 * public/, ...) into every server function that reads it, so both file-system calls below carry
 * `turbopackIgnore` (the opt-out the warning and the Next.js docs name). The default file is
 * added back to the traces by `outputFileTracingIncludes` in next.config.js.
 */
export function outputsPath(): string {
  return resolve(/*turbopackIgnore: true*/ process.env.AMPLIFY_OUTPUTS ?? 'amplify_outputs.json');
}

export function loadOutputs(): AmplifyOutputs {
  if (cached) return cached;
  const path = outputsPath();
  let raw: string;
  try {
    raw = readFileSync(/*turbopackIgnore: true*/ path, 'utf8');
  } catch {
    throw new Error(
      `${path} is missing. Run \`npm run dev\` (offline) or \`npm run sandbox\` (AWS) to generate it.`,
    );
  }
  const parsed = outputsSchema.safeParse(JSON.parse(raw));
  if (!parsed.success) {
    throw new Error(`${path} is not what this app expects:\n${z.prettifyError(parsed.error)}`);
  }
  cached = parsed.data;
  return cached;
}

/** The token issuer, from the same endpoint the Amplify client signs in against. */
export function userPoolIssuer(outputs: AmplifyOutputs): string {
  const endpoint =
    outputs.custom.userPoolEndpoint ??
    `https://cognito-idp.${outputs.auth.aws_region}.amazonaws.com`;
  return `${endpoint.replace(/\/$/, '')}/${outputs.auth.user_pool_id}`;
}
