import { readFileSync } from 'node:fs';
import type { CfnGraphQLSchema } from 'aws-cdk-lib/aws-appsync';
import { AssetStaging, Lazy, Stack } from 'aws-cdk-lib';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import type { IConstruct } from 'constructs';

/**
 * Gen 2 cannot express "IAM only" for a custom operation with a JS handler: identity-pool rules
 * are rejected for `a.handler.custom`, and an operation without a rule is rejected too. So the
 * schema gives the field a placeholder group rule (a group that does not exist in the pool)
 * and this rewrite replaces that field's directives with `@aws_iam` in the SDL AppSync
 * receives. The SDL is then inlined in the template (the transformer's asset is still staged,
 * unused).
 *
 * The rewrite fails synthesis if the field cannot be found exactly once, so a change in the
 * transformer's output cannot silently leave the field open to user-pool callers.
 */
export function restrictFieldToIam(
  schema: CfnGraphQLSchema,
  parentType: 'Mutation' | 'Query',
  fieldName: string,
): void {
  // The transformer writes its SDL asset lazily, when this location is resolved during synthesis.
  const transformerLocation = schema.definitionS3Location;
  schema.definitionS3Location = undefined;
  schema.definition = Lazy.string({
    produce: () => {
      Stack.of(schema).resolve(transformerLocation);
      const sdl = readFileSync(stagedSchemaPath(Stack.of(schema)), 'utf8');
      return withIamOnlyField(sdl, parentType, fieldName);
    },
  });
}

/** Pure text rewrite, exported for unit tests. */
export function withIamOnlyField(sdl: string, parentType: string, fieldName: string): string {
  const typeBlock = new RegExp(`(type ${parentType}\\b[^{]*\\{)([^}]*)(\\})`);
  const block = typeBlock.exec(sdl);
  if (!block) throw new Error(`restrictFieldToIam: type ${parentType} not found in the SDL`);
  const field = new RegExp(
    `^([ \\t]*${fieldName}(?:\\([^)]*\\))?[ \\t]*:[ \\t]*[\\w!\\[\\]]+)((?:[ \\t]*@aws_\\w+(?:\\([^)]*\\))?)+)[ \\t]*$`,
    'm',
  );
  const body = block[2] ?? '';
  const matches = body.split('\n').filter((line) => field.test(line));
  if (matches.length !== 1) {
    throw new Error(
      `restrictFieldToIam: expected one ${parentType}.${fieldName}, found ${matches.length}`,
    );
  }
  const rewritten = body.replace(field, '$1 @aws_iam');
  return sdl.replace(typeBlock, `$1${rewritten}$3`);
}

/** The transformer stages the SDL as the only `.graphql` asset of the data stack. */
function stagedSchemaPath(dataStack: IConstruct): string {
  const staged = dataStack.node
    .findAll()
    .filter((c): c is Asset => c instanceof Asset)
    .map((asset) => asset.node.tryFindChild('Stage'))
    .filter((stage): stage is AssetStaging => stage instanceof AssetStaging)
    .map((stage) => stage.absoluteStagedPath)
    .filter((path) => path.endsWith('.graphql'));
  if (staged.length !== 1 || !staged[0]) {
    throw new Error(
      `restrictFieldToIam: expected one staged .graphql asset, found ${staged.length}`,
    );
  }
  return staged[0];
}
