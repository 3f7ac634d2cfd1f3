import type { RebuildProgress } from '../../../services/projector/src/rebuild/rebuild';
import { plainLineOf, progressLineOf, resultLines } from '../src/rebuild/format';

const progress: RebuildProgress = {
  phase: 'replay',
  records: 84_000,
  total: 200_000,
  failed: 3,
  elapsedMs: 6_800,
};

describe('rebuild progress', () => {
  it('when drawn on an 80-column terminal, then the line is shorter than 80 columns and shows %, counts and rate', () => {
    const line = progressLineOf('repcard', progress, 80);
    expect(line.length).toBeLessThan(80);
    expect(line).toMatch(/^repcard replay\s+42% \[#+-+\] 84,000\/200,000 {2}12,353 rec\/s 3 failed$/);
  });

  it('when the terminal is narrow, then the bar goes and the line still fits', () => {
    for (const columns of [40, 50, 60])
      expect(progressLineOf('repcard', progress, columns).length).toBeLessThan(columns);
  });

  it('when not on a terminal, then a plain line says the phase, share, counts and rate', () => {
    expect(plainLineOf('repcard', progress)).toBe(
      'repcard: replay, 42% (84,000 of 200,000 records, 3 failed), 12,353 records/s',
    );
  });

  it('when the rebuild is done, then the report lists each table within 80 columns', () => {
    const lines = resultLines({
      source: 'repcard',
      records: 200_000,
      caughtUp: 12,
      failed: 0,
      seconds: 40.2,
      recordsPerSecond: 4975,
      ends: [],
      tables: [
        { table: 'repcard_customers', rows: 150_000 },
        { table: 'repcard_appointment_attachments', rows: 50_000 },
      ],
    });
    expect(lines[0]).toBe('rebuilt repcard: 200,000 records replayed in 40.2 s (4,975 records/s)');
    expect(lines).toContainEqual(expect.stringMatching(/^repcard_customers +150,000$/));
    for (const l of lines) expect(l.length).toBeLessThan(80);
  });
});
