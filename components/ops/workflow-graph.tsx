import { useId } from 'react';
import type { ExecutionProgress, StateOutcome, StateProgress } from '@/lib/ops/state-progress';
import type {
  WorkflowEdge,
  WorkflowGraph as WorkflowLayout,
  WorkflowNode,
} from '@/lib/ops/workflow-graph';

/**
 * The state machine drawn as SVG from a layout made on the server (lib/ops/workflow-graph),
 * optionally coloured by one execution's progress. No layout and no libraries here, and no
 * server-only imports (types only), so a client component can render it as well.
 * Colour is never the only signal: every reached state also says its outcome in words, and
 * the <desc> tells the path taken to screen readers.
 */
export interface WorkflowProgress {
  states: Record<string, Pick<StateProgress, 'outcome' | 'attempts'>>;
  transitions: ExecutionProgress['transitions'];
  /** States in the order entered; derived from `transitions` when absent. */
  path?: ExecutionProgress['path'];
}

export interface WorkflowGraphProps {
  graph: WorkflowLayout;
  progress?: WorkflowProgress;
  title?: string;
  className?: string;
}

type Outcome = StateOutcome;

const OUTCOME_STYLE: Record<Outcome, { box: string; text: string; dash?: string }> = {
  // Faded, yet its text keeps a 4.5:1 contrast.
  'not-reached': { box: 'fill-stone-50 stroke-stone-300', text: 'fill-stone-500' },
  running: { box: 'fill-blue-50 stroke-blue-600', text: 'fill-blue-900' },
  retrying: { box: 'fill-amber-50 stroke-amber-500', text: 'fill-amber-900' },
  succeeded: { box: 'fill-green-50 stroke-green-600', text: 'fill-green-900' },
  caught: { box: 'fill-orange-50 stroke-orange-500', text: 'fill-orange-900', dash: '6 3' },
  failed: { box: 'fill-red-50 stroke-red-600', text: 'fill-red-900' },
  stopped: { box: 'fill-stone-200 stroke-stone-700', text: 'fill-stone-900' },
};

const OUTCOME_ICON: Record<Outcome, string> = {
  'not-reached': '○',
  running: '▶',
  retrying: '↻',
  succeeded: '✓',
  caught: '↪',
  failed: '✕',
  stopped: '■',
};

const EDGE_STYLE = {
  idle: 'stroke-stone-300',
  taken: 'stroke-stone-800',
  caught: 'stroke-red-600',
} as const;
const MARKER_FILL = {
  idle: 'fill-stone-300',
  taken: 'fill-stone-800',
  caught: 'fill-red-600',
} as const;
type EdgeTone = keyof typeof EDGE_STYLE;

export function WorkflowGraph({
  graph,
  progress,
  title = 'Workflow graph',
  className,
}: WorkflowGraphProps) {
  const id = useId();
  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  const markerId = (tone: EdgeTone) => `${id}-arrow-${tone}`;

  return (
    <svg
      role="img"
      aria-labelledby={`${titleId} ${descId}`}
      viewBox={`0 0 ${graph.width} ${graph.height}`}
      width="100%"
      style={{ maxWidth: graph.width }}
      className={['h-auto font-mono', className].filter(Boolean).join(' ')}
    >
      <title id={titleId}>{title}</title>
      <desc id={descId}>{describe(graph, progress)}</desc>
      <defs>
        {(Object.keys(MARKER_FILL) as EdgeTone[]).map((tone) => (
          <marker
            key={tone}
            id={markerId(tone)}
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            // One arrow size whatever the stroke width.
            markerUnits="userSpaceOnUse"
            markerWidth="10"
            markerHeight="10"
            orient="auto-start-reverse"
          >
            <path d="M0,0 L10,5 L0,10 z" className={MARKER_FILL[tone]} />
          </marker>
        ))}
      </defs>
      {graph.edges.map((edge) => {
        const tone = edgeTone(edge, graph, progress);
        return (
          <g key={edge.id} data-edge={edge.id} data-kind={edge.kind} data-taken={tone !== 'idle'}>
            <path
              d={pathOf(edge.points)}
              fill="none"
              className={EDGE_STYLE[tone]}
              strokeWidth={tone === 'idle' ? 1.5 : 3}
              strokeDasharray={edge.kind === 'catch' ? '5 4' : undefined}
              strokeLinejoin="round"
              markerEnd={`url(#${markerId(tone)})`}
            />
            {edge.label && edge.labelAt && (
              <EdgeLabel text={edge.label} at={edge.labelAt} taken={tone !== 'idle'} />
            )}
          </g>
        );
      })}
      {graph.nodes.map((node) =>
        node.type === 'Start' ? (
          <StartNode key={node.id} node={node} started={hasStarted(progress)} />
        ) : (
          <StateNode
            key={node.id}
            node={node}
            outcome={outcomeOf(node.id, progress)}
            attempts={progress?.states[node.id]?.attempts ?? 0}
            showOutcome={progress !== undefined}
          />
        ),
      )}
    </svg>
  );
}

function StateNode({
  node,
  outcome,
  attempts,
  showOutcome,
}: {
  node: WorkflowNode;
  outcome: Outcome;
  attempts: number;
  showOutcome: boolean;
}) {
  const style = OUTCOME_STYLE[outcome];
  const badge = node.retries.length
    ? `↻ ${node.retries.map((r) => r.maxAttempts).join('/')}`
    : undefined;
  return (
    <g data-state={node.id} data-outcome={outcome} transform={`translate(${node.x} ${node.y})`}>
      <title>{nodeTooltip(node, outcome, attempts)}</title>
      <rect
        width={node.width}
        height={node.height}
        rx={node.terminal ? node.height / 2 : 8}
        className={style.box}
        strokeWidth={outcome === 'not-reached' ? 1 : 2}
        strokeDasharray={style.dash}
      />
      <text x={12} y={21} fontSize={13} fontWeight={600} className={style.text}>
        {node.id}
      </text>
      {badge && (
        <text x={node.width - 10} y={21} fontSize={11} textAnchor="end" className="fill-stone-500">
          {badge}
        </text>
      )}
      <text x={12} y={39} fontSize={11} className={style.text}>
        {showOutcome ? outcomeText(outcome, attempts) : node.type}
      </text>
    </g>
  );
}

function StartNode({ node, started }: { node: WorkflowNode; started: boolean }) {
  return (
    <g
      data-state={node.id}
      data-outcome={started ? 'succeeded' : 'not-reached'}
      transform={`translate(${node.x} ${node.y})`}
    >
      <rect
        width={node.width}
        height={node.height}
        rx={node.height / 2}
        className={started ? 'fill-stone-800' : 'fill-stone-300'}
      />
      <text
        x={node.width / 2}
        y={node.height / 2 + 4}
        fontSize={12}
        textAnchor="middle"
        className={started ? 'fill-white' : 'fill-stone-700'}
      >
        Start
      </text>
    </g>
  );
}

function EdgeLabel({
  text,
  at,
  taken,
}: {
  text: string;
  at: { x: number; y: number };
  taken: boolean;
}) {
  const width = text.length * 6 + 8;
  return (
    <g transform={`translate(${at.x} ${at.y})`}>
      <rect x={-width / 2} y={-8} width={width} height={16} rx={3} className="fill-white" />
      <text
        y={3.5}
        fontSize={10}
        textAnchor="middle"
        className={taken ? 'fill-stone-900' : 'fill-stone-500'}
      >
        {text}
      </text>
    </g>
  );
}

/** A polyline through dagre's points, its bends rounded with quadratic curves. */
function pathOf(points: readonly { x: number; y: number }[]): string {
  const [first, ...rest] = points;
  if (!first) return '';
  const last = rest.pop();
  let d = `M${first.x},${first.y}`;
  for (const [i, p] of rest.entries()) {
    const next = rest[i + 1] ?? last ?? p;
    d += ` Q${p.x},${p.y} ${(p.x + next.x) / 2},${(p.y + next.y) / 2}`;
  }
  if (last) d += ` L${last.x},${last.y}`;
  return d;
}

function outcomeOf(state: string, progress: WorkflowProgress | undefined): Outcome {
  return progress?.states[state]?.outcome ?? 'not-reached';
}

function hasStarted(progress: WorkflowProgress | undefined): boolean {
  return progress !== undefined && Object.keys(progress.states).length > 0;
}

/**
 * Whether the execution took this edge. A transition names only its ends, and RefundPayment
 * has a Next and a Catch to the same state: between such a pair, the Catch was taken when
 * the source state was caught, the other edge when it was not.
 */
function edgeTone(
  edge: WorkflowEdge,
  graph: WorkflowLayout,
  progress: WorkflowProgress | undefined,
): EdgeTone {
  if (!progress) return 'idle';
  if (edge.kind === 'start') return progress.states[edge.to] ? 'taken' : 'idle';
  const taken = progress.transitions.some((t) => t.from === edge.from && t.to === edge.to);
  if (!taken) return 'idle';
  const between = graph.edges.filter((e) => e.from === edge.from && e.to === edge.to);
  if (between.some((e) => e.kind !== edge.kind)) {
    const caught = progress.states[edge.from]?.outcome === 'caught';
    if (caught !== (edge.kind === 'catch')) return 'idle';
  }
  return edge.kind === 'catch' ? 'caught' : 'taken';
}

function outcomeText(outcome: Outcome, attempts: number): string {
  const icon = OUTCOME_ICON[outcome];
  switch (outcome) {
    case 'not-reached':
      return `${icon} not reached`;
    case 'retrying':
      return `${icon} retrying · attempt ${attempts}`;
    case 'running':
      return attempts > 1 ? `${icon} running · attempt ${attempts}` : `${icon} running`;
    default:
      return attempts > 1 ? `${icon} ${outcome} · ${attempts} tries` : `${icon} ${outcome}`;
  }
}

const OUTCOME_WORDS: Record<Exclude<Outcome, 'not-reached'>, string> = {
  running: 'is running',
  retrying: 'is retrying',
  succeeded: 'succeeded',
  caught: 'failed and was caught',
  failed: 'failed',
  stopped: 'was stopped',
};

function sentence(state: string, outcome: Outcome, attempts: number): string {
  if (outcome === 'not-reached') return `${state} was not reached`;
  if (outcome === 'retrying') {
    return `${state} ${OUTCOME_WORDS.retrying} after attempt ${attempts} failed`;
  }
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  return `${state} ${OUTCOME_WORDS[outcome]}${tries}`;
}

function nodeTooltip(node: WorkflowNode, outcome: Outcome, attempts: number): string {
  const retries = node.retries.map(
    (r) => `retries ${r.errors.join(', ')} up to ${r.maxAttempts} times`,
  );
  return [`${node.id} (${node.type}): ${sentence(node.id, outcome, attempts)}`, ...retries].join(
    '; ',
  );
}

/** The words behind the picture: the path taken and what happened in each reached state. */
function describe(graph: WorkflowLayout, progress: WorkflowProgress | undefined): string {
  const states = graph.nodes.filter((n) => n.type !== 'Start');
  const start = graph.edges.find((e) => e.kind === 'start')?.to;
  const shape = `${states.length} states, starting at ${start}.`;
  if (!progress || !hasStarted(progress)) return `Workflow of ${shape} No execution shown.`;

  const path =
    progress.path ??
    (progress.transitions.length > 0
      ? [progress.transitions[0]!.from, ...progress.transitions.map((t) => t.to)]
      : Object.keys(progress.states));
  const reached = [...new Set(path), ...Object.keys(progress.states)].filter(
    (name, i, all) => all.indexOf(name) === i && progress.states[name],
  );
  const outcomes = reached.map((name) => {
    const state = progress.states[name]!;
    return `${sentence(name, state.outcome, state.attempts)}.`;
  });
  const missed = states.filter((n) => !progress.states[n.id]).map((n) => n.id);
  return [
    `Workflow of ${shape}`,
    `Path taken: ${path.join(' → ')}.`,
    ...outcomes,
    missed.length > 0 ? `Not reached: ${missed.join(', ')}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
}
