import { Stack } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import type { CompliantBackend } from './compliant-backend';

/**
 * The data stack's two buckets are Amplify's own (model introspection schema and codegen
 * assets for `ampx generate`); no order data is in them. Amplify already refuses plain-HTTP
 * requests on the first; this gives the codegen assets bucket the same policy statement
 * (AwsSolutions-S10), the one `enforceSSL: true` would have added.
 */
export function requireTlsOnCodegenAssets(backend: CompliantBackend): void {
  const bucket = amplifyBucket(
    Stack.of(backend.data.resources.cfnResources.cfnGraphqlApi),
    CODEGEN_ASSETS_BUCKET,
  );
  bucket.addToResourcePolicy(
    new PolicyStatement({
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: ['s3:*'],
      resources: [bucket.bucketArn, bucket.arnForObjects('*')],
      conditions: { Bool: { 'aws:SecureTransport': 'false' } },
    }),
  );
}

export const CODEGEN_ASSETS_BUCKET = 'AmplifyCodegenAssetsBucket';
export const MODEL_INTROSPECTION_BUCKET = 'modelIntrospectionSchemaBucket';

/** One of Amplify's buckets in the data stack, by construct id; fails synthesis if it moved. */
export function amplifyBucket(dataStack: IConstruct, id: string): Bucket {
  const found = dataStack.node
    .findAll()
    .filter((c): c is Bucket => c instanceof Bucket && c.node.id === id);
  if (found.length !== 1 || !found[0]) {
    throw new Error(
      `compliance: expected one bucket "${id}" in the data stack, found ${found.length}`,
    );
  }
  return found[0];
}
