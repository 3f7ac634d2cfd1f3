import { randomUUID } from 'node:crypto';
import type { SyncRequested } from '@tributary/contracts';
import { createMetrics, nullLogger } from '@tributary/observability';
import { syncCommandHandler, type SyncCommandHandlerOptions } from '../src/command-handler';
import { InMemoryPublisher } from './in-memory';

/**
 * A RepCard SyncRequested with a fresh syncId, as a unit test writes it: an incremental, manual run
 * of every entity (`entities: []`) over no window, with `overrides` over these defaults.
 */
export function syncRequested(overrides: Partial<SyncRequested> = {}): SyncRequested {
  return {
    type: 'SyncRequested',
    version: 1,
    syncId: randomUUID(),
    source: 'repcard',
    mode: 'incremental',
    entities: [],
    window: { from: null, to: null },
    trigger: 'manual',
    requestedBy: 'unit-test',
    requestedAt: '2026-02-01T00:00:00.000Z',
    force: false,
    ...overrides,
  };
}

/** What a test may set of a RepCard handler: its fetcher, and anything but the publisher and metrics. */
export type RepcardHandlerOptions = Partial<Omit<SyncCommandHandlerOptions, 'publisher' | 'metrics'>> &
  Pick<SyncCommandHandlerOptions, 'fetcherFor'>;

/**
 * A RepCard syncCommandHandler over an in-memory publisher and checkpoints, with silent logs and
 * metrics of its own, `options` over these; with the publisher and metrics to read.
 */
export function repcardHandler(options: RepcardHandlerOptions) {
  const publisher = new InMemoryPublisher();
  const metrics = createMetrics('unit-test');
  const handle = syncCommandHandler({
    source: 'repcard',
    label: 'RepCard',
    publisher,
    checkpoints: new Map(),
    logger: nullLogger(),
    metrics,
    ...options,
  });
  return { handle, publisher, metrics };
}
