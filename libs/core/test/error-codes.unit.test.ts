import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  DependencyError,
  ERROR_CODES,
  TributaryError,
  ValidationError,
  hasErrorCode,
  isErrorCode,
  isProducerFenced,
} from '../src';

const ROOT = join(__dirname, '..', '..', '..');

/** Every TypeScript file of the project (libs, services, tools), tests included. */
function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

describe('error code catalogue', () => {
  it('when listing codes, then each is UPPER_SNAKE with a meaning', () => {
    for (const [code, meaning] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      expect(meaning.length).toBeGreaterThan(10);
    }
  });

  it('when a code is declared, then some file produces or checks it (no dead codes)', () => {
    const text = ['libs', 'services', 'tools']
      .flatMap((d) => sources(join(ROOT, d)))
      .filter((f) => !f.endsWith('error-codes.ts'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const unused = Object.keys(ERROR_CODES).filter((code) => !text.includes(`'${code}'`));
    expect(unused).toEqual([]);
  });

  it('when guards are asked, then they tell catalogue codes and coded errors apart', () => {
    expect(isErrorCode('KAFKA_PRODUCER_FENCED')).toBe(true);
    expect(isErrorCode('KAFKA_FENCED')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
    const fenced = new TributaryError('KAFKA_PRODUCER_FENCED', 'fenced');
    expect(isProducerFenced(fenced)).toBe(true);
    expect(isProducerFenced(new DependencyError('KAFKA_UNAVAILABLE', 'down'))).toBe(false);
    expect(hasErrorCode(new ValidationError('bad'), 'VALIDATION_FAILED')).toBe(true);
    expect(
      hasErrorCode(Object.assign(new Error('x'), { code: 'VALIDATION_FAILED' }), 'VALIDATION_FAILED'),
    ).toBe(false);
  });

  it('when a coded error wraps a cause, then code, retriable and cause survive', () => {
    const cause = new Error('socket hang up');
    const err = new DependencyError('DB_UNAVAILABLE', 'pg down', { cause });
    expect(err).toMatchObject({ code: 'DB_UNAVAILABLE', retriable: true, cause });
  });
});
