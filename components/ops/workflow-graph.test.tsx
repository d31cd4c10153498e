import { readFileSync } from 'node:fs';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { workflowGraph } from '@/lib/ops/workflow-graph';
import { WorkflowGraph, type WorkflowProgress } from './workflow-graph';

const graph = workflowGraph(
  readFileSync(new URL('../../amplify/workflow/order-workflow.asl.json', import.meta.url), 'utf8'),
);

/** A declined card: ChargePayment fails twice, the Catch compensates, the order fails. */
const declined: WorkflowProgress = {
  states: {
    ReserveInventory: { outcome: 'succeeded', attempts: 1 },
    ChargePayment: { outcome: 'caught', attempts: 2 },
    RefundPayment: { outcome: 'succeeded', attempts: 1 },
    ReleaseInventory: { outcome: 'succeeded', attempts: 1 },
    OrderFailed: { outcome: 'failed', attempts: 0 },
  },
  transitions: [
    { from: 'ReserveInventory', to: 'ChargePayment' },
    { from: 'ChargePayment', to: 'RefundPayment' },
    { from: 'RefundPayment', to: 'ReleaseInventory' },
    { from: 'ReleaseInventory', to: 'OrderFailed' },
  ],
};

const outcomes = (html: string) =>
  Object.fromEntries(
    [...html.matchAll(/data-state="([^"]+)" data-outcome="([^"]+)"/g)].map((m) => [m[1], m[2]]),
  );
const desc = (html: string) => /<desc[^>]*>([^<]*)<\/desc>/.exec(html)?.[1] ?? '';
const edge = (html: string, id: string) =>
  new RegExp(`<g data-edge="${id.replaceAll('|', '\\|')}"[^>]*>\\s*<path[^>]*>`).exec(html)?.[0];

describe('WorkflowGraph', () => {
  it('marks each state with its outcome and says the path in the <desc>', () => {
    const html = renderToStaticMarkup(<WorkflowGraph graph={graph} progress={declined} />);
    expect(outcomes(html)).toMatchObject({
      ReserveInventory: 'succeeded',
      ChargePayment: 'caught',
      AwaitWarehouse: 'not-reached',
      ShipOrder: 'not-reached',
      RefundPayment: 'succeeded',
      OrderFailed: 'failed',
      CompensationFailed: 'not-reached',
    });
    expect(desc(html)).toContain(
      'Path taken: ReserveInventory → ChargePayment → RefundPayment → ReleaseInventory → OrderFailed.',
    );
    expect(desc(html)).toContain('ChargePayment failed and was caught after 2 attempts.');
    expect(desc(html)).toContain('OrderFailed failed.');
    expect(desc(html)).toContain('Not reached: AwaitWarehouse, ShipOrder, OrderShipped');
    // Colour is not the only signal.
    expect(html).toContain('↪ caught · 2 tries');
    expect(html).toContain('✕ failed');
  });

  it('is an accessible, scalable image', () => {
    const html = renderToStaticMarkup(<WorkflowGraph graph={graph} title="Order workflow" />);
    const labelledBy = /aria-labelledby="([^"]+)"/.exec(html)?.[1]?.split(' ') ?? [];
    expect(html).toMatch(/^<svg role="img"/);
    expect(labelledBy).toHaveLength(2);
    for (const id of labelledBy) expect(html).toContain(`id="${id}"`);
    expect(html).toContain(`viewBox="0 0 ${graph.width} ${graph.height}"`);
    expect(html).toContain('width="100%"');
    expect(html).toContain('<title');
    expect(desc(html)).toBe(
      'Workflow of 9 states, starting at ReserveInventory. No execution shown.',
    );
    expect(Object.values(outcomes(html)).every((o) => o === 'not-reached')).toBe(true);
  });

  it('highlights the edges taken, telling the Catch from the Next between the same states', () => {
    const html = renderToStaticMarkup(<WorkflowGraph graph={graph} progress={declined} />);
    const taken = [...html.matchAll(/data-edge="([^"]+)" data-kind="[^"]+" data-taken="true"/g)];
    expect(taken.map((m) => m[1])).toEqual([
      'Start|start|ReserveInventory|0',
      'ReserveInventory|next|ChargePayment|0',
      'ChargePayment|catch|RefundPayment|1',
      'RefundPayment|next|ReleaseInventory|0',
      'ReleaseInventory|next|OrderFailed|0',
    ]);
    expect(edge(html, 'ChargePayment|catch|RefundPayment|1')).toMatch(/stroke-red-600/);
    expect(edge(html, 'ChargePayment|catch|RefundPayment|1')).toMatch(/stroke-dasharray="5 4"/);
    expect(edge(html, 'RefundPayment|next|ReleaseInventory|0')).toMatch(/stroke-stone-800/);
    expect(edge(html, 'RefundPayment|catch|ReleaseInventory|1')).toMatch(/stroke-stone-300/);
  });

  it('shows the attempt of a retrying state', () => {
    const html = renderToStaticMarkup(
      <WorkflowGraph
        graph={graph}
        progress={{
          states: {
            ReserveInventory: { outcome: 'succeeded', attempts: 1 },
            ChargePayment: { outcome: 'retrying', attempts: 2 },
          },
          transitions: [{ from: 'ReserveInventory', to: 'ChargePayment' }],
        }}
      />,
    );
    expect(outcomes(html).ChargePayment).toBe('retrying');
    expect(html).toContain('↻ retrying · attempt 2');
    expect(desc(html)).toContain('ChargePayment is retrying after attempt 2 failed.');
  });
});
