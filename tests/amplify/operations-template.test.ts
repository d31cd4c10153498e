import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  resourcesOfType,
  synthesizeBackend,
  type CfnResource,
  type CfnTemplate,
  type SynthesizedBackend,
} from './synthesized-backend';

/**
 * The operations console's backend (amplify/operations/operations-console.ts): a policy with
 * exactly the calls the console's server routes make, and the two alarms beside it.
 */

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
  NotAction?: unknown;
  NotResource?: unknown;
}

let backend: SynthesizedBackend;

beforeAll(() => {
  backend = synthesizeBackend();
});
afterAll(() => backend?.dispose());

const asList = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);
const props = (r: CfnResource) => r.Properties ?? {};

function only<T>(items: T[], what: string): T {
  expect(items.length, what).toBe(1);
  return items[0]!;
}

/** The template holding the operations resources (the intake stack), and its resources. */
function operationsStack(): {
  template: CfnTemplate;
  id: (prefix: string, type?: string) => string;
} {
  const template = only(
    [...backend.templates.values()].filter((t) =>
      Object.keys(t.Resources).some((id) => id.startsWith('OperationsAppServerPolicy')),
    ),
    'stack with the operations policy',
  );
  const id = (prefix: string, type = 'AWS::SQS::Queue') =>
    only(
      Object.entries(template.Resources)
        .filter(([key, r]) => key.startsWith(prefix) && r.Type === type)
        .map(([key]) => key),
      prefix,
    );
  return { template, id };
}

/** The state machine's name or ARN as the intake stack receives it (a nested-stack parameter). */
const stateMachineParameter = (attribute: 'Arn' | 'Name') =>
  new RegExp(`^referenceto.*workflow.*OrderWorkflowStateMachine[0-9A-F]{8}${attribute}$`);

describe('operations console: app-server policy', () => {
  it('grants exactly the console’s calls, each on exactly its resources', () => {
    const { template, id } = operationsStack();
    const policy = template.Resources[id('OperationsAppServerPolicy', 'AWS::IAM::ManagedPolicy')]!;
    const statements = (props(policy).PolicyDocument as { Statement: Statement[] }).Statement;
    const queue = id('OrderIntakeQueue');
    const deadLetters = id('OrderIntakeDeadLetters');
    const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

    const shape = statements.map((s) => ({
      sid: s.Sid,
      effect: s.Effect,
      actions: asList(s.Action).slice().sort(),
      resources: asList(s.Resource),
      extra: [s.Condition, s.NotAction, s.NotResource].filter((x) => x !== undefined),
    }));
    const statesResource = (r: unknown) => r as { Ref?: string; 'Fn::Join'?: [string, unknown[]] };

    expect(shape.map(({ sid }) => sid)).toEqual([
      'ObserveStateMachine',
      'OperateExecutions',
      'ObserveQueues',
      'ListAndRedriveDeadLetters',
      'RedriveDestination',
      'OldestQueuedOrder',
    ]);
    for (const s of shape) {
      expect(s.effect, s.sid).toBe('Allow');
      expect(s.extra, s.sid).toEqual([]);
      for (const action of s.actions) expect(action, s.sid).not.toContain('*');
      for (const resource of s.resources) expect(resource, s.sid).not.toBe('*');
    }

    const [machine, executions, depths, deadLetterCalls, destination, oldest] = shape as [
      (typeof shape)[number],
      (typeof shape)[number],
      (typeof shape)[number],
      (typeof shape)[number],
      (typeof shape)[number],
      (typeof shape)[number],
    ];
    expect(machine.actions).toEqual(['states:DescribeStateMachine', 'states:ListExecutions']);
    expect(machine.resources).toHaveLength(1);
    expect(statesResource(machine.resources[0]).Ref).toMatch(stateMachineParameter('Arn'));

    expect(executions.actions).toEqual([
      'states:DescribeExecution',
      'states:GetExecutionHistory',
      'states:RedriveExecution',
      'states:StopExecution',
    ]);
    expect(executions.resources).toHaveLength(1);
    // arn:<partition>:states:<region>:<account>:execution:<machine name>:*
    const [separator, parts] = statesResource(executions.resources[0])['Fn::Join']!;
    expect(separator).toBe('');
    expect(parts.slice(0, 7)).toEqual([
      'arn:',
      { Ref: 'AWS::Partition' },
      ':states:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ':execution:',
    ]);
    expect((parts[7] as { Ref: string }).Ref).toMatch(stateMachineParameter('Name'));
    expect(parts.slice(8)).toEqual([':*']);

    expect(depths.actions).toEqual(['sqs:GetQueueAttributes']);
    expect(depths.resources).toEqual([arnOf(queue), arnOf(deadLetters)]);

    expect(deadLetterCalls.actions).toEqual(
      [
        'sqs:ReceiveMessage',
        'sqs:DeleteMessage',
        'sqs:StartMessageMoveTask',
        'sqs:ListMessageMoveTasks',
        'sqs:CancelMessageMoveTask',
      ].sort(),
    );
    expect(deadLetterCalls.resources).toEqual([arnOf(deadLetters)]);

    expect(destination.actions).toEqual(['sqs:SendMessage']);
    expect(destination.resources).toEqual([arnOf(queue)]);

    expect(oldest.actions).toEqual(['dynamodb:Query']);
    expect(oldest.resources).toHaveLength(1);
    expect(JSON.stringify(oldest.resources[0])).toMatch(/\/index\/byIntakePending"/);
  });

  it('is the only policy granting the console’s operator calls', () => {
    const operatorActions = [
      'states:RedriveExecution',
      'states:StopExecution',
      'states:ListExecutions',
      'sqs:StartMessageMoveTask',
      'sqs:CancelMessageMoveTask',
    ];
    const holders = [
      ...resourcesOfType(backend.templates, 'AWS::IAM::ManagedPolicy'),
      ...resourcesOfType(backend.templates, 'AWS::IAM::Policy'),
    ]
      .filter(([, r]) =>
        (props(r).PolicyDocument as { Statement: Statement[] }).Statement.some((s) =>
          asList(s.Action).some((a) => operatorActions.includes(a)),
        ),
      )
      .map(([id]) => id.replace(/[0-9A-F]{8}$/, ''));
    expect(holders).toEqual(['OperationsAppServerPolicy']);
  });
});

describe('operations console: alarms', () => {
  const alarms = () =>
    Object.fromEntries(
      resourcesOfType(backend.templates, 'AWS::CloudWatch::Alarm').map(([id, r]) => [
        id.replace(/[0-9A-F]{8}$/, ''),
        props(r),
      ]),
    );

  it('alarms on any failed execution of the order state machine', () => {
    const failed = alarms().OperationsFailedExecutionsAlarm;
    expect(failed).toMatchObject({
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsFailed',
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    const dimensions = failed!.Dimensions as { Name: string; Value: { Ref: string } }[];
    expect(dimensions).toHaveLength(1);
    expect(dimensions[0]!.Name).toBe('StateMachineArn');
    expect(dimensions[0]!.Value.Ref).toMatch(stateMachineParameter('Arn'));
  });

  it('alarms as soon as the dead-letter queue holds a message', () => {
    const { id } = operationsStack();
    expect(alarms().OperationsDeadLettersAlarm).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        { Name: 'QueueName', Value: { 'Fn::GetAtt': [id('OrderIntakeDeadLetters'), 'QueueName'] } },
      ],
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('has exactly these two alarms, in the stack of the queues they watch', () => {
    expect(Object.keys(alarms()).sort()).toEqual([
      'OperationsDeadLettersAlarm',
      'OperationsFailedExecutionsAlarm',
    ]);
    const { template } = operationsStack();
    const here = Object.values(template.Resources).filter(
      (r) => r.Type === 'AWS::CloudWatch::Alarm',
    );
    expect(here).toHaveLength(2);
  });
});

describe('operations console: outputs', () => {
  it('publishes the policy and both queues’ addresses under custom', () => {
    const root = [...backend.templates.entries()].find(([f]) => !f.includes('.nested.'))![1];
    const custom = JSON.stringify(root.Outputs?.customOutputs?.Value);
    const outputs: Record<string, RegExp> = {
      operationsAppServerPolicyArn: /intakeOperationsAppServerPolicy[0-9A-F]{8}Ref/,
      orderIntakeQueueArn: /intakeOrderIntakeQueue[0-9A-F]{8}Arn/,
      orderIntakeDeadLetterQueueUrl: /intakeOrderIntakeDeadLetters[0-9A-F]{8}Ref/,
      orderIntakeDeadLetterQueueArn: /intakeOrderIntakeDeadLetters[0-9A-F]{8}Arn/,
    };
    for (const [key, value] of Object.entries(outputs)) {
      // `"key":"` then the nested stack output it is joined with.
      const at = custom.indexOf(`\\"${key}\\":\\"`);
      expect(at, key).toBeGreaterThan(-1);
      expect(custom.slice(at, at + 400), key).toMatch(value);
    }
  });
});
