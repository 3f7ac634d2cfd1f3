import { readFileSync } from 'node:fs';

/**
 * The machine's disk activity while a benchmark runs (Linux /proc): how much dirty data the page
 * cache holds, how much the disks wrote, and the share of CPU time spent waiting for them. On the
 * shared benchmark machine the kernel writes dirty pages back once they are 30 s old, all at once
 * (~150-190 MB in half a second during a 1,000/s webhook run), and PostgreSQL's commits wait behind
 * that burst: the webhook benchmark's BENCH_DIAG prints these samples beside its slow deliveries
 * (ADR 0023, addendum 12).
 */
export interface IoSample {
  /** Milliseconds since the sampler started (end of the interval). */
  atMs: number;
  /** Share of the interval's CPU time spent in iowait, percent. */
  iowaitPct: number;
  /** Dirty page-cache data at the end of the interval, MiB (/proc/meminfo Dirty). */
  dirtyMiB: number;
  /** Written by the whole disks during the interval, MiB (/proc/diskstats, partitions left out). */
  writtenMiB: number;
}

/** The counters of the aggregate `cpu ` line of /proc/stat (user nice system idle iowait ...). */
export function cpuCounters(procStat: string): { total: number; iowait: number } {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new Error('no aggregate cpu line in /proc/stat');
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  return { total: fields.reduce((a, b) => a + b, 0), iowait: fields[4] ?? 0 };
}

/** /proc/meminfo's Dirty, MiB. */
export function dirtyMiB(meminfo: string): number {
  const m = /^Dirty:\s+(\d+) kB/m.exec(meminfo);
  if (!m) throw new Error('no Dirty line in /proc/meminfo');
  return Number(m[1]) / 1024;
}

/**
 * Sectors (512 bytes) written by whole disks in /proc/diskstats: virtio, SCSI and NVMe disks, not
 * their partitions (which would count twice), nor loop, ram or zram devices.
 */
export function diskSectorsWritten(diskstats: string): number {
  let sectors = 0;
  for (const line of diskstats.split('\n')) {
    const f = line.trim().split(/\s+/);
    const name = f[2];
    if (!name || f.length < 10) continue;
    if (!/^(?:[vsx]d[a-z]+|nvme\d+n\d+)$/.test(name)) continue;
    sectors += Number(f[9]);
  }
  return sectors;
}

/**
 * Samples the machine every `intervalMs` until `stop()`, which returns the samples. On a machine
 * without /proc it samples nothing.
 */
export function machineIoSampler(intervalMs = 500): { stop: () => IoSample[] } {
  const samples: IoSample[] = [];
  const read = () => ({
    cpu: cpuCounters(readFileSync('/proc/stat', 'utf8')),
    sectors: diskSectorsWritten(readFileSync('/proc/diskstats', 'utf8')),
  });
  let last: ReturnType<typeof read>;
  try {
    last = read();
  } catch {
    return { stop: () => samples };
  }
  const t0 = performance.now();
  const timer = setInterval(() => {
    const now = read();
    const total = now.cpu.total - last.cpu.total;
    samples.push({
      atMs: Math.round(performance.now() - t0),
      iowaitPct: total > 0 ? ((now.cpu.iowait - last.cpu.iowait) / total) * 100 : 0,
      dirtyMiB: dirtyMiB(readFileSync('/proc/meminfo', 'utf8')),
      writtenMiB: ((now.sectors - last.sectors) * 512) / 2 ** 20,
    });
    last = now;
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return samples;
    },
  };
}
