import { fork, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BootstrapData, FromContainer, ToContainer } from './protocol';
import type { Isolation } from './types';

/** How a container ended, as far as the host could tell. */
export interface ContainerExit {
  code: number | null;
  signal: string | null;
  /** The heap limit (memorySizeMb) ended it. */
  outOfMemory: boolean;
}

/** The host's side of one container, whichever way it is isolated. */
export interface Channel {
  send(message: ToContainer): void;
  /** Forcibly ends the container (Lambda's SIGKILL); resolves once it is gone. */
  kill(): Promise<void>;
  /** An idle container must not keep the local cloud's process alive. */
  ref(): void;
  unref(): void;
}

export interface ChannelEvents {
  onMessage(message: FromContainer): void;
  onOutput(stream: 'stdout' | 'stderr', line: string): void;
  /** Called exactly once, when the thread or process is really gone. */
  onExit(exit: ContainerExit): void;
}

export interface ChannelOptions {
  data: BootstrapData;
  env: Record<string, string>;
  memorySizeMb: number;
}

const BOOTSTRAP = fileURLToPath(new URL('./bootstrap.mjs', import.meta.url));

export function openChannel(
  isolation: Isolation,
  options: ChannelOptions,
  events: ChannelEvents,
): Channel {
  return isolation === 'worker' ? workerChannel(options, events) : processChannel(options, events);
}

function workerChannel(options: ChannelOptions, events: ChannelEvents): Channel {
  const worker = new Worker(BOOTSTRAP, {
    workerData: options.data,
    // A copy per worker: what one function sets in process.env no other function sees.
    env: options.env,
    // Not the parent's flags (tsx's loader, vitest's): the bootstrap sets up what it needs.
    execArgv: [],
    // Best effort only: some allocation patterns abort the whole process instead (index.ts).
    resourceLimits: { maxOldGenerationSizeMb: options.memorySizeMb },
    stdout: true,
    stderr: true,
  });
  let outOfMemory = false;
  const gone = new Promise<void>((resolve) => {
    worker.on('exit', (code) => {
      events.onExit({ code, signal: null, outOfMemory });
      resolve();
    });
  });
  worker.on('message', (message: FromContainer) => events.onMessage(message));
  // The bootstrap reports errors itself; what reaches here ended the thread from outside JS.
  worker.on('error', (error: Error & { code?: string }) => {
    if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') outOfMemory = true;
  });
  pipeLines(worker.stdout, (line) => events.onOutput('stdout', line));
  pipeLines(worker.stderr, (line) => events.onOutput('stderr', line));
  return {
    send: (message) => worker.postMessage(message),
    kill: async () => {
      // Held while ending, or an unreferenced worker's exit might never be observed.
      worker.ref();
      await worker.terminate();
      await gone;
    },
    ref: () => worker.ref(),
    unref: () => worker.unref(),
  };
}

/**
 * Child processes still running when the local cloud exits are killed with it, even a busy
 * one (its own loop may be spinning, so it could not notice the parent is gone). One listener
 * for all runtimes of this process.
 */
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  liveChildren.add(child);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const live of liveChildren) live.kill('SIGKILL');
  });
}

function processChannel(options: ChannelOptions, events: ChannelEvents): Channel {
  const child: ChildProcess = fork(BOOTSTRAP, [JSON.stringify(options.data)], {
    // Exactly this environment (Next's types make NODE_ENV look mandatory; it is not).
    env: options.env as NodeJS.ProcessEnv,
    // Only this flag: a NODE_OPTIONS or parent --max-old-space-size must not change the limit.
    execArgv: [`--max-old-space-size=${options.memorySizeMb}`],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'json',
  });
  track(child);
  let outOfMemory = false;
  let exited = false;
  const gone = new Promise<void>((resolve) => {
    const end = (code: number | null, signal: string | null) => {
      if (exited) return;
      exited = true;
      liveChildren.delete(child);
      events.onExit({ code, signal, outOfMemory });
      resolve();
    };
    child.on('exit', end);
    // A failed spawn (or a send into a closed channel): only the former ends the container.
    child.on('error', (error) => {
      if (child.pid === undefined) end(null, null);
      else events.onOutput('stderr', `container channel error: ${error.message}`);
    });
  });
  child.on('message', (message: FromContainer) => events.onMessage(message));
  pipeLines(child.stdout!, (line) => events.onOutput('stdout', line));
  // When the old generation reaches --max-old-space-size, V8 prints its last GCs, a FATAL
  // line and a native stack, then aborts: that report is the OOM signal, not log output.
  let inV8Report = false;
  pipeLines(child.stderr!, (line) => {
    if (/^<--- Last few GCs --->/.test(line)) inV8Report = true;
    if (/FATAL ERROR: .*heap out of memory/.test(line)) {
      outOfMemory = true;
      inV8Report = true;
    }
    if (!inV8Report) events.onOutput('stderr', line);
  });
  return {
    send: (message) => {
      if (!exited && child.connected) child.send(message);
    },
    kill: async () => {
      child.ref();
      if (!exited) child.kill('SIGKILL');
      await gone;
    },
    // The IPC channel and the output pipes are handles of their own.
    ref: () => {
      child.ref();
      child.channel?.ref();
      for (const pipe of [child.stdout, child.stderr]) (pipe as Partial<Socket> | null)?.ref?.();
    },
    unref: () => {
      child.unref();
      child.channel?.unref();
      for (const pipe of [child.stdout, child.stderr]) (pipe as Partial<Socket> | null)?.unref?.();
    },
  };
}

function pipeLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    let newline = buffered.indexOf('\n');
    while (newline !== -1) {
      onLine(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
    }
  });
  stream.on('end', () => {
    if (buffered) onLine(buffered);
    buffered = '';
  });
}
