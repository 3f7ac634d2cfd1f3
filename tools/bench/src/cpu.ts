import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** The name and CPU seconds (user + system) of a `/proc/<pid>/stat` line (the name may hold `) `). */
function parseStat(stat: string): { name: string; seconds: number } {
  const close = stat.lastIndexOf(')');
  const fields = stat.slice(close + 2).split(' ');
  return {
    name: stat.slice(stat.indexOf('(') + 1, close),
    seconds: (Number(fields[11]) + Number(fields[12])) / 100,
  };
}

/** CPU seconds (user + system) of one process from Linux /proc, or undefined once it is gone. */
export function processCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8')).seconds;
  } catch {
    return undefined;
  }
}

/** `processCpuSeconds` to one decimal, or '?'. */
export function cpuSecondsText(pid: number | undefined): string {
  return processCpuSeconds(pid)?.toFixed(1) ?? '?';
}

/** The pids of this machine's processes (Linux /proc). */
function pids(): string[] {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
}

/** CPU seconds used so far by each process whose name starts with `name` (e.g. each PostgreSQL backend), by pid. */
export function cpuSecondsByPid(name: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const entry of pids()) {
    try {
      const stat = parseStat(readFileSync(`/proc/${entry}/stat`, 'utf8'));
      if (stat.name.startsWith(name)) out.set(entry, stat.seconds);
    } catch {
      // A process that ended between the listing and the read.
    }
  }
  return out;
}

/**
 * CPU seconds `name`'s processes spent since `before` (cpuSecondsByPid): each process alive now, from
 * its reading then (0 if it started since). A process that ended meanwhile is left out, rather than
 * taking its whole past off the total (a backend or autovacuum worker ending made it negative).
 */
export function cpuSecondsSince(name: string, before: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const [pid, seconds] of cpuSecondsByPid(name)) total += Math.max(0, seconds - (before.get(pid) ?? 0));
  return total;
}

/**
 * Starts measuring the CPU spent by a process (`pid`; default this one) and by PostgreSQL's
 * processes; `stop(rows)` gives each per row, in µs.
 */
export function cpuMeter(pid?: number): {
  stop: (rows: number) => { nodeUsPerRow: number; postgresUsPerRow: number };
} {
  const own = (): number => (pid === undefined ? cpuUsageSeconds() : (processCpuSeconds(pid) ?? 0));
  const node0 = own();
  const pg0 = cpuSecondsByPid('postgres');
  return {
    stop(rows) {
      const perRow = (seconds: number): number => (seconds * 1e6) / Math.max(rows, 1);
      return {
        nodeUsPerRow: perRow(own() - node0),
        postgresUsPerRow: perRow(cpuSecondsSince('postgres', pg0)),
      };
    },
  };
}

function cpuUsageSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** The pid of the Kafka broker on this machine (a JVM running kafka.Kafka), if any. */
export function kafkaBrokerPid(): number | undefined {
  for (const entry of pids()) {
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('kafka.Kafka')) return Number(entry);
    } catch {
      // A process that ended between the listing and the read.
    }
  }
  return undefined;
}

/**
 * Starts measuring the CPU of the processes a webhook run keeps busy: `stop()` gives each one's
 * share of a core since, and their sum against the machine's cores, as one line of text.
 */
export function machineCpuMeter(pids: { gateway: number | undefined; projector: number | undefined }): {
  stop: () => string;
} {
  const broker = kafkaBrokerPid();
  const at0 = performance.now();
  const pg0 = cpuSecondsByPid('postgres');
  const own0 = cpuUsageSeconds();
  const of = (pid: number | undefined) => processCpuSeconds(pid) ?? NaN;
  const start = { gateway: of(pids.gateway), projector: of(pids.projector), kafka: of(broker) };
  return {
    stop() {
      const seconds = (performance.now() - at0) / 1000;
      const shares: [string, number][] = [
        ['PostgreSQL', cpuSecondsSince('postgres', pg0)],
        ['gateway', of(pids.gateway) - start.gateway],
        ['Kafka', of(broker) - start.kafka],
        ['projector', of(pids.projector) - start.projector],
        ['sender', cpuUsageSeconds() - own0],
      ];
      const pct = (s: number) => (Number.isNaN(s) ? '?' : String(Math.round((s / seconds) * 100)));
      const total = shares.reduce((sum, [, s]) => sum + (Number.isNaN(s) ? 0 : s), 0);
      return `${shares.map(([name, s]) => `${name} ${pct(s)}`).join(', ')}: ${pct(total)} of ${availableParallelism() * 100}`;
    },
  };
}
