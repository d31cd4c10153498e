/**
 * Pass, Choice, Succeed (and a Task whose handler answers at once) complete in promise
 * reactions, so a loop such as Choice -> Pass -> Choice would otherwise run in microtasks
 * forever and starve every socket, timer and group commit of the process. After each state
 * transition the interpreter asks the pacer whether to give the event loop back.
 *
 * The budget is per event-loop turn and shared by every execution of the process: what starves
 * other requests is the time the loop spends without reaching its poll phase, whoever spends
 * it. A turn ends after SLICE_MS of synchronous work or SLICE_TRANSITIONS transitions; then every
 * execution that transitions waits for `setImmediate`, which runs after pending I/O. The
 * common case (a few transitions between two awaits on real I/O) never waits.
 *
 * Wall time comes from `performance.now()`, not the engine's Clock: this measures CPU spent
 * now, and a manual test clock does not move while code runs. `setImmediate` is not a timer on
 * the clock's time line either: it fires after I/O, whatever the clock says.
 */
const SLICE_MS = 4;
const SLICE_TRANSITIONS = 2_000;

export class EventLoopPacer {
  private sliceStartedAt: number | undefined;
  private transitions = 0;
  private nextTurn: Promise<void> | undefined;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Undefined to go on at once, else a promise that settles on a later event-loop turn. */
  pace(): Promise<void> | undefined {
    if (this.nextTurn) return this.nextTurn;
    if (this.sliceStartedAt === undefined) this.startSlice();
    this.transitions += 1;
    if (this.transitions < SLICE_TRANSITIONS && this.now() - this.sliceStartedAt! < SLICE_MS) {
      return undefined;
    }
    this.nextTurn = new Promise((resolve) =>
      setImmediate(() => {
        this.nextTurn = undefined;
        this.sliceStartedAt = undefined;
        resolve();
      }),
    );
    return this.nextTurn;
  }

  private startSlice(): void {
    this.sliceStartedAt = this.now();
    this.transitions = 0;
    // The first immediate of this turn marks its end: the next transition starts a new slice.
    setImmediate(() => {
      if (!this.nextTurn) this.sliceStartedAt = undefined;
    });
  }
}

/** One pacer per process: there is one event loop to protect. */
export const processPacer = new EventLoopPacer();
