import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { acknowledge } from '../../amplify/compliance/cdk-nag';
import { ensureAssembly } from '../../scripts/assembly-cache';
import { CACHE_DIR } from '../support/global-setup';

/**
 * cdk-nag's AwsSolutions pack runs inside every synthesis (amplify/compliance/cdk-nag.ts), so
 * this reads the assembly the test run already has (`ensureAssembly`, rebuilt only when
 * amplify/ or the lockfile changed) instead of synthesizing again.
 */

interface Violation {
  ruleName: string;
  description: string;
  severity?: string;
  violatingConstructs?: { constructPath?: string }[];
}
interface ValidationReport {
  pluginReports: { pluginName: string; violations: Violation[] }[];
}
interface Template {
  Resources?: Record<
    string,
    {
      Type: string;
      Metadata?: { cdk_nag?: { rules_to_suppress: { id: string; reason: string }[] } };
    }
  >;
}

const MIN_REASON_LENGTH = 20;

let assemblyDir: string;
let report: ValidationReport;
let templates: Map<string, Template>;

beforeAll(() => {
  assemblyDir = ensureAssembly(CACHE_DIR);
  report = JSON.parse(
    readFileSync(path.join(assemblyDir, 'validation-report.json'), 'utf8'),
  ) as ValidationReport;
  templates = new Map(
    readdirSync(assemblyDir)
      .filter((file) => file.endsWith('.template.json'))
      .map((file) => [
        file,
        JSON.parse(readFileSync(path.join(assemblyDir, file), 'utf8')) as Template,
      ]),
  );
});

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged error or warning in any stack', () => {
    const findings = report.pluginReports
      .filter((plugin) => plugin.pluginName === 'AwsSolutions')
      .flatMap((plugin) => plugin.violations)
      .flatMap((v) =>
        (v.violatingConstructs ?? [{}]).map(
          (c) =>
            `${v.severity ?? 'error'} ${v.ruleName} at ${c.constructPath ?? '?'}: ${v.description}`,
        ),
      );
    if (findings.length > 0) {
      console.error(
        `cdk-nag findings (fix them, or acknowledge them with a reason in ` +
          `amplify/compliance/nag-suppressions.ts):\n${findings.join('\n')}`,
      );
    }
    expect(findings).toEqual([]);
  });

  it('ran over the root stack and every nested stack', () => {
    const nested = [...templates.keys()].filter((file) => file.includes('.nested.'));
    expect(nested.length).toBeGreaterThanOrEqual(4);
    // The pack's audit trail: acknowledged findings are written into the resources' metadata,
    // so their presence shows the pack was registered on this synthesis.
    const stacksWithAcknowledgements = [...templates.entries()].filter(([, t]) =>
      Object.values(t.Resources ?? {}).some((r) => r.Metadata?.cdk_nag),
    );
    expect(stacksWithAcknowledgements.length).toBeGreaterThanOrEqual(3);
  });

  it('gives every acknowledgement a reason of substance', () => {
    const acknowledgements = [...templates.entries()].flatMap(([file, t]) =>
      Object.entries(t.Resources ?? {}).flatMap(([logicalId, r]) =>
        (r.Metadata?.cdk_nag?.rules_to_suppress ?? []).map((rule) => ({
          where: `${file} ${logicalId}`,
          ...rule,
        })),
      ),
    );
    expect(acknowledgements.length).toBeGreaterThan(0);
    const weak = acknowledgements.filter(
      ({ id, reason }) =>
        !/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/.test(id) ||
        reason.trim().length < MIN_REASON_LENGTH ||
        reason.includes(id),
    );
    expect(weak.map(({ where, id, reason }) => `${where} ${id}: "${reason}"`)).toEqual([]);
  });

  it('acknowledges exactly the finding named, in the id format cdk-nag 3 matches', () => {
    // A managed policy on a role is one IAM4 finding per policy; acknowledging one leaves the
    // other reported, so an `appliesTo` never silences more than it names.
    const app = new App();
    const stack = new Stack(app, 'Probe');
    const role = new Role(stack, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: [
        ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole'),
        ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess'),
      ],
    });
    acknowledge(role, [
      {
        id: 'AwsSolutions-IAM4',
        appliesTo: [
          'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
        ],
        reason: 'The probe accepts the basic execution role only.',
      },
    ]);
    const { violations } = new AwsSolutionsChecks().validateScope(app);
    expect(violations.map((v) => v.ruleName)).toEqual([
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/ReadOnlyAccess]',
    ]);
  });
});
