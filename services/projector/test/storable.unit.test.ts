import { fitted } from '../src/core/notices';
import { makeStorable, REPLACEMENT_CHARACTER as R, storableString } from '../src/core/storable';
import { makeDecodedStorable } from '../src/core/storable-decoded';

describe('makeStorable', () => {
  it('when nothing needs to change, then the very same value comes back and nothing is named', () => {
    const value = { a: 'text', b: [1, 'two', { c: null }], d: true, e: 'emoji 😀 pair' };
    const out = makeStorable(value);
    expect(out.value).toBe(value);
    expect(out.replaced).toEqual([]);
  });

  it('when strings hold NUL characters, then each becomes U+FFFD and its path is named', () => {
    const out = makeStorable({
      payload: { specialty: 'Derma\u0000tology', items: [{ name: 'a\u0000' }, { name: 'ok' }] },
      id: '7',
    });
    expect(out.value).toEqual({
      payload: { specialty: `Derma${R}tology`, items: [{ name: `a${R}` }, { name: 'ok' }] },
      id: '7',
    });
    expect(out.replaced).toEqual(['payload.specialty', 'payload.items[0].name']);
  });

  it('when a string holds a lone surrogate, then it becomes U+FFFD, and a valid pair is kept', () => {
    expect(storableString('x\uD800y')).toBe(`x${R}y`);
    expect(storableString('x\uDC00')).toBe(`x${R}`);
    expect(storableString('\uD83D\uDE00')).toBeUndefined();
    expect(storableString('\uDE00\uD83D')).toBe(`${R}${R}`);
  });

  it('when an object key holds a NUL, then the key is made storable and named', () => {
    const out = makeStorable({ body: { 'bad\u0000key': 1 } });
    expect(out.value).toEqual({ body: { [`bad${R}key`]: 1 } });
    expect(out.replaced).toEqual([`body.bad${R}key (key)`]);
  });

  it('when the value itself is a string, then it is made storable', () => {
    expect(makeStorable('\u0000')).toEqual({ value: R, replaced: ['(value)'] });
  });

  it('when the input is changed, then the original is left as it was', () => {
    const value = { list: ['\u0000'] };
    makeStorable(value);
    expect(value.list[0]).toBe('\u0000');
  });
});

describe('fitted (NOTIFY payloads)', () => {
  it('when a payload fits, then it is its JSON', () => {
    const payload = { table: 't', inserted: 1, updated: 0, syncIds: ['s'] };
    expect(fitted(payload)).toBe(JSON.stringify(payload));
  });

  it('when a payload would pass the 8000-byte limit, then its long strings and lists are cut', () => {
    const payload = {
      id: '1',
      message: 'x'.repeat(2_000_000),
      syncIds: Array.from({ length: 500 }, (_, i) => `sync-${i}`),
    };
    const json = fitted(payload);
    expect(Buffer.byteLength(json)).toBeLessThan(8000);
    expect(JSON.parse(json)).toMatchObject({ id: '1', message: 'x'.repeat(200) });
    expect(JSON.parse(json).syncIds).toHaveLength(20);
  });
});

describe('makeDecodedStorable (a record as the consumer decoded it)', () => {
  it('when its bytes held no \\u escape, then it is taken as it is, not walked; otherwise it is made storable', () => {
    // Built here with a NUL only to show the walk is skipped: decoded from Kafka, such a value
    // would have come with a \u0000 escape and noUnicodeEscapes false.
    const value = { payload: { notes: `a${'\u0000'}b` } };
    const trusted = makeDecodedStorable(value, true);
    expect(trusted.value).toBe(value);
    expect(trusted.replaced).toEqual([]);
    const walked = makeDecodedStorable(value, false);
    expect(walked.value).toEqual({ payload: { notes: `a${R}b` } });
    expect(walked.replaced).toEqual(['payload.notes']);
    expect(makeDecodedStorable(value).replaced).toEqual(['payload.notes']);
  });
});
