import type { SyncRequested } from '@tributary/contracts';
import { createMetrics, nullLogger } from '@tributary/observability';
import { parseCron } from '../src/domain/cron';
import { startCronLoop, type FiringResult } from '../src/entry-points/cron';
import { manualTime } from './manual-time';

const entries = [
  { mode: 'incremental' as const, cron: parseCron('0 */6 * * *') },
  { mode: 'full' as const, cron: parseCron('0 2 * * *') },
];

function loopAt(
  startIso: string,
  publish: (c: SyncRequested[], slotAt: Date) => Promise<void | FiringResult>,
) {
  const time = manualTime(startIso);
  const metrics = createMetrics('scheduler');
  const loop = startCronLoop({
    entries,
    sources: ['repcard', 'curagenesis'],
    publish,
    logger: nullLogger(),
    metrics,
    clock: time.clock,
    timers: time.timers,
    retryBaseMs: 1,
  });
  return { time, loop, metrics };
}

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
      'tributary_schedule_commands_total{source="repcard",mode="full",outcome="already_fired",service="scheduler"} 1',
    );
    expect(text).toContain(
      'tributary_schedule_commands_total{source="curagenesis",mode="full",outcome="published",service="scheduler"} 1',
    );
    expect(text).toContain(
      'tributary_schedule_commands_total{source="repcard",mode="full",outcome="published",service="scheduler"} 0',
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
