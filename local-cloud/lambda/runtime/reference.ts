/**
 * What Lambda accepts as `FunctionName`: a name, a partial ARN (`123456789012:function:name`) or
 * a full ARN, each optionally qualified (`:$LATEST`, a version or an alias).
 * https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#API_Invoke_RequestSyntax
 * Same rule as the project's naming module, plus the checks that make an ARN name *this*
 * account's function: another region or account, or a qualifier other than `$LATEST` (nothing
 * publishes versions or aliases locally), names a function that does not exist here.
 */
const REFERENCE =
  /^(?:arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\d{12}):function:|(\d{12}):function:|function:)?([A-Za-z0-9_-]{1,64})(?::([A-Za-z0-9$_-]+))?$/;

/** The local function name `reference` points at, or undefined when it points elsewhere. */
export function localFunctionName(
  reference: string,
  region: string,
  accountId: string,
): string | undefined {
  const match = REFERENCE.exec(reference);
  if (!match) return undefined;
  const [, arnRegion, arnAccount, partialAccount, name, qualifier] = match;
  if (arnRegion !== undefined && arnRegion !== region) return undefined;
  const account = arnAccount ?? partialAccount;
  if (account !== undefined && account !== accountId) return undefined;
  if (qualifier !== undefined && qualifier !== '$LATEST') return undefined;
  return name;
}

export function functionArn(region: string, accountId: string, name: string): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${name}`;
}
