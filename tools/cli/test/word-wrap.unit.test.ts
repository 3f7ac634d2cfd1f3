import { wordWrap } from '../src/commands/dlq-shared';

describe('wordWrap', () => {
  it('breaks between words within the width, after the indent, and keeps every word', () => {
    const text =
      'of users, offices, customers, appointments, status_logs, customer_attachments, appointment_attachments';
    const lines = wordWrap(text, 40, '  ');
    expect(lines).toEqual([
      '  of users, offices, customers,',
      '  appointments, status_logs,',
      '  customer_attachments,',
      '  appointment_attachments',
    ]);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(40);
    expect(lines.map((l) => l.trim()).join(' ')).toBe(text);
  });

  it('keeps a word longer than the width whole, on a line of its own', () => {
    expect(wordWrap('a bcdefghij k', 6)).toEqual(['a', 'bcdefghij', 'k']);
  });
});
