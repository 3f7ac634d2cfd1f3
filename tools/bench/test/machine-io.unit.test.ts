import { cpuCounters, diskSectorsWritten, dirtyMiB, machineIoSampler } from '../src/machine-io';

describe('machine-io parsers', () => {
  it('reads the aggregate cpu line, not the per-core ones', () => {
    const stat = 'cpu  100 2 30 800 40 0 5 7 0 0\ncpu0 50 1 15 400 20 0 2 3 0 0\nintr 1 2 3\n';
    expect(cpuCounters(stat)).toEqual({ total: 984, iowait: 40 });
  });

  it('refuses a /proc/stat without an aggregate line', () => {
    expect(() => cpuCounters('cpu0 1 2 3\n')).toThrow(/aggregate cpu line/);
  });

  it('reads Dirty in MiB', () => {
    expect(dirtyMiB('MemTotal:       24683520 kB\nDirty:            194560 kB\nWriteback:  0 kB\n')).toBe(
      190,
    );
    expect(() => dirtyMiB('MemTotal: 1 kB\n')).toThrow(/Dirty/);
  });

  it('counts whole disks once, not partitions, loop or zram devices', () => {
    const diskstats = [
      ' 253       0 vda 100 0 2000 10 500 0 4096 20 0 30 30 0 0 0 0',
      ' 253       1 vda1 90 0 1800 10 450 0 4000 20 0 30 30 0 0 0 0',
      '   7       0 loop0 5 0 10 0 0 0 999 0 0 0 0 0 0 0 0',
      ' 252       0 zram0 5 0 10 0 0 0 777 0 0 0 0 0 0 0 0',
      ' 259       0 nvme0n1 1 0 8 0 1 0 100 0 0 1 1 0 0 0 0',
      ' 259       1 nvme0n1p1 1 0 8 0 1 0 100 0 0 1 1 0 0 0 0',
    ].join('\n');
    expect(diskSectorsWritten(diskstats)).toBe(4196);
  });

  it('samples this machine until stopped', async () => {
    const sampler = machineIoSampler(20);
    await new Promise((r) => setTimeout(r, 130));
    const samples = sampler.stop();
    expect(samples.length).toBeGreaterThanOrEqual(3);
    for (const s of samples) {
      expect(s.iowaitPct).toBeGreaterThanOrEqual(0);
      expect(s.iowaitPct).toBeLessThanOrEqual(100);
      expect(s.dirtyMiB).toBeGreaterThanOrEqual(0);
      expect(s.writtenMiB).toBeGreaterThanOrEqual(0);
    }
    expect(samples.map((s) => s.atMs)).toEqual([...samples.map((s) => s.atMs)].sort((a, b) => a - b));
  });
});
