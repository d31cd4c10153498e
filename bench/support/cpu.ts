import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** utime + stime of a process and all its descendants, in clock ticks (Linux /proc). */
function treeTicks(root: number, descendants: boolean): number {
  const parents = new Map<number, number>();
  const ticks = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the parenthesised command name, which may itself hold spaces.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(name), Number(fields[1]));
      ticks.set(Number(name), Number(fields[11]) + Number(fields[12]));
    } catch {
      // exited while we looked
    }
  }
  if (!descendants) return ticks.get(root) ?? 0;
  let total = 0;
  for (const pid of ticks.keys()) {
    for (let p: number | undefined = pid; p; p = parents.get(p)) {
      if (p === root) {
        total += ticks.get(pid)!;
        break;
      }
    }
  }
  return total;
}

/**
 * CPU used by each named process tree from now until the returned function is called, as a
 * percentage of one core (200 % = both cores of these machines). `self` counts this process
 * without its children. Empty off Linux.
 */
export function sampleCpu(processes: Record<string, number | undefined>) {
  const TICKS_PER_SECOND = 100;
  const read = () => {
    try {
      return Object.fromEntries(
        Object.entries(processes).map(([name, pid]) => [
          name,
          pid ? treeTicks(pid, pid !== process.pid) : 0,
        ]),
      );
    } catch {
      return undefined;
    }
  };
  const before = read();
  const machineBefore = machineTicks();
  const began = performance.now();
  return () => {
    const after = read();
    const machineAfter = machineTicks();
    if (!before || !after) return '';
    const seconds = (performance.now() - began) / 1000;
    const parts = Object.keys(processes).map((name) => {
      const used = (after[name]! - before[name]!) / TICKS_PER_SECOND;
      return `${name} ${((used / seconds) * 100).toFixed(0)} %`;
    });
    if (machineBefore && machineAfter) {
      const busy = (machineAfter.busy - machineBefore.busy) / TICKS_PER_SECOND;
      parts.push(`whole machine ${((busy / seconds) * 100).toFixed(0)} % of ${cores() * 100} %`);
    }
    return parts.join(', ');
  };
}

/** Busy ticks of all cores together, from the first line of /proc/stat. */
function machineTicks(): { busy: number } | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1);
    // user nice system idle iowait irq softirq steal: everything but idle and iowait is busy.
    const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
    return { busy: user! + nice! + system! + irq! + softirq! + steal! };
  } catch {
    return undefined;
  }
}

function cores(): number {
  return availableParallelism();
}
