import { REPCARD_ENTITIES } from '@tributary/contracts';
import type { EntityStatus } from '@tributary/read-model';
import { LiveBlock, progressBlock, progressLine } from '../src/progress';
import { summaryTable } from '../src/report';

export const entityRow = (entityType: string, over: Partial<EntityStatus> = {}): EntityStatus => ({
  entityType,
  status: 'running',
  syncType: 'full',
  recordsFetched: 1_234_567,
  recordsSeen: 1_234_567,
  recordsInserted: 1_000_000,
  recordsUpdated: 200_000,
  recordsUnchanged: 30_000,
  recordsFailed: 4_567,
  pages: 12_345,
  totalPages: 24_690,
  highWaterMark: null,
  startedAt: '2026-01-01T00:00:00.000Z',
  completedAt: null,
  errorMessage: null,
  ...over,
});

const ROWS = [...REPCARD_ENTITIES].map((e) => entityRow(e));

describe('sync progress', () => {
  it('when drawn on 80 columns with the longest names and 7-digit counts, then every line is under 80 columns; failures come before the bar, which fills what is left', () => {
    const lines = progressBlock(ROWS, 80);
    expect(lines).toHaveLength(ROWS.length + 1);
    for (const line of lines) expect(line.length).toBeLessThan(80);
    expect(lines[0]).toMatch(/^entity\s+status\s+pages\s+fetched\s+projected$/);
    expect(lines[7]).toMatch(
      /^appointment_attachments running\s+12345\/24690\s+1234567\s+1234567 {2}4567 failed$/,
    );
    const clean = progressBlock([entityRow('appointment_attachments', { recordsFailed: 0 })], 80);
    expect(clean[1]).toMatch(
      /^appointment_attachments running\s+12345\/24690\s+1234567\s+1230000 {2}\[#+-*\]$/,
    );
    expect(clean[1]!.length).toBe(79);
  });

  it('when the terminal is narrower than the table, then lines are cut, never wrapped', () => {
    for (const columns of [40, 60, 65, 66, 72, 100, 200]) {
      for (const line of progressBlock(ROWS, columns)) expect(line.length).toBeLessThan(columns);
    }
    expect(progressBlock(ROWS, 60)[1]).not.toContain('[');
  });

  it('when the entity is done, then its bar is full; a half-fetched, unprojected one is a quarter full', () => {
    const done = progressBlock([entityRow('users', { status: 'completed', recordsFailed: 0 })], 80)[1]!;
    expect(done).toMatch(/\[#+\]$/);
    const quarter = progressBlock(
      [
        entityRow('users', {
          pages: 5,
          totalPages: 10,
          recordsFetched: 500,
          recordsInserted: 0,
          recordsUpdated: 0,
          recordsUnchanged: 0,
          recordsFailed: 0,
        }),
      ],
      80,
    )[1]!;
    const inner = /\[(.*)\]/.exec(quarter)![1]!;
    expect(inner.replace(/-/g, '').length).toBe(Math.round(inner.length / 4));
  });

  it('when not on a terminal, then one plain line per entity says where it stands', () => {
    expect(
      progressLine(
        entityRow('users', {
          recordsFailed: 0,
          pages: 3,
          totalPages: 10,
          recordsFetched: 300,
          recordsInserted: 250,
          recordsUpdated: 0,
          recordsUnchanged: 0,
        }),
      ),
    ).toBe('users: running, page 3/10, fetched 300, projected 250');
  });

  it('when redrawn, then the cursor goes up by the lines drawn last time, each line is cleared, and leftovers of a longer block are cleared', () => {
    const out: string[] = [];
    const live = new LiveBlock({ write: (s: string) => out.push(s) });
    live.draw(['waiting']);
    live.draw(['a', 'b', 'c']);
    live.draw(['a', 'b']);
    expect(out[0]).toBe('\r\x1b[2Kwaiting\n');
    expect(out[1]).toBe('\x1b[1A\r\x1b[2Ka\n\r\x1b[2Kb\n\r\x1b[2Kc\n');
    expect(out[2]).toBe('\x1b[3A\r\x1b[2Ka\n\r\x1b[2Kb\n\x1b[J');
  });

  it('when a run with the longest names and 7-digit counts is summarised, then the table fits 80 columns', () => {
    const text = summaryTable(
      ROWS.map((r) => ({ ...r, status: 'completed', completedAt: '2026-01-01T01:23:45.000Z' })),
      80,
    );
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });
});
