import { Kind, type DirectiveNode, type GraphQLField, type GraphQLNamedType } from 'graphql';
import type { AuthMode } from './config';
import type { Identity } from './identity';

/** One way a caller may reach a field; user-pool rules may narrow to groups. */
export interface AuthRule {
  mode: AuthMode | 'other';
  groups?: string[];
}

const DIRECTIVE_MODES: Record<string, AuthMode | 'other'> = {
  aws_iam: 'iam',
  aws_cognito_user_pools: 'userPool',
  aws_auth: 'userPool',
  aws_api_key: 'other',
  aws_oidc: 'other',
  aws_lambda: 'other',
};

function rulesFrom(directives: readonly DirectiveNode[] | undefined): AuthRule[] {
  const rules: AuthRule[] = [];
  for (const directive of directives ?? []) {
    const mode = DIRECTIVE_MODES[directive.name.value];
    if (!mode) continue;
    const groupsArg = directive.arguments?.find((a) => a.name.value === 'cognito_groups');
    const groups =
      groupsArg?.value.kind === Kind.LIST
        ? groupsArg.value.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : []))
        : undefined;
    rules.push(groups ? { mode, groups } : { mode });
  }
  return rules;
}

/**
 * AppSync's precedence: directives on the field replace those on its type, and a type or field
 * with any auth directive no longer admits the default mode unless it names it.
 */
export function authRulesFor(
  parent: GraphQLNamedType,
  field: GraphQLField<unknown, unknown>,
  defaultMode: AuthMode,
): AuthRule[] {
  const fieldRules = rulesFrom(field.astNode?.directives);
  if (fieldRules.length > 0) return fieldRules;
  const typeRules = rulesFrom(parent.astNode?.directives);
  if (typeRules.length > 0) return typeRules;
  return [{ mode: defaultMode }];
}

export function isAllowed(rules: AuthRule[], identity: Identity): boolean {
  return rules.some((rule) => {
    if (rule.mode !== identity.mode) return false;
    if (!rule.groups || identity.mode !== 'userPool') return true;
    return rule.groups.some((g) => identity.groups.includes(g));
  });
}

/** The message AppSync puts in an `Unauthorized` field error. */
export const notAuthorizedMessage = (field: string, type: string) =>
  `Not Authorized to access ${field} on type ${type}`;
