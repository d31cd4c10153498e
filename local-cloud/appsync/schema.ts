import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GraphQLError,
  GraphQLScalarType,
  Kind,
  buildASTSchema,
  parse,
  type GraphQLSchema,
  type ValueNode,
} from 'graphql';

/**
 * AppSync's built-in directives and scalars. The SDL it receives declares neither, so they are
 * added before graphql-js builds the schema.
 */
const APPSYNC_PRELUDE = `
directive @aws_subscribe(mutations: [String]) on FIELD_DEFINITION
directive @aws_iam on OBJECT | FIELD_DEFINITION | INTERFACE | UNION | INPUT_OBJECT | ENUM
directive @aws_cognito_user_pools(cognito_groups: [String]) on OBJECT | FIELD_DEFINITION | INTERFACE | UNION | INPUT_OBJECT | ENUM
directive @aws_auth(cognito_groups: [String]) on FIELD_DEFINITION
directive @aws_api_key on OBJECT | FIELD_DEFINITION | INTERFACE | UNION | INPUT_OBJECT | ENUM
directive @aws_oidc on OBJECT | FIELD_DEFINITION | INTERFACE | UNION | INPUT_OBJECT | ENUM
directive @aws_lambda on OBJECT | FIELD_DEFINITION | INTERFACE | UNION | INPUT_OBJECT | ENUM
scalar AWSDate
scalar AWSTime
scalar AWSDateTime
scalar AWSTimestamp
scalar AWSEmail
scalar AWSJSON
scalar AWSURL
scalar AWSPhone
scalar AWSIPAddress
`;

const FORMATS: Record<string, RegExp> = {
  AWSDate: /^\d{4}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2}(:\d{2})?)?$/,
  AWSTime: /^\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}(:\d{2})?)?$/,
  AWSDateTime: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}(:\d{2})?)$/,
  AWSEmail: /^[^@\s]+@[^@\s]+$/,
  AWSURL: /^[a-z][a-z0-9+.-]*:\/\/\S+$/i,
  AWSPhone: /^\+?[\d\s().-]{3,}$/,
  AWSIPAddress: /^[0-9a-f.:/]+$/i,
};

function stringScalar(name: string, pattern: RegExp): GraphQLScalarType {
  const check = (value: unknown): string => {
    if (typeof value !== 'string' || !pattern.test(value)) {
      throw new GraphQLError(`Invalid ${name} value: ${JSON.stringify(value)}`);
    }
    return value;
  };
  return new GraphQLScalarType({
    name,
    serialize: check,
    parseValue: check,
    parseLiteral: (ast: ValueNode) => check(ast.kind === Kind.STRING ? ast.value : undefined),
  });
}

const AWSJSON = new GraphQLScalarType({
  name: 'AWSJSON',
  // AppSync hands resolvers the parsed value and returns it to clients as a JSON string.
  serialize: (value) => (typeof value === 'string' ? value : JSON.stringify(value)),
  parseValue: (value) => (typeof value === 'string' ? JSON.parse(value) : value),
  parseLiteral: (ast) => (ast.kind === Kind.STRING ? JSON.parse(ast.value) : undefined),
});

const AWSTimestamp = new GraphQLScalarType({
  name: 'AWSTimestamp',
  serialize: (value) => Number(value),
  parseValue: (value) => {
    if (!Number.isInteger(value)) throw new GraphQLError('Invalid AWSTimestamp value');
    return value;
  },
  parseLiteral: (ast) => (ast.kind === Kind.INT ? Number(ast.value) : undefined),
});

function scalarImplementations(): Record<string, GraphQLScalarType> {
  const scalars: Record<string, GraphQLScalarType> = { AWSJSON, AWSTimestamp };
  for (const [name, pattern] of Object.entries(FORMATS))
    scalars[name] = stringScalar(name, pattern);
  return scalars;
}

/** Builds an executable schema from the SDL exactly as AppSync receives it. */
export function buildAppSyncSchema(sdl: string): GraphQLSchema {
  let document = parse(`${APPSYNC_PRELUDE}\n${sdl}`);
  const hasQuery = document.definitions.some(
    (d) => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === 'Query',
  );
  if (!hasQuery) {
    // Deviation: graphql-js refuses to execute against a schema without a Query root, which
    // AppSync tolerates for subscription-only APIs. The placeholder is never authorized.
    document = parse(`${APPSYNC_PRELUDE}\ntype Query @aws_lambda { _local: String }\n${sdl}`);
  }
  const schema = buildASTSchema(document);
  for (const [name, implementation] of Object.entries(scalarImplementations())) {
    const type = schema.getType(name);
    if (type instanceof GraphQLScalarType) {
      type.serialize = implementation.serialize;
      type.parseValue = implementation.parseValue;
      type.parseLiteral = implementation.parseLiteral;
    }
  }
  return schema;
}

const ASSET_SDL = /^asset\.[0-9a-f]+\.graphql$/;

interface Template {
  Resources?: Record<string, { Type?: string; Properties?: { Definition?: unknown } }>;
}

/**
 * Reads the SDL AppSync would receive from a synthesized cloud assembly (`cdk.out`). An
 * inline `Definition` on the `AWS::AppSync::GraphQLSchema` resource wins (the backend rewrites
 * the transformer's SDL and inlines it); otherwise the transformer's staged
 * `asset.<hash>.graphql` is the schema.
 */
export function loadSchemaFromAssembly(dir: string): string {
  const inline = inlineDefinitions(dir);
  if (inline.length > 1) throw new Error(`Several AppSync schemas in ${dir}; expected one API.`);
  if (inline[0] !== undefined) return inline[0];
  const found = findFiles(dir, (name) => ASSET_SDL.test(name));
  if (found.length === 0) throw new Error(`No AppSync schema in ${dir}; run the synth first.`);
  if (found.length > 1) {
    throw new Error(`Several GraphQL schemas in ${dir}: ${found.join(', ')}; expected one API.`);
  }
  return readFileSync(found[0]!, 'utf8');
}

function inlineDefinitions(dir: string): string[] {
  const definitions: string[] = [];
  for (const file of findFiles(dir, (name) => name.endsWith('.template.json'))) {
    const template = JSON.parse(readFileSync(file, 'utf8')) as Template;
    for (const resource of Object.values(template.Resources ?? {})) {
      const definition = resource.Properties?.Definition;
      if (resource.Type === 'AWS::AppSync::GraphQLSchema' && typeof definition === 'string') {
        definitions.push(definition);
      }
    }
  }
  return definitions;
}

/** Files of the assembly, including nested assemblies (stages). */
function findFiles(dir: string, match: (name: string) => boolean): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile() && match(entry.name)) found.push(join(dir, entry.name));
    if (entry.isDirectory() && entry.name.startsWith('assembly-')) {
      found.push(...findFiles(join(dir, entry.name), match));
    }
  }
  return found;
}
