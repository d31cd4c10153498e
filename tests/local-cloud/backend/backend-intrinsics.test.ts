import { describe, expect, test } from 'vitest';
import type { AssemblyFiles, CfnTemplate, StackTemplate } from '../../../local-cloud/backend';
import {
  createEvaluator,
  localResourceResolver,
  UnresolvableReferenceError,
} from '../../../local-cloud/backend';

/** A root stack and one nested stack, in memory, shaped as CDK synthesizes them. */
function assembly(): { files: AssemblyFiles; root: StackTemplate; nested: StackTemplate } {
  const nestedTemplate: CfnTemplate = {
    Parameters: { tableRef: { Type: 'String' } },
    Resources: {
      Fn1: { Type: 'AWS::Lambda::Function', Properties: {} },
      Mystery: { Type: 'AWS::Made::Up', Properties: {} },
    },
    Outputs: {
      FnArn: { Value: { 'Fn::GetAtt': ['Fn1', 'Arn'] } },
      Echo: { Value: { Ref: 'tableRef' } },
    },
  };
  const root: StackTemplate = {
    path: '/app',
    file: 'root.template.json',
    template: {
      Resources: {
        Tbl: { Type: 'AWS::DynamoDB::Table', Properties: {} },
        Child: {
          Type: 'AWS::CloudFormation::Stack',
          Properties: { Parameters: { tableRef: { Ref: 'Tbl' } } },
        },
      },
    },
    constructPaths: new Map([['Tbl', '/app/tables/Orders/Resource']]),
  };
  const nested: StackTemplate = {
    path: '/app/fns',
    file: 'fns.nested.template.json',
    template: nestedTemplate,
    parent: { stack: root, logicalId: 'Child' },
    constructPaths: new Map([
      ['Fn1', '/app/fns/ship-order-lambda/Resource'],
      ['Mystery', '/app/fns/Thing/Resource'],
    ]),
  };
  const files: AssemblyFiles = {
    dir: '/nowhere',
    stackName: 'app',
    root,
    stacks: [root, nested],
    assets: new Map(),
  };
  return { files, root, nested };
}

const local = {
  baseUrl: 'http://127.0.0.1:4566',
  region: 'us-east-1',
  accountId: '000000000000',
  userPoolId: 'us-east-1_abc',
  userPoolClientId: 'client',
};

describe('CloudFormation intrinsics, evaluated locally', () => {
  const { files, root, nested } = assembly();
  const evaluate = createEvaluator(files, {
    region: 'us-east-1',
    accountId: '000000000000',
    resolveResource: localResourceResolver(local),
  });

  test('nested outputs, parameters passed from the parent, Join/Select/Split', () => {
    expect(evaluate(root, { 'Fn::GetAtt': ['Child', 'Outputs.FnArn'] })).toBe(
      'arn:aws:lambda:us-east-1:000000000000:function:ship-order',
    );
    expect(evaluate(root, { 'Fn::GetAtt': ['Child', 'Outputs.Echo'] })).toBe('Orders');
    expect(
      evaluate(root, {
        'Fn::Select': [1, { 'Fn::Split': [':', { 'Fn::Join': [':', ['a', { Ref: 'Tbl' }]] }] }],
      }),
    ).toBe('Orders');
  });

  test('Fn::Sub with pseudo parameters, attributes, variables and escapes', () => {
    expect(
      evaluate(root, {
        'Fn::Sub': [
          '${AWS::Region}/${AWS::AccountId}/${Tbl.Arn}/${X}/${!Literal}.${AWS::URLSuffix}',
          { X: { Ref: 'Tbl' } },
        ],
      }),
    ).toBe(
      'us-east-1/000000000000/arn:aws:dynamodb:us-east-1:000000000000:table/Orders/Orders/${Literal}.amazonaws.com',
    );
  });

  test('unknown references throw, naming the resource', () => {
    expect(() => evaluate(nested, { Ref: 'Mystery' })).toThrow(UnresolvableReferenceError);
    expect(() => evaluate(nested, { Ref: 'Mystery' })).toThrow(
      /Ref Mystery \(AWS::Made::Up at \/app\/fns\/Thing\/Resource\)/,
    );
    expect(() => evaluate(root, { 'Fn::GetAtt': ['Tbl', 'StreamArn'] })).toThrow(/Tbl\.StreamArn/);
    expect(() => evaluate(root, { Ref: 'Nope' })).toThrow(/Ref Nope: no such resource/);
    expect(() => evaluate(root, { 'Fn::If': ['c', 1, 2] })).toThrow(/Fn::If is not supported/);
  });
});
