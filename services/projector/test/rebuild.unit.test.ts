import { REPCARD_TABLES } from '../src/projections/repcard/tables';
import { catchUpRanges } from '../src/rebuild/rebuild';
import { renameTables, shadowName, shadowSpec } from '../src/rebuild/shadow-spec';
import { indexShape } from '../src/rebuild/swap-tables';

const TABLES = Object.values(REPCARD_TABLES).map((s) => s.table);

describe('shadowSpec', () => {
  it('when a table spec is pointed at its shadow, then its table and every table its links name are the shadows, columns untouched', () => {
    const spec = shadowSpec(REPCARD_TABLES.customers, TABLES);
    expect(spec.table).toBe('repcard_customers__rebuild');
    expect(spec.key).toBe('repcard_customer_id');
    for (const sql of spec.links) {
      for (const t of TABLES) expect(sql).not.toMatch(new RegExp(`\\b${t}\\b(?!__rebuild)`));
      expect(sql).toMatch(/repcard_\w+__rebuild (t|c|a|aa)\b/);
      expect(sql).toMatch(/repcard_customer_id/);
    }
  });

  it('when a name only starts like a table, then it is left alone', () => {
    expect(
      renameTables(
        'SELECT repcard_customer_id FROM repcard_customers_live, repcard_customers',
        TABLES,
        shadowName,
      ),
    ).toBe('SELECT repcard_customer_id FROM repcard_customers_live, repcard_customers__rebuild');
  });
});

describe('catchUpRanges', () => {
  const ends = [
    { topic: 'a', partition: 0, from: 0n, to: 10n },
    { topic: 'a', partition: 1, from: 0n, to: 5n },
  ];

  it('when a consumer group committed beyond the captured end, then the gap from the end to its newest offset is replayed', () => {
    expect(
      catchUpRanges(ends, [
        { topic: 'a', partition: 0, next_offset: '14' },
        { topic: 'a', partition: 0, next_offset: '12' },
        { topic: 'a', partition: 1, next_offset: '3' },
      ]),
    ).toEqual([{ topic: 'a', partition: 0, from: 10n, to: 14n }]);
  });

  it('when a partition appeared after the start, then it is replayed from offset 0', () => {
    expect(catchUpRanges(ends, [{ topic: 'a', partition: 2, next_offset: '4' }])).toEqual([
      { topic: 'a', partition: 2, from: 0n, to: 4n },
    ]);
  });
});

describe('indexShape', () => {
  it('when a live index and its shadow copy are compared, then only their names differ', () => {
    expect(
      indexShape('CREATE UNIQUE INDEX repcard_customers_pkey ON public.repcard_customers USING btree (id)'),
    ).toBe(
      indexShape(
        'CREATE UNIQUE INDEX repcard_customers__rebuild_pkey ON public.repcard_customers__rebuild USING btree (id)',
      ),
    );
    expect(indexShape('CREATE INDEX x ON public.t USING hash (state)')).toBe('USING hash (state)');
  });
});
