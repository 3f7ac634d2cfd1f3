import { copyDataMessage } from '../src/core/copy-in';

describe('a CopyData message', () => {
  it('when the text holds multi-byte characters, then its length counts their UTF-8 bytes and the text follows encoded', () => {
    const text = 'Zoë\t\\N\t東京\n';
    const bytes = Buffer.from(text, 'utf8');
    const message = copyDataMessage(text);
    expect(message[0]).toBe('d'.charCodeAt(0));
    expect(message.readInt32BE(1)).toBe(4 + bytes.length);
    expect(bytes.length).toBeGreaterThan(text.length);
    expect(message.subarray(5).equals(bytes)).toBe(true);
    expect(message.length).toBe(5 + bytes.length);
  });

  it('when the text is empty, then the message is its header alone', () => {
    const message = copyDataMessage('');
    expect([...message]).toEqual([0x64, 0, 0, 0, 4]);
  });
});
