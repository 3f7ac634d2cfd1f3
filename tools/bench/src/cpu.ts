import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds (user + system) of one process from Linux /proc, or undefined once it is gone. */
export function processCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** `processCpuSeconds` to one decimal, or '?'. */
export function cpuSecondsText(pid: number | undefined): string {
  return processCpuSeconds(pid)?.toFixed(1) ?? '?';
}

/** CPU seconds used so far by every process whose name starts with `name` (e.g. each PostgreSQL backend). */
export function cpuSecondsOf(name: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (!comm.startsWith(name)) continue;
      const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // A process that ended between the listing and the read.
    }
  }
  return total;
}

/** CPU spent by this process and by PostgreSQL between `start()` and `stop()`, per row. */
export function cpuMeter(): { stop: (rows: number) => { nodeUsPerRow: number; postgresUsPerRow: number } } {
  const node0 = process.cpuUsage();
  const pg0 = cpuSecondsOf('postgres');
  return {
    stop(rows) {
      const node = process.cpuUsage(node0);
      const pg = cpuSecondsOf('postgres') - pg0;
      return {
        nodeUsPerRow: (node.user + node.system) / Math.max(rows, 1),
        postgresUsPerRow: (pg * 1e6) / Math.max(rows, 1),
      };
    },
  };
}
