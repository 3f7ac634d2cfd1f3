import { CopyDataWriter, copyTextLine } from '../src/core/copy-text';

/** The payload of each CopyData message, checking its header on the way. */
function payloads(messages: Buffer[]): Buffer[] {
  return messages.map((m) => {
    expect(m[0]).toBe('d'.charCodeAt(0));
    expect(m.readInt32BE(1)).toBe(m.length - 1);
    return m.subarray(5);
  });
}

describe('CopyData messages written by CopyDataWriter', () => {
  it('when a row holds multi-byte characters, then the length counts their UTF-8 bytes and the text follows encoded', () => {
    const writer = new CopyDataWriter();
    writer.row(['Zoë', null, '東京']);
    const messages = writer.finish();
    const bytes = Buffer.from('Zoë\t\\N\t東京\n', 'utf8');
    expect(messages).toHaveLength(1);
    expect(messages[0]!.readInt32BE(1)).toBe(4 + bytes.length);
    expect(payloads(messages)[0]!.equals(bytes)).toBe(true);
  });

  it('when rows outgrow a message, then they continue in the next and the stream is the rows’ COPY text', () => {
    const rows: unknown[][] = Array.from({ length: 50 }, (_, i) => [
      i,
      `name ${i}\twith a tab`,
      i % 3 === 0 ? null : { note: `line\n${i}`, path: 'C:\\x' },
      i % 2 === 0,
      new Date(Date.UTC(2024, 0, 1, 0, 0, i)),
    ]);
    const writer = new CopyDataWriter(40);
    const messages: Buffer[] = [];
    for (const row of rows) {
      writer.row(row);
      messages.push(...writer.take());
    }
    messages.push(...writer.finish());
    expect(messages.length).toBeGreaterThan(10);
    const stream = Buffer.concat(payloads(messages)).toString('utf8');
    expect(stream).toBe(rows.map(copyTextLine).join(''));
    // Taken once: nothing is left to take.
    expect(writer.take()).toEqual([]);
  });

  it('when one value is larger than a message, then its message is made large enough', () => {
    const big = 'é'.repeat(5000);
    const writer = new CopyDataWriter(64);
    writer.row(['a']);
    writer.row([big]);
    const stream = Buffer.concat(payloads(writer.finish())).toString('utf8');
    expect(stream).toBe(`a\n${big}\n`);
  });

  it('when nothing was written, then there is no message', () => {
    expect(new CopyDataWriter().finish()).toEqual([]);
  });
});
