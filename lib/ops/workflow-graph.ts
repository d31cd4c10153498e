import dagre, { type EdgeLabel, type GraphLabel, type NodeLabel } from '@dagrejs/dagre';

/**
 * The state machine as a laid-out graph for the operations console. Layout runs here, on the
 * server, with dagre; the browser only draws the result as SVG (components/ops/workflow-graph),
 * so the console ships no layout code. Measured before choosing: React Flow with ELK adds about
 * 485 kB gzipped to the client, React Flow with dagre about 75 kB, this under 1 kB.
 *
 * Coordinates are SVG user units, x/y of a node is its top-left corner. ASL reference:
 * https://states-language.net/spec.html
 */
export interface WorkflowGraph {
  nodes: WorkflowNode[];
  edges: WorkflowEdge[];
  width: number;
  height: number;
}

export interface WorkflowNode {
  /** The state name; the synthetic entry node is `Start` (type `Start`). */
  id: string;
  /** The ASL `Type`, or `Start` for the entry node. */
  type: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** The state's Retry policies: an annotation on the node, a retry is not a transition. */
  retries: { errors: string[]; maxAttempts: number }[];
  /** Succeed, Fail, or `End: true`: the execution can stop here. */
  terminal: boolean;
}

export type WorkflowEdgeKind = 'next' | 'catch' | 'choice' | 'default' | 'start';

export interface WorkflowEdge {
  /** `from|kind|to|index`; index counts the source's edges, so parallel edges stay distinct. */
  id: string;
  from: string;
  to: string;
  kind: WorkflowEdgeKind;
  label?: string;
  /** Where dagre put the label's centre, when the edge has one. */
  labelAt?: { x: number; y: number };
  points: { x: number; y: number }[];
}

/** The id of the synthetic entry node (the ASL has no such state). */
export const START_NODE_ID = 'Start';

/** Glyph widths of the 13px name and 11px detail line in a monospace font (0.6 em). */
const NAME_CHAR = 7.8;
const DETAIL_CHAR = 6.6;
/** The detail line's longest text the component may draw, e.g. "↻ retrying · attempt 10". */
const DETAIL_CHARS = 24;
const NODE_PADDING_X = 28;
const NODE_HEIGHT = 52;
const START_SIZE = { width: 72, height: 32 };
const LABEL_CHAR = 6;
const LABEL_HEIGHT = 16;
const CHOICE_LABEL_MAX = 24;
const MARGIN = 16;

/** Default retry attempts when a Retrier omits MaxAttempts (ASL spec). */
const DEFAULT_MAX_ATTEMPTS = 3;
/** A handful of definitions at most (one per deployed version); the bound is a safety net. */
const CACHE_LIMIT = 16;
const cache = new Map<string, WorkflowGraph>();

/**
 * Lays out a state machine definition (the parsed ASL object, or its JSON text). The result
 * is cached per definition text: the definition changes only on deploy, the console asks for
 * it on every page view. Throws an Error naming the problem when the input is not ASL.
 */
export function workflowGraph(definition: unknown): WorkflowGraph {
  const value = typeof definition === 'string' ? parseJson(definition) : definition;
  // Keyed by the canonical text, so the parsed object and its file text share one entry.
  const text = JSON.stringify(value);
  if (text === undefined) throw new Error('Workflow definition is missing');
  const cached = cache.get(text);
  if (cached) return cached;
  const graph = deepFreeze(layOut(validate(value)));
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(text, graph);
  return graph;
}

type StateDef = Record<string, unknown>;
interface Definition {
  StartAt: string;
  States: Record<string, StateDef>;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error('Workflow definition is not valid JSON');
  }
}

function validate(value: unknown): Definition {
  if (!isRecord(value)) throw new Error('Workflow definition must be an object');
  const { StartAt, States } = value;
  if (!isRecord(States) || Object.keys(States).length === 0) {
    throw new Error('Workflow definition has no States');
  }
  if (typeof StartAt !== 'string' || StartAt === '') {
    throw new Error('Workflow definition has no StartAt');
  }
  for (const [name, state] of Object.entries(States)) {
    if (!isRecord(state) || typeof state.Type !== 'string') {
      throw new Error(`Workflow state ${name} has no Type`);
    }
  }
  if (!(StartAt in States)) throw new Error(`Workflow StartAt names no state: ${StartAt}`);
  return { StartAt, States: States as Record<string, StateDef> };
}

interface Outgoing {
  to: string;
  kind: WorkflowEdgeKind;
  label?: string;
}

/**
 * The transitions a state can take. Parallel and Map are drawn as one node: their branches
 * and item processors are state machines of their own, and nested drawing is not needed yet.
 */
function outgoing(name: string, state: StateDef): Outgoing[] {
  const edges: Outgoing[] = [];
  if (state.Type === 'Choice') {
    const choices = Array.isArray(state.Choices) ? state.Choices : [];
    if (choices.length === 0) throw new Error(`Choice state ${name} has no Choices`);
    choices.forEach((rule: unknown, i) => {
      if (!isRecord(rule) || typeof rule.Next !== 'string') {
        throw new Error(`Choice state ${name} rule ${i + 1} has no Next`);
      }
      edges.push({ to: rule.Next, kind: 'choice', label: choiceLabel(rule, i) });
    });
    if (typeof state.Default === 'string') {
      edges.push({ to: state.Default, kind: 'default', label: 'default' });
    }
  } else if (typeof state.Next === 'string') {
    edges.push({ to: state.Next, kind: 'next' });
  }
  if (Array.isArray(state.Catch)) {
    for (const catcher of state.Catch as unknown[]) {
      if (!isRecord(catcher) || typeof catcher.Next !== 'string') {
        throw new Error(`State ${name} has a Catch without Next`);
      }
      const errors = stringList(catcher.ErrorEquals);
      const label = errors.includes('States.ALL') ? 'catch' : errors.join(', ') || 'catch';
      edges.push({ to: catcher.Next, kind: 'catch', label });
    }
  }
  return edges;
}

/** A short label for a Choice rule: `var op value`, a JSONata condition, or its position. */
function choiceLabel(rule: Record<string, unknown>, index: number): string {
  let label: string | undefined;
  if (typeof rule.Condition === 'string') {
    label = rule.Condition.replace(/^\{%\s*|\s*%\}$/g, '');
  } else if (typeof rule.Variable === 'string') {
    const variable = rule.Variable.split('.').at(-1) || rule.Variable;
    const test = Object.entries(rule).find(
      ([key]) => !['Variable', 'Next', 'Comment'].includes(key),
    );
    if (test) label = `${variable} ${operator(test[0])} ${JSON.stringify(test[1])}`;
  } else if (Array.isArray(rule.And)) {
    label = `all of ${rule.And.length}`;
  } else if (Array.isArray(rule.Or)) {
    label = `any of ${rule.Or.length}`;
  } else if (rule.Not !== undefined) {
    label = 'not …';
  }
  if (!label) return `choice ${index + 1}`;
  return label.length > CHOICE_LABEL_MAX ? `${label.slice(0, CHOICE_LABEL_MAX - 1)}…` : label;
}

function operator(key: string): string {
  const op = key.replace(/Path$/, '');
  if (op.endsWith('GreaterThanEquals')) return '≥';
  if (op.endsWith('LessThanEquals')) return '≤';
  if (op.endsWith('GreaterThan')) return '>';
  if (op.endsWith('LessThan')) return '<';
  if (op.endsWith('Equals')) return '=';
  if (op === 'StringMatches') return '~';
  // IsPresent, IsNull, IsString, …: the key says it best.
  return op;
}

function layOut(definition: Definition): WorkflowGraph {
  const { StartAt, States } = definition;
  const g = new dagre.graphlib.Graph<
    GraphLabel,
    NodeLabel,
    EdgeLabel & { kind: WorkflowEdgeKind; text?: string }
  >({ multigraph: true });
  g.setGraph({
    rankdir: 'TB',
    nodesep: 40,
    ranksep: 36,
    edgesep: 16,
    marginx: MARGIN,
    marginy: MARGIN,
  });

  // A state may itself be called "Start"; the entry node then takes a name no state has.
  let startId = START_NODE_ID;
  while (startId in States) startId = `(${startId})`;
  g.setNode(startId, { ...START_SIZE });
  for (const [name, state] of Object.entries(States)) {
    g.setNode(name, { width: nodeWidth(name, state), height: NODE_HEIGHT });
  }

  const edgeIds: string[] = [];
  const addEdge = (from: string, edge: Outgoing, index: number) => {
    if (!(edge.to in States)) {
      throw new Error(`Workflow state ${from} goes to an unknown state: ${edge.to}`);
    }
    const id = `${from}|${edge.kind}|${edge.to}|${index}`;
    edgeIds.push(id);
    const label = edge.label
      ? { width: edge.label.length * LABEL_CHAR + 8, height: LABEL_HEIGHT, labelpos: 'c' as const }
      : {};
    g.setEdge(from, edge.to, { ...label, kind: edge.kind, text: edge.label }, id);
  };
  addEdge(startId, { to: StartAt, kind: 'start' }, 0);
  for (const [name, state] of Object.entries(States)) {
    outgoing(name, state).forEach((edge, i) => addEdge(name, edge, i));
  }

  dagre.layout(g);

  const nodes: WorkflowNode[] = g.nodes().map((id) => {
    const { x = 0, y = 0, width, height } = g.node(id);
    const state = id === startId ? undefined : States[id];
    return {
      id,
      type: state ? String(state.Type) : 'Start',
      x: round(x - width / 2),
      y: round(y - height / 2),
      width,
      height,
      retries: state ? retriesOf(state) : [],
      terminal: state ? isTerminal(state) : false,
    };
  });
  const edges: WorkflowEdge[] = g.edges().map((e) => {
    const label = g.edge(e);
    return {
      id: e.name!,
      from: e.v,
      to: e.w,
      kind: label.kind,
      ...(label.text
        ? { label: label.text, labelAt: { x: round(label.x ?? 0), y: round(label.y ?? 0) } }
        : {}),
      points: (label.points ?? []).map((p) => ({ x: round(p.x), y: round(p.y) })),
    };
  });
  // Keep the definition's order (dagre's edge order is an implementation detail).
  edges.sort((a, b) => edgeIds.indexOf(a.id) - edgeIds.indexOf(b.id));
  const { width = 0, height = 0 } = g.graph();
  return { nodes, edges, width: Math.ceil(width), height: Math.ceil(height) };
}

function nodeWidth(name: string, state: StateDef): number {
  const type = String(state.Type);
  // The component puts a retry badge ("↻ 4/3") to the right of the name.
  const retries = retriesOf(state);
  const badge = retries.length
    ? (2 + retries.map((r) => r.maxAttempts).join('/').length) * DETAIL_CHAR + 10
    : 0;
  const text = Math.max(
    name.length * NAME_CHAR + badge,
    Math.max(DETAIL_CHARS, type.length) * DETAIL_CHAR,
  );
  return Math.ceil(text + NODE_PADDING_X);
}

function retriesOf(state: StateDef): WorkflowNode['retries'] {
  if (!Array.isArray(state.Retry)) return [];
  return (state.Retry as unknown[]).filter(isRecord).map((retrier) => ({
    errors: stringList(retrier.ErrorEquals),
    maxAttempts:
      typeof retrier.MaxAttempts === 'number' ? retrier.MaxAttempts : DEFAULT_MAX_ATTEMPTS,
  }));
}

function isTerminal(state: StateDef): boolean {
  return state.Type === 'Succeed' || state.Type === 'Fail' || state.End === true;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const round = (n: number) => Math.round(n * 10) / 10;

/** The cached layout is shared by every request; freezing keeps one caller from editing it. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
