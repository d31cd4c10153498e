/** Minimal typed view of the ASL file for graph walks in tests. */
export interface AslRetrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  BackoffRate?: number;
  MaxAttempts?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: string;
}
export interface AslState {
  Type: string;
  Resource?: string;
  Next?: string;
  End?: boolean;
  Retry?: AslRetrier[];
  Catch?: { ErrorEquals: string[]; Next: string; ResultPath?: string }[];
  HeartbeatSeconds?: number;
  TimeoutSeconds?: number;
  Parameters?: Record<string, unknown>;
}
export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
}

/** Every state reachable from `start`, following Next and every Catch. */
export function reachableFrom(asl: AslDefinition, start: string): Set<string> {
  const seen = new Set<string>();
  const queue = [start];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const state = asl.States[name];
    if (!state) throw new Error(`unknown state ${name}`);
    if (state.Next) queue.push(state.Next);
    for (const c of state.Catch ?? []) queue.push(c.Next);
  }
  return seen;
}

/** Every terminal path (list of state names) starting at `start` via any Catch of `from`. */
export function failurePaths(asl: AslDefinition, from: string): string[][] {
  const paths: string[][] = [];
  const walk = (name: string, path: string[]) => {
    if (path.includes(name)) throw new Error(`cycle at ${name}`);
    const state = asl.States[name];
    if (!state) throw new Error(`unknown state ${name}`);
    const next = [...(state.Next ? [state.Next] : []), ...(state.Catch ?? []).map((c) => c.Next)];
    if (next.length === 0) paths.push([...path, name]);
    for (const n of next) walk(n, [...path, name]);
  };
  for (const c of asl.States[from]?.Catch ?? []) walk(c.Next, [from]);
  return paths;
}
