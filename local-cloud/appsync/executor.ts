import {
  GraphQLError,
  Kind,
  defaultFieldResolver,
  execute,
  parse,
  print,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { AppSyncConfig } from './config';
import { DocumentCache } from './document-cache';
import { invokeDataSource } from './data-sources';
import { authRulesFor, isAllowed, notAuthorizedMessage } from './field-auth';
import { identityForResolver, type Identity } from './identity';
import { loadResolver, type LoadedResolver } from './js-runtime/load-resolver';
import { matchesFilter, type SubscriptionFilter } from './js-runtime/subscription-filter';
import { EarlyReturn, ResolverError, type InvocationState } from './js-runtime/utils';
import { pickSelected, selectionSetList } from './selection';

export interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/** One entry of AppSync's `errors` array. */
export interface AppSyncError {
  message: string;
  errorType: string | null;
  data?: unknown;
  errorInfo?: unknown;
  path?: readonly (string | number)[] | null;
  locations?: { line: number; column: number; sourceName: null }[];
}

export interface AppSyncResponse {
  data?: Record<string, unknown> | null;
  errors?: AppSyncError[];
}

/** A mutation result that `@aws_subscribe` fans out, reduced to the mutation's selection. */
export interface Publication {
  mutation: string;
  value: unknown;
}

export interface Prepared {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

/** A started subscription: everything needed to filter and shape each publication. */
export interface ActiveSubscription {
  prepared: Prepared;
  identity: Identity;
  fieldName: string;
  args: Record<string, unknown>;
  filter?: SubscriptionFilter;
}

interface OperationContext {
  mode: 'execute' | 'subscribe' | 'deliver';
  prepared: Prepared;
  identity: Identity;
  headers: Record<string, string>;
  appended: AppSyncError[];
  published: { mutation: string; responseKey: string; value: unknown }[];
  subscription?: { args: Record<string, unknown>; filter?: SubscriptionFilter };
}

export const requestError = (message: string, errorType: string | null): AppSyncResponse => ({
  errors: [{ message, errorType }],
});

export class AppSyncEngine {
  private readonly resolvers = new Map<string, LoadedResolver>();
  /** Per engine, because validity depends on the schema as well as the text. */
  private readonly documents = new DocumentCache();
  /** Mutation name -> subscription fields that `@aws_subscribe` to it. */
  readonly triggers = new Map<string, string[]>();

  constructor(
    readonly schema: GraphQLSchema,
    private readonly config: AppSyncConfig,
    private readonly now: () => number,
  ) {
    for (const [field, definition] of Object.entries(config.resolvers)) {
      if (definition.dataSource && !config.dataSources[definition.dataSource]) {
        throw new Error(`Resolver ${field} names unknown data source '${definition.dataSource}'`);
      }
      this.resolvers.set(field, loadResolver(definition.file));
    }
    for (const field of Object.values(schema.getSubscriptionType()?.getFields() ?? {})) {
      const directive = field.astNode?.directives?.find((d) => d.name.value === 'aws_subscribe');
      const list = directive?.arguments?.find((a) => a.name.value === 'mutations')?.value;
      if (list?.kind !== Kind.LIST) continue;
      for (const item of list.values) {
        if (item.kind !== Kind.STRING) continue;
        this.triggers.set(item.value, [...(this.triggers.get(item.value) ?? []), field.name]);
      }
    }
  }

  /** Parses and validates; AppSync answers syntax and validation failures without data. */
  prepare(request: GraphQLRequest): Prepared | AppSyncResponse {
    let document = this.documents.get(request.query);
    if (!document) {
      try {
        document = parse(request.query);
      } catch (error) {
        return {
          errors: [toAppSyncError(error as GraphQLError, 'MalformedHttpRequestException')],
        };
      }
      const invalid = validate(this.schema, document);
      if (invalid.length > 0) {
        return { data: null, errors: invalid.map((e) => toAppSyncError(e, 'ValidationError')) };
      }
      this.documents.set(request.query, document);
    }
    const operations = document.definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    const operation = request.operationName
      ? operations.find((o) => o.name?.value === request.operationName)
      : operations.length === 1
        ? operations[0]
        : undefined;
    if (!operation) return requestError('Operation not found or ambiguous.', 'ValidationError');
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const d of document.definitions) {
      if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
    }
    return { document, operation, fragments, variables: request.variables ?? {} };
  }

  /** A query or mutation; mutations also return what their subscribers should receive. */
  async execute(
    prepared: Prepared,
    identity: Identity,
    headers: Record<string, string>,
  ): Promise<{ response: AppSyncResponse; publications: Publication[] }> {
    const ctx = this.context('execute', prepared, identity, headers);
    const result = await this.run(ctx);
    const data = result.data as Record<string, unknown> | null | undefined;
    const publications = ctx.published
      .filter((p) => data?.[p.responseKey] !== null && data?.[p.responseKey] !== undefined)
      .map(({ mutation, value }) => ({ mutation, value }));
    return { response: format(result, ctx), publications };
  }

  /** Runs the subscription's resolver once, as AppSync does when a client sends `start`. */
  async subscribe(
    prepared: Prepared,
    identity: Identity,
    headers: Record<string, string>,
  ): Promise<ActiveSubscription | AppSyncResponse> {
    if (prepared.operation.operation !== 'subscription') {
      return requestError('Only subscription operations are accepted here.', 'ValidationError');
    }
    const roots = prepared.operation.selectionSet.selections;
    if (roots.length !== 1 || roots[0]?.kind !== Kind.FIELD) {
      return requestError('A subscription must select exactly one field.', 'ValidationError');
    }
    const ctx = this.context('subscribe', prepared, identity, headers);
    const result = await this.run(ctx);
    if (result.errors?.length || !ctx.subscription) return format(result, ctx);
    return {
      prepared,
      identity,
      fieldName: roots[0].name.value,
      args: ctx.subscription.args,
      filter: ctx.subscription.filter,
    };
  }

  /** The `data` payload for one subscriber, or undefined when its filter rejects the value. */
  async deliver(sub: ActiveSubscription, value: unknown): Promise<AppSyncResponse | undefined> {
    if (!this.passes(sub, value)) return undefined;
    const ctx = this.context('deliver', sub.prepared, sub.identity, {});
    const result = await this.run(ctx, { [sub.fieldName]: value });
    return format(result, ctx);
  }

  private passes(sub: ActiveSubscription, value: unknown): boolean {
    if (sub.filter) {
      return sub.filter.filterGroup.length === 0 || matchesFilterSafe(sub.filter, value);
    }
    // Without an enhanced filter, AppSync matches each non-null argument against the
    // same-named field of the published result.
    const record = (value ?? {}) as Record<string, unknown>;
    return Object.entries(sub.args).every(
      ([k, v]) => v === null || v === undefined || record[k] === v,
    );
  }

  private context(
    mode: OperationContext['mode'],
    prepared: Prepared,
    identity: Identity,
    headers: Record<string, string>,
  ): OperationContext {
    return { mode, prepared, identity, headers, appended: [], published: [] };
  }

  private async run(ctx: OperationContext, rootValue?: unknown): Promise<ExecutionResult> {
    return execute({
      schema: this.schema,
      document: ctx.prepared.document,
      operationName: ctx.prepared.operation.name?.value,
      variableValues: ctx.prepared.variables,
      contextValue: ctx,
      rootValue,
      fieldResolver: this.resolveField,
    });
  }

  private readonly resolveField: GraphQLFieldResolver<unknown, OperationContext> = (
    source,
    args,
    ctx,
    info,
  ) => {
    const field = info.parentType.getFields()[info.fieldName];
    const isRoot = info.path.prev === undefined;
    // Delivery re-checks the payload's fields for the subscriber, not the root field again.
    const checkAuth = !(isRoot && ctx.mode === 'deliver');
    if (
      field &&
      checkAuth &&
      !isAllowed(authRulesFor(info.parentType, field, this.config.auth.defaultMode), ctx.identity)
    ) {
      throw new ResolverError(
        notAuthorizedMessage(info.fieldName, info.parentType.name),
        'Unauthorized',
      );
    }
    const key = `${info.parentType.name}.${info.fieldName}`;
    const resolver = this.resolvers.get(key);
    if (!resolver || ctx.mode === 'deliver') return defaultFieldResolver(source, args, ctx, info);
    return this.runResolver(resolver, key, source, args, ctx, info);
  };

  private async runResolver(
    resolver: LoadedResolver,
    key: string,
    source: unknown,
    args: Record<string, unknown>,
    ctx: OperationContext,
    info: Parameters<GraphQLFieldResolver<unknown, OperationContext>>[3],
  ): Promise<unknown> {
    const fieldNode = info.fieldNodes[0]!;
    const state: InvocationState = {
      typeName: info.parentType.name,
      fieldName: info.fieldName,
      now: this.now,
      appendedErrors: [],
    };
    const resolverCtx: Record<string, unknown> = {
      arguments: args,
      args,
      identity: identityForResolver(ctx.identity),
      source: source ?? null,
      stash: {},
      prev: { result: null },
      request: { headers: ctx.headers, domainName: null },
      info: {
        fieldName: info.fieldName,
        parentTypeName: info.parentType.name,
        variables: ctx.prepared.variables,
        selectionSetList: selectionSetList(fieldNode.selectionSet, ctx.prepared.fragments),
        selectionSetGraphQL: fieldNode.selectionSet ? print(fieldNode.selectionSet) : '',
      },
    };
    let value: unknown;
    try {
      const request = resolver.run('request', resolverCtx, state);
      const dataSourceName = this.config.resolvers[key]?.dataSource;
      const dataSource = dataSourceName
        ? this.config.dataSources[dataSourceName]!
        : { type: 'NONE' as const };
      const outcome = await invokeDataSource(dataSource, request);
      if ('result' in outcome) resolverCtx.result = outcome.result;
      else resolverCtx.error = outcome.error;
      value = resolver.run('response', resolverCtx, state);
    } catch (error) {
      if (error instanceof EarlyReturn) value = error.value;
      else if (error instanceof ResolverError) throw error;
      else throw new ResolverError(`${resolver.file}: ${String(error)}`, 'Code');
    } finally {
      for (const e of state.appendedErrors) {
        ctx.appended.push({ ...appSyncFields(e), path: [...pathOf(info.path)] });
      }
    }
    if (ctx.mode === 'subscribe' && info.path.prev === undefined) {
      ctx.subscription = { args, filter: state.subscriptionFilter };
    }
    if (info.operation.operation === 'mutation' && info.path.prev === undefined) {
      ctx.published.push({
        mutation: info.fieldName,
        responseKey: info.path.key as string,
        value: pickSelected(value, fieldNode.selectionSet, ctx.prepared.fragments),
      });
    }
    return value;
  }
}

function pathOf(path: { key: string | number; prev: unknown } | undefined): (string | number)[] {
  const out: (string | number)[] = [];
  let current = path as { key: string | number; prev?: unknown } | undefined;
  while (current) {
    out.unshift(current.key);
    current = current.prev as typeof current;
  }
  return out;
}

function appSyncFields(error: ResolverError) {
  return {
    message: error.message,
    errorType: error.errorType,
    data: error.data,
    errorInfo: error.errorInfo,
  };
}

function toAppSyncError(error: GraphQLError, fallbackType: string | null): AppSyncError {
  const original = error.originalError;
  const fields =
    original instanceof ResolverError
      ? appSyncFields(original)
      : { message: error.message, errorType: fallbackType, data: null, errorInfo: null };
  return {
    path: error.path ?? null,
    ...fields,
    locations: (error.locations ?? []).map((l) => ({ ...l, sourceName: null })),
  };
}

function format(result: ExecutionResult, ctx: OperationContext): AppSyncResponse {
  const errors = [...(result.errors ?? []).map((e) => toAppSyncError(e, null)), ...ctx.appended];
  const response: AppSyncResponse = { data: (result.data as Record<string, unknown>) ?? null };
  if (errors.length > 0) response.errors = errors;
  return response;
}

function matchesFilterSafe(filter: SubscriptionFilter, value: unknown): boolean {
  try {
    return matchesFilter(filter, value);
  } catch {
    return false;
  }
}
