import { requestedEntities } from '@tributary/contracts';
import { REPCARD_ENTITIES, type SyncRequested } from '@tributary/contracts';
import { pagedApi } from './in-memory';
import { repcardHandler, syncRequested, type RepcardHandlerOptions } from './sync-command-support';

const command = (overrides: Partial<SyncRequested> = {}): SyncRequested =>
  syncRequested({ trigger: 'schedule', ...overrides });

function handler(overrides: Partial<RepcardHandlerOptions> = {}) {
  const plannedAt: Date[] = [];
  const { handle, publisher, metrics } = repcardHandler({
    now: () => new Date('2026-02-01T10:00:00.000Z'),
    fetcherFor: (_command, _entity, _checkpoint, now) => {
      plannedAt.push(now);
      return pagedApi([[{ id: 1 }]]).fetcher;
    },
    ...overrides,
  });
  return { handle, publisher, metrics, plannedAt };
}

describe('syncCommandHandler', () => {
  it('when a command names entities, then those run in the source order', () => {
    expect(requestedEntities('repcard', ['status_logs', 'users'])).toEqual(['users', 'status_logs']);
    expect(requestedEntities('repcard', [])).toEqual([...REPCARD_ENTITIES]);
  });

  it('when a command runs, then every entity is planned with the same run start and the run is counted', async () => {
    const { handle, publisher, metrics, plannedAt } = handler();
    await handle(command({ entities: ['users', 'offices'] }));

    expect(publisher.ofType('EntityCompleted').map((r) => r.value.entity)).toEqual(['users', 'offices']);
    expect(plannedAt.map((d) => d.toISOString())).toEqual([
      '2026-02-01T10:00:00.000Z',
      '2026-02-01T10:00:00.000Z',
    ]);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/tributary_sync_runs_total\{[^}]*outcome="completed"[^}]*\} 1/);
    expect(text).toMatch(/tributary_sync_records_fetched_total\{[^}]*entity="offices"[^}]*\} 1/);
  });

  it('when the gate refuses a command, then SyncSkipped carries the reason and nothing is fetched', async () => {
    const { handle, publisher, metrics, plannedAt } = handler({
      gate: { admit: () => ({ run: false, reason: 'too soon' }) },
    });
    const refused = command();
    await handle(refused);

    expect(publisher.all().map((r) => r.value)).toEqual([
      expect.objectContaining({ type: 'SyncSkipped', syncId: refused.syncId, reason: 'too soon' }),
    ]);
    expect(plannedAt).toEqual([]);
    expect(await metrics.registry.metrics()).toMatch(
      /tributary_sync_runs_total\{[^}]*outcome="skipped"[^}]*\} 1/,
    );
  });

  it('when the gate admits a command, then it is told the run start', async () => {
    const admitted: Date[] = [];
    const { handle } = handler({ gate: { admit: (_c, now) => (admitted.push(now), { run: true }) } });
    await handle(command({ entities: ['users'] }));

    expect(admitted.map((d) => d.toISOString())).toEqual(['2026-02-01T10:00:00.000Z']);
  });

  it('when the handler is created, then every run outcome, mode and entity of its source is exposed at 0', async () => {
    const { metrics } = handler();
    const text = await metrics.registry.metrics();
    for (const mode of ['full', 'incremental'])
      for (const outcome of ['completed', 'failed', 'skipped'])
        expect(text).toContain(
          `tributary_sync_runs_total{source="repcard",mode="${mode}",outcome="${outcome}",service="unit-test"} 0`,
        );
    for (const entity of REPCARD_ENTITIES)
      expect(text).toContain(
        `tributary_sync_records_fetched_total{source="repcard",entity="${entity}",service="unit-test"} 0`,
      );
  });

  it('when pages are committed, then records fetched count each page as it goes and each entity its duration', async () => {
    const seen: string[] = [];
    const ref: { metrics?: ReturnType<typeof handler>['metrics'] } = {};
    const { handle, metrics } = handler({
      fetcherFor: () => {
        const api = pagedApi([[{ id: 1 }, { id: 2 }], [{ id: 3 }]]);
        return {
          ...api.fetcher,
          fetch: async (req, signal) => {
            seen.push(
              (
                await ref.metrics!.registry.getSingleMetricAsString('tributary_sync_records_fetched_total')
              ).match(/entity="users"[^}]*\} (\d+)/)![1]!,
            );
            return api.fetcher.fetch(req, signal);
          },
        };
      },
    });
    ref.metrics = metrics;
    await handle(command({ entities: ['users'] }));

    expect(seen).toEqual(['0', '2']); // the second page is requested after the first was counted
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/tributary_sync_records_fetched_total\{[^}]*entity="users"[^}]*\} 3/);
    expect(text).toMatch(/tributary_sync_run_duration_seconds_count\{[^}]*entity="users"[^}]*\} 1/);
  });

  it('when an entity fails, then the run counts as failed and the entity duration is observed', async () => {
    const { handle, metrics } = handler({
      fetcherFor: () => ({
        paging: 'cursor',
        fetch: async () => {
          throw new Error('boom');
        },
      }),
    });
    await handle(command({ entities: ['users'] }));

    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'tributary_sync_runs_total{source="repcard",mode="incremental",outcome="failed",service="unit-test"} 1',
    );
    expect(text).toMatch(/tributary_sync_run_duration_seconds_count\{[^}]*entity="users"[^}]*\} 1/);
  });
});
