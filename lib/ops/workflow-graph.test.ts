import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { START_NODE_ID, workflowGraph, type WorkflowNode } from './workflow-graph';

const aslText = readFileSync(
  new URL('../../amplify/workflow/order-workflow.asl.json', import.meta.url),
  'utf8',
);
const asl = JSON.parse(aslText) as {
  StartAt: string;
  States: Record<string, { Type: string; Retry?: { MaxAttempts?: number }[] }>;
};

describe('workflowGraph on the order workflow', () => {
  const graph = workflowGraph(asl);
  const node = (id: string) => graph.nodes.find((n) => n.id === id);

  it('draws every state as a node, plus the entry node', () => {
    const ids = graph.nodes.map((n) => n.id).sort();
    expect(ids).toEqual([START_NODE_ID, ...Object.keys(asl.States)].sort());
    for (const [name, state] of Object.entries(asl.States)) {
      expect(node(name)?.type).toBe(state.Type);
    }
    expect(node(START_NODE_ID)?.type).toBe('Start');
  });

  it('starts at the ASL StartAt state', () => {
    const start = graph.edges.filter((e) => e.kind === 'start');
    expect(start).toHaveLength(1);
    expect(start[0]).toMatchObject({ from: START_NODE_ID, to: 'ReserveInventory' });
    expect(asl.StartAt).toBe('ReserveInventory');
  });

  it('keeps both RefundPayment → ReleaseInventory edges, Next and Catch', () => {
    const both = graph.edges.filter(
      (e) => e.from === 'RefundPayment' && e.to === 'ReleaseInventory',
    );
    expect(both.map((e) => e.kind).sort()).toEqual(['catch', 'next']);
    expect(new Set(both.map((e) => e.id)).size).toBe(2);
    expect(new Set(graph.edges.map((e) => e.id)).size).toBe(graph.edges.length);
  });

  it('draws each Catch as a catch edge labelled "catch" (States.ALL)', () => {
    const catches = graph.edges.filter((e) => e.kind === 'catch');
    expect(catches.map((e) => `${e.from}→${e.to}`).sort()).toEqual(
      [
        'ReserveInventory→ReleaseInventory',
        'ChargePayment→RefundPayment',
        'AwaitWarehouse→RefundPayment',
        'ShipOrder→RefundPayment',
        'RefundPayment→ReleaseInventory',
        'ReleaseInventory→CompensationFailed',
      ].sort(),
    );
    for (const edge of catches) expect(edge.label).toBe('catch');
    expect(graph.edges.find((e) => e.from === 'ChargePayment' && e.kind === 'next')?.to).toBe(
      'AwaitWarehouse',
    );
  });

  it('annotates retries on the node, with MaxAttempts from the ASL, and adds no retry edges', () => {
    const charge = node('ChargePayment')!;
    const fromAsl = asl.States.ChargePayment!.Retry!.map((r) => r.MaxAttempts);
    expect(charge.retries.map((r) => r.maxAttempts)).toEqual(fromAsl);
    expect(charge.retries[0]).toEqual({ errors: ['PaymentTransientError'], maxAttempts: 4 });
    expect(graph.edges.some((e) => e.from === e.to)).toBe(false);
  });

  it('marks Succeed and Fail states terminal, with no outgoing edges', () => {
    const terminal = graph.nodes.filter((n) => n.terminal).map((n) => n.id);
    expect(terminal.sort()).toEqual(['CompensationFailed', 'OrderFailed', 'OrderShipped']);
    for (const id of terminal) expect(graph.edges.some((e) => e.from === id)).toBe(false);
  });

  it('lays out top to bottom without overlapping nodes, everything inside the canvas', () => {
    expect(node('ReserveInventory')!.y).toBeGreaterThan(node(START_NODE_ID)!.y);
    expect(node('OrderShipped')!.y).toBeGreaterThan(node('ShipOrder')!.y);
    const overlap = (a: WorkflowNode, b: WorkflowNode) =>
      a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    for (const [i, a] of graph.nodes.entries()) {
      expect(a.x).toBeGreaterThanOrEqual(0);
      expect(a.y).toBeGreaterThanOrEqual(0);
      expect(a.x + a.width).toBeLessThanOrEqual(graph.width);
      expect(a.y + a.height).toBeLessThanOrEqual(graph.height);
      for (const b of graph.nodes.slice(i + 1))
        expect(overlap(a, b), `${a.id} / ${b.id}`).toBe(false);
    }
    for (const edge of graph.edges) {
      expect(edge.points.length).toBeGreaterThanOrEqual(2);
      for (const p of edge.points) {
        expect(p.x).toBeGreaterThanOrEqual(0);
        expect(p.x).toBeLessThanOrEqual(graph.width);
        expect(p.y).toBeGreaterThanOrEqual(0);
        expect(p.y).toBeLessThanOrEqual(graph.height);
      }
    }
  });

  it('sizes a node by its name', () => {
    const long = node('CompensationFailed')!;
    expect(long.width).toBeGreaterThanOrEqual('CompensationFailed'.length * 7);
    expect(long.height).toBeGreaterThan(0);
  });

  it('caches the layout per definition text', () => {
    expect(workflowGraph(aslText)).toBe(workflowGraph(JSON.parse(aslText)));
    expect(Object.isFrozen(graph.nodes[0])).toBe(true);
  });
});

describe('workflowGraph on other shapes', () => {
  it('draws Choice rules with short labels and the Default, Parallel and Map as one node', () => {
    const graph = workflowGraph({
      StartAt: 'Route',
      States: {
        Route: {
          Type: 'Choice',
          Choices: [
            { Variable: '$.order.kind', StringEquals: 'gift', Next: 'Wrap' },
            { Variable: '$.total', NumericGreaterThanEquals: 100, Next: 'Fan' },
            { And: [{}, {}], Next: 'Each' },
          ],
          Default: 'Done',
        },
        Wrap: { Type: 'Pass', Next: 'Pause' },
        Pause: { Type: 'Wait', Seconds: 1, Next: 'Done' },
        Fan: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'A', States: { A: { Type: 'Succeed' } } }],
          Catch: [{ ErrorEquals: ['Boom', 'Bang'], Next: 'Done' }],
          End: true,
        },
        Each: {
          Type: 'Map',
          ItemProcessor: { StartAt: 'B', States: { B: { Type: 'Succeed' } } },
          Retry: [{ ErrorEquals: ['States.ALL'] }],
          Next: 'Done',
        },
        Done: { Type: 'Succeed' },
      },
    });
    expect(graph.nodes.map((n) => n.id).sort()).toEqual(
      ['Start', 'Route', 'Wrap', 'Pause', 'Fan', 'Each', 'Done'].sort(),
    );
    const labels = graph.edges.filter((e) => e.from === 'Route').map((e) => [e.kind, e.label]);
    expect(labels).toEqual([
      ['choice', 'kind = "gift"'],
      ['choice', 'total ≥ 100'],
      ['choice', 'all of 2'],
      ['default', 'default'],
    ]);
    expect(graph.edges.find((e) => e.from === 'Fan')).toMatchObject({
      kind: 'catch',
      label: 'Boom, Bang',
    });
    const fan = graph.nodes.find((n) => n.id === 'Fan')!;
    expect(fan.terminal).toBe(true);
    expect(graph.nodes.find((n) => n.id === 'Each')!.retries).toEqual([
      { errors: ['States.ALL'], maxAttempts: 3 },
    ]);
  });

  it('keeps a state called Start apart from the entry node', () => {
    const graph = workflowGraph({ StartAt: 'Start', States: { Start: { Type: 'Succeed' } } });
    expect(graph.nodes.filter((n) => n.type === 'Start')).toHaveLength(1);
    expect(graph.edges[0]).toMatchObject({ kind: 'start', to: 'Start' });
    expect(graph.edges[0]!.from).not.toBe('Start');
  });

  it('refuses what is not a state machine definition', () => {
    expect(() => workflowGraph(undefined)).toThrow(/missing/);
    expect(() => workflowGraph('{')).toThrow(/not valid JSON/);
    expect(() => workflowGraph({ StartAt: 'A' })).toThrow(/no States/);
    expect(() => workflowGraph({ States: { A: { Type: 'Succeed' } } })).toThrow(/no StartAt/);
    expect(() => workflowGraph({ StartAt: 'B', States: { A: { Type: 'Succeed' } } })).toThrow(
      /StartAt names no state: B/,
    );
    expect(() =>
      workflowGraph({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } }),
    ).toThrow(/unknown state: Nowhere/);
  });
});
