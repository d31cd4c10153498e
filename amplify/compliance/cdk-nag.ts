import {
  Validations,
  type IPolicyValidationContext,
  type IPolicyValidationPlugin,
  type PolicyValidationPluginReport,
} from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** What one acknowledgement accepts, in cdk-nag v2's familiar shape. */
export interface NagAcknowledgement {
  /** The rule, e.g. `AwsSolutions-IAM5`. */
  id: `AwsSolutions-${string}`;
  /** Why the finding is accepted here: reviewed by a person, asserted non-trivial by the test. */
  reason: string;
  /**
   * For rules that report one finding per wildcard or policy (IAM4, IAM5): the exact findings
   * accepted, e.g. `Resource::*`. Without it the whole rule is acknowledged on the construct.
   */
  appliesTo?: string[];
}

/**
 * Acknowledges findings on a construct and everything under it. cdk-nag 3 has no
 * `NagSuppressions`: it reads CDK's own acknowledgements (`Validations.of(c).acknowledge`), one
 * per finding, with `appliesTo` folded into the id as `Rule[Finding]`.
 */
export function acknowledge(construct: IConstruct, acknowledgements: NagAcknowledgement[]): void {
  for (const { id, reason, appliesTo } of acknowledgements) {
    for (const findingId of appliesTo?.map((finding) => `${id}[${finding}]`) ?? [id]) {
      Validations.of(construct).acknowledge({ id: findingId, reason });
    }
  }
}

/**
 * Runs cdk-nag's AwsSolutions pack on every synthesis, over the whole construct tree (the root
 * stack and every nested stack). It costs a fraction of a second of a ~12 s synth, so the
 * assembly the local cloud and the tests already build carries the result: CDK writes the
 * findings to `validation-report.json` in the assembly and acknowledged ones into each
 * resource's `Metadata.cdk_nag` (the audit trail, also deployed).
 *
 * Findings are reported, not fatal to synthesis: a new finding should fail the compliance test
 * (tests/amplify/cdk-nag.test.ts), not stop the local cloud and every other test from starting.
 */
export function checkWithCdkNag(scope: IConstruct): void {
  const app = scope.node.root;
  const pack = new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true });
  Validations.of(app).addPlugins(new ReportOnly(pack));
}

/** Passes the pack's findings through but never marks the synthesis as failed. */
class ReportOnly implements IPolicyValidationPlugin {
  readonly name: string;
  readonly version?: string;

  constructor(private readonly pack: IPolicyValidationPlugin) {
    this.name = pack.name;
    this.version = pack.version;
  }

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    return { ...this.pack.validate(context), success: true };
  }
}
