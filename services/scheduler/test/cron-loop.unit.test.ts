import type { SyncRequested } from '@tributary/contracts';
import { createMetrics, nullLogger } from '@tributary/observability';
import { parseCron } from '../src/domain/cron';
import type { ScheduleEntry } from '../src/domain/schedule';
import { startCronLoop, type FiringResult } from '../src/entry-points/cron';
import { manualTime } from './manual-time';

const entries: ScheduleEntry[] = [
  { mode: 'incremental', cron: parseCron('0 */6 * * *') },
  { mode: 'full', cron: parseCron('0 2 * * *') },
];

function loopAt(
  startIso: string,
  publish: (c: SyncRequested[], slotAt: Date) => Promise<void | FiringResult>,
  sources: ('repcard' | 'curagenesis')[] = ['repcard', 'curagenesis'],
) {
  const time = manualTime(startIso);
  const metrics = createMetrics('scheduler-test');
  const loop = startCronLoop({
    entries,
    sources,
    publish,
    logger: nullLogger(),
    metrics,
    clock: time.clock,
    timers: time.timers,
    retryBaseMs: 1,
  });
  return { time, loop, metrics };
}

describe('cron loop', () => {
  it('when started, then one timer waits exactly until the next due minute (no polling)', async () => {
    const { time, loop } = loopAt('2025-03-10T01:59:30Z', async () => undefined);
    expect(time.pending()).toEqual([30_000]);
    expect(loop.next()).toEqual({ at: new Date('2025-03-10T02:00:00Z'), mode: 'full' });
    await loop.stop();
    expect(time.pending()).toEqual([]);
    expect(loop.next()).toBeNull();
  });

  it('when the due minute comes, then one schedule-triggered command per source is published, keyed by the slot', async () => {
    const published: SyncRequested[][] = [];
    const { time, loop } = loopAt('2025-03-10T01:59:30Z', async (c) => {
      published.push(c);
    });
    await time.advance(30_000);
    expect(published).toHaveLength(1);
    expect(published[0]!.map((c) => [c.source, c.mode, c.trigger, c.requestedBy, c.requestedAt])).toEqual([
      ['repcard', 'full', 'schedule', 'scheduler', '2025-03-10T02:00:00.000Z'],
      ['curagenesis', 'full', 'schedule', 'scheduler', '2025-03-10T02:00:00.000Z'],
    ]);
    expect(new Set(published[0]!.map((c) => c.syncId)).size).toBe(2);
    expect(loop.next()).toEqual({ at: new Date('2025-03-10T06:00:00Z'), mode: 'incremental' });
    await time.advance(4 * 3600_000);
    expect(published.map((p) => p[0]!.mode)).toEqual(['full', 'incremental']);
    await loop.stop();
  });

  it('when a day passes, then every slot fires once in order', async () => {
    const modes: string[] = [];
    const { time, loop } = loopAt(
      '2025-03-10T00:00:00Z',
      async (c) => {
        modes.push(`${c[0]!.requestedAt.slice(11, 16)} ${c[0]!.mode}`);
      },
      ['repcard'],
    );
    await time.advance(24 * 3600_000);
    expect(modes).toEqual([
      '02:00 full',
      '06:00 incremental',
      '12:00 incremental',
      '18:00 incremental',
      '00:00 incremental',
    ]);
    await loop.stop();
  });

  it('when the next slot is far away, then the wait is taken in steps of at most an hour', async () => {
    const time = manualTime('2025-03-10T02:30:00Z');
    const loop = startCronLoop({
      entries: [{ mode: 'full', cron: parseCron('0 2 * * *') }],
      sources: ['repcard'],
      publish: async () => undefined,
      logger: nullLogger(),
      metrics: createMetrics('scheduler-test'),
      clock: time.clock,
      timers: time.timers,
    });
    expect(time.pending()).toEqual([3600_000]);
    await time.advance(3600_000);
    expect(time.pending()).toEqual([3600_000]);
    await loop.stop();
  });

  it('when publishing fails, then it is retried, and after the last attempt the slot is given up and the next planned', async () => {
    let calls = 0;
    const { time, loop, metrics } = loopAt(
      '2025-03-10T01:59:59Z',
      async () => {
        calls++;
        throw new Error('broker down');
      },
      ['repcard'],
    );
    await time.advance(1000);
    // retries sleep for real (a few ms with retryBaseMs 1): wait until the firing is over
    for (let i = 0; i < 50 && loop.next()?.mode !== 'incremental'; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(calls).toBe(3);
    expect(loop.next()).toEqual({ at: new Date('2025-03-10T06:00:00Z'), mode: 'incremental' });
    const failed = await metrics.registry.getSingleMetricAsString('tributary_schedule_commands_total');
    expect(failed).toMatch(/outcome="failed"[^\n]* 1/);
    await loop.stop();
  });

  it('when the process stalled past several slots, then they are not caught up: the next one after now is planned', async () => {
    const published: string[] = [];
    const time = manualTime('2025-03-10T01:59:00Z');
    const loop = startCronLoop({
      entries,
      sources: ['repcard'],
      publish: async (c) => {
        published.push(c[0]!.requestedAt);
        time.clock.now = () => new Date('2025-03-10T13:00:30Z'); // the VM was suspended for hours
      },
      logger: nullLogger(),
      metrics: createMetrics('scheduler-test'),
      clock: time.clock,
      timers: time.timers,
    });
    await time.advance(60_000);
    expect(published).toEqual(['2025-03-10T02:00:00.000Z']);
    expect(loop.next()).toEqual({ at: new Date('2025-03-10T18:00:00Z'), mode: 'incremental' });
    await loop.stop();
  });
});

describe('cron loop with a leader', () => {
  it('when this replica does not lead, then the slot is not counted nor the last fired, and the next is planned', async () => {
    const slots: string[] = [];
    const { time, loop, metrics } = loopAt('2025-03-10T01:59:30Z', async (_c, slotAt) => {
      slots.push(slotAt.toISOString());
      return { outcome: 'not_leader' };
    });
    await time.advance(30_000);
    expect(slots).toEqual(['2025-03-10T02:00:00.000Z']);
    const text = await metrics.registry.metrics();
    expect(text).not.toContain('tributary_schedule_last_fired_timestamp_seconds{');
    expect(text).not.toMatch(/tributary_schedule_commands_total\{[^}]*\} 1/);
    expect(loop.next()).toEqual({ at: new Date('2025-03-10T06:00:00Z'), mode: 'incremental' });
    await loop.stop();
  });

  it('when another replica already fired one source of the slot, then only the other counts as published', async () => {
    const { time, loop, metrics } = loopAt('2025-03-10T01:59:30Z', async (c) => ({
      outcome: 'published',
      published: c.filter((x) => x.source === 'curagenesis'),
      alreadyFired: c.filter((x) => x.source === 'repcard'),
    }));
    await time.advance(30_000);
    const text = await metrics.registry.metrics();
    await loop.stop();
    expect(text).toContain(
      'tributary_schedule_commands_total{source="repcard",mode="full",outcome="already_fired",service="scheduler-test"} 1',
    );
    expect(text).toContain(
      'tributary_schedule_commands_total{source="curagenesis",mode="full",outcome="published",service="scheduler-test"} 1',
    );
    expect(text).toContain(
      'tributary_schedule_commands_total{source="repcard",mode="full",outcome="published",service="scheduler-test"} 0',
    );
  });

  it('when a new leader catches up, then the latest slot of the window fires once with its own minute', async () => {
    const fired: string[] = [];
    const { loop } = loopAt('2025-03-10T02:00:08Z', async (c, slotAt) => {
      fired.push(`${slotAt.toISOString()} ${c[0]!.mode} ${c[0]!.requestedAt}`);
    });
    await loop.catchUp(new Date('2025-03-10T01:59:50Z'));
    expect(fired).toEqual(['2025-03-10T02:00:00.000Z full 2025-03-10T02:00:00.000Z']);
    await loop.catchUp(new Date('2025-03-10T02:00:00Z'));
    expect(fired).toHaveLength(1);
    await loop.stop();
  });

  it('when stopped, then catching up fires nothing', async () => {
    const fired: Date[] = [];
    const { loop } = loopAt('2025-03-10T02:00:08Z', async (_c, slotAt) => {
      fired.push(slotAt);
    });
    await loop.stop();
    await loop.catchUp(new Date('2025-03-10T01:59:50Z'));
    expect(fired).toEqual([]);
  });
});
