import { LOCAL_ACCOUNT_ID } from '../../core/constants';

const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** Replaces `${Key}` everywhere, like CloudFormation's DefinitionSubstitutions; all must resolve. */
export function substitute(
  text: string,
  substitutions: Record<string, string>,
  file: string,
): string {
  const missing = placeholdersIn(text).filter((key) => !(key in substitutions));
  if (missing.length > 0) {
    throw new Error(
      `${file}: no local value for DefinitionSubstitutions ${missing.map((k) => `\${${k}}`).join(', ')}`,
    );
  }
  return text.replace(PLACEHOLDER, (_, key: string) => substitutions[key]!);
}

export function stateMachineArn(region: string, name: string): string {
  return `arn:aws:states:${region}:${LOCAL_ACCOUNT_ID}:stateMachine:${name}`;
}
