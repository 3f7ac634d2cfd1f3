import { randomUUID } from 'node:crypto';
import type { SyncRequested } from '@tributary/contracts';

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
