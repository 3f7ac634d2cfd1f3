import { integer, scalarText } from '../src/core/converters';
import { columnText, mapColumns, type FieldSpec } from '../src/core/field-table';
import type { Json } from '../src/core/json';

/** A table whose names would break a mapper written out naively: quotes, backslashes, inherited names. */
const FIELDS: readonly FieldSpec[] = [
  { column: 'id', keys: ['id', 'alt "id"'], convert: integer },
  { column: 'odd "column" \\ name', keys: ['back\\slash'], convert: scalarText },
  { column: 'kind', keys: ['constructor', 'toString'], convert: scalarText },
  { column: 'city', keys: ['address.city', 'city'], convert: scalarText },
  {
    column: 'label',
    keys: ['label'],
    convert: scalarText,
    otherwise: (r) => {
      const id = (r as Json | null)?.id;
      return typeof id === 'number' ? `#${id}` : null;
    },
  },
];

const map = (record: unknown, columns: 'full' | 'partial' = 'full') =>
  mapColumns(FIELDS, record as Json, columns);

describe('field tables (mapColumns)', () => {
  it('when a record is mapped in full, then every column is there in field order, absent fields null', () => {
    const { row, problems } = map({ id: 7, address: { city: 'Provo' } });
    expect(Object.keys(row)).toEqual(FIELDS.map((f) => f.column));
    expect(row).toEqual({ id: 7, 'odd "column" \\ name': null, kind: null, city: 'Provo', label: '#7' });
    expect(problems).toEqual([]);
  });

  it('when field names hold quotes or backslashes, then they are read and written under those names', () => {
    const { row } = map({ 'alt "id"': '12', 'back\\slash': 'x"y\\z' });
    expect(row.id).toBe(12);
    expect(row['odd "column" \\ name']).toBe('x"y\\z');
  });

  it('when a name is one every object inherits, then only the record own field counts', () => {
    expect(map({ id: 1 }).row.kind).toBeNull();
    expect(map({ id: 1, toString: 'own' }).row.kind).toBe('own');
    expect(map(JSON.parse('{"id":1,"constructor":"mine"}')).row.kind).toBe('mine');
  });

  it('when several fields give a value, then the first that converts wins and every value a column refuses is named', () => {
    const { row, problems } = map({ id: 'x', 'alt "id"': 5, address: { city: 3 }, city: 'Orem' });
    expect(row.id).toBe(5);
    expect(row.city).toBe('3');
    expect(problems).toEqual(['id: "x" cannot be stored in id']);
    const both = map({ id: 1.5, 'alt "id"': 'y' });
    expect(both.row.id).toBeNull();
    expect(both.problems).toEqual(['id: 1.5 cannot be stored in id', 'alt "id": "y" cannot be stored in id']);
  });

  it('when a nested path crosses something that is not a plain object, then that path is absent', () => {
    expect(map({ address: ['Provo'], city: 'Lehi' }).row.city).toBe('Lehi');
    expect(map({ address: null }).row.city).toBeNull();
    expect(map({ address: { city: null } }).row.city).toBeNull();
  });

  it('when a record is mapped partially, then only present fields are columns, with their fallback', () => {
    expect(map({ id: 3 }, 'partial')).toEqual({ row: { id: 3 }, problems: [] });
    expect(map({ id: 3, label: '' }, 'partial').row).toEqual({ id: 3, label: '#3' });
    expect(map({ address: {} }, 'partial').row).toEqual({});
  });

  it('when the record is not a plain object, then nothing is present', () => {
    for (const record of [null, [1, 2], 'text', 4]) {
      expect(map(record, 'partial')).toEqual({ row: {}, problems: [] });
      expect(map(record).row.id).toBeNull();
    }
  });

  it('when a column is read alone (columnText), then it is the value the mapping gives it, as text', () => {
    expect(columnText(FIELDS, 'id', { id: 'x', 'alt "id"': 9 })).toBe('9');
    expect(columnText(FIELDS, 'city', { address: { city: 'Provo' } })).toBe('Provo');
    expect(columnText(FIELDS, 'nope', { id: 1 })).toBe('');
  });
});
