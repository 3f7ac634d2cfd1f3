import { z } from 'zod';
import {
  CURAGENESIS_ENTITIES,
  REPCARD_ENTITIES,
  fastAccept,
  recordCheck,
  recordFastAccept,
  type Source,
} from '@tributary/contracts';
import { createRepcardSimulator } from '../../../tools/sim-repcard/src';
import { createCuragenesisSimulator } from '../../../tools/sim-curagenesis/src';

/**
 * recordFastAccept must never accept what zod refuses (it only spares zod's copy of valid records),
 * and must accept the records the sources actually send (or it spares nothing).
 */

/** Values a field may wrongly (or rightly) hold. */
const ODD_VALUES: unknown[] = [
  undefined,
  null,
  '',
  'x',
  '12',
  0,
  -1,
  1.5,
  2 ** 60,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  false,
  {},
  { id: 1 },
  { id: 'abc' },
  [],
  [1],
  new Date(0),
];

/** Each record, and each of its fields (and one unknown field) replaced by each odd value. */
function variants(record: Record<string, unknown>): unknown[] {
  const out: unknown[] = [record, null, 'a string', 7, [record]];
  for (const key of [...Object.keys(record), 'id', '_id', 'somethingNew'])
    for (const value of ODD_VALUES) out.push({ ...record, [key]: value });
  return out;
}

const repcard = createRepcardSimulator({ seed: 5 });
const curagenesis = createCuragenesisSimulator({ seed: 5, practices: 20, orders: 40 });

function samples(source: Source, entity: string): Record<string, unknown>[] {
  if (source === 'repcard') {
    const e = entity as (typeof REPCARD_ENTITIES)[number];
    const n = Math.min(20, repcard.dataset.count(e));
    return Array.from({ length: n }, (_, i) => repcard.dataset.record(e, i) as Record<string, unknown>);
  }
  return Array.from({ length: 20 }, (_, i) =>
    entity === 'practices'
      ? (curagenesis.dataset.practice(i) as unknown as Record<string, unknown>)
      : (curagenesis.dataset.order(i) as unknown as Record<string, unknown>),
  );
}

const ENTITIES: [Source, string][] = [
  ...REPCARD_ENTITIES.map((e) => ['repcard', e] as [Source, string]),
  ...CURAGENESIS_ENTITIES.map((e) => ['curagenesis', e] as [Source, string]),
];

describe('recordFastAccept', () => {
  it.each(ENTITIES)(
    'when %s %s records and their variants are checked, then it accepts none that zod refuses',
    (source, entity) => {
      const accept = recordFastAccept(source, entity);
      const check = recordCheck(source, entity);
      let accepted = 0;
      let refused = 0;
      for (const record of samples(source, entity)) {
        for (const value of variants(record)) {
          const zodSays = check.safeParse(value).success;
          if (accept(value)) {
            accepted++;
            expect({ value, zodSays }).toEqual({ value, zodSays: true });
          } else if (!zodSays) refused++;
        }
      }
      // Both verdicts occur: the corpus tells valid from invalid.
      expect(accepted).toBeGreaterThan(0);
      expect(refused).toBeGreaterThan(0);
    },
  );

  it.each(REPCARD_ENTITIES.map((e) => [e] as const))(
    'when the simulator’s %s records are checked, then every one is accepted without zod',
    (entity) => {
      const records = samples('repcard', entity);
      expect(records.length).toBeGreaterThan(0);
      for (const record of records) expect(recordFastAccept('repcard', entity)(record)).toBe(true);
    },
  );

  it('when a schema uses what it does not understand, then there is no predicate', () => {
    expect(fastAccept(z.string().email())).toBeUndefined();
    expect(fastAccept(z.string().transform((s) => s.length))).toBeUndefined();
    expect(fastAccept(z.strictObject({ a: z.string() }))).toBeUndefined();
    expect(fastAccept(z.object({ a: z.string() }).refine(() => false))).toBeUndefined();
    expect(fastAccept(z.coerce.number())).toBeUndefined();
    expect(fastAccept(z.number().min(3))).toBeUndefined();
    expect(fastAccept(z.looseObject({ a: z.date() }))).toBeUndefined();
  });

  it('when schemas it understands check values, then it agrees with zod on each', () => {
    const schemas: z.ZodType[] = [
      z.string(),
      z.string().min(2),
      z.number(),
      z.number().int(),
      z.boolean(),
      z.string().nullish(),
      z.union([z.number(), z.string().min(1)]).nullable(),
      z.object({ a: z.number().int(), b: z.string().optional() }),
      z.looseObject({ a: z.looseObject({ id: z.number() }).nullish() }),
    ];
    const values: unknown[] = [
      ...ODD_VALUES,
      'ab',
      { a: 1 },
      { a: 1, b: 2 },
      { a: 1.5 },
      { a: { id: 3 } },
      { a: { id: '3' } },
      { a: null, b: 'x', c: [] },
    ];
    for (const schema of schemas) {
      const accept = fastAccept(schema)!;
      expect(accept).toBeDefined();
      for (const value of values) {
        // Exactly zod's verdict for these kinds (a false would only cost a zod call, but here none is needed).
        expect({ value, fast: accept(value) }).toEqual({ value, fast: schema.safeParse(value).success });
      }
    }
  });
});
