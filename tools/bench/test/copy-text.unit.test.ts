import { copyTextLine, copyTextValue } from '../src/copy-text';

describe('COPY text format', () => {
  it('when a value is null or undefined, then it is \\N', () => {
    expect(copyTextValue(null)).toBe('\\N');
    expect(copyTextValue(undefined)).toBe('\\N');
  });

  it('when a string holds a backslash, tab, newline or carriage return, then each is escaped', () => {
    expect(copyTextValue('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
  });

  it('when a value is an object, then it is its JSON, escaped like text', () => {
    expect(copyTextValue({ note: 'line1\nline2', path: 'C:\\x' })).toBe(
      '{"note":"line1\\\\nline2","path":"C:\\\\\\\\x"}',
    );
  });

  it('when values are numbers, booleans and dates, then they are written as PostgreSQL reads them', () => {
    expect(copyTextLine([1, -2.5, true, false, new Date('2024-01-02T03:04:05.000Z')])).toBe(
      '1\t-2.5\tt\tf\t2024-01-02T03:04:05.000Z\n',
    );
  });

  it('when a row is written, then its columns are tab-separated and the line ends with a newline', () => {
    expect(copyTextLine(['a', null, 'b c'])).toBe('a\t\\N\tb c\n');
  });
});
