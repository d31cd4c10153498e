import { LOCAL_ACCOUNT_ID } from '../core/constants';

/**
 * The contract's naming rule: `amplify/functions/<kebab-name>/handler.ts` <-> placeholder
 * `${<PascalName>FunctionArn}` <-> `arn:aws:lambda:<region>:000000000000:function:<kebab-name>`.
 */
export const PLACEHOLDER_SUFFIX = 'FunctionArn';

export function kebabToPascal(kebab: string): string {
  return kebab
    .split(/[-_]/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

export function pascalToKebab(pascal: string): string {
  return pascal
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

export function localFunctionArn(region: string, kebabName: string): string {
  return `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${kebabName}`;
}

/** `ReserveInventoryFunctionArn` -> `reserve-inventory`; undefined for other placeholders. */
export function functionNameFromPlaceholder(placeholder: string): string | undefined {
  if (!placeholder.endsWith(PLACEHOLDER_SUFFIX) || placeholder === PLACEHOLDER_SUFFIX)
    return undefined;
  return pascalToKebab(placeholder.slice(0, -PLACEHOLDER_SUFFIX.length));
}

/**
 * The function name inside anything Lambda accepts as `FunctionName`: a full ARN (with or
 * without a version/alias qualifier), a partial ARN (`123456789012:function:name`) or a name.
 */
export function functionNameFromReference(reference: string): string | undefined {
  const match =
    /^(?:arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:|\d{12}:function:|function:)?([A-Za-z0-9_-]{1,64})(?::[A-Za-z0-9$_-]+)?$/.exec(
      reference,
    );
  return match?.[1];
}
