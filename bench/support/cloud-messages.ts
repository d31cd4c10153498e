/** The IPC messages between `bench/orders.ts` and `local-cloud-child.ts`. */
export type FromCloud =
  | { kind: 'ready'; url: string; outputsPath: string }
  | { kind: 'state-entered'; orderId: string; state: string; at: number }
  | { kind: 'intake-consumer'; on: boolean };

export type ToCloud =
  | { kind: 'watch'; on: boolean }
  /** Stops or restarts the intake queue's consumer (its event source mappings); acknowledged. */
  | { kind: 'intake-consumer'; on: boolean };

/** The extra shoppers the child seeds, so submits are spread over several users. */
export function benchShopper(index: number) {
  return { email: `bench-shopper-${index}@example.com`, password: 'Bench-shopper-1' };
}
