import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { EX_CONFIG, findRepoRoot, loadConfigOrExit, loadStackEnv, parseEnvFile, portVar } from '../src';

describe('stack env file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stack-env-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function write(text: string): string {
    const file = join(dir, 'env');
    writeFileSync(file, text);
    return file;
  }

  it('when the file sets variables, then only those not already in the environment are set', () => {
    const file = write(
      'KAFKA_BROKERS=\'localhost:39092\'\nDATABASE_URL="postgres://u:p@localhost:35432/t"\nPORT=9999\n',
    );
    const env: Record<string, string | undefined> = { PORT: '3000' };
    const set = loadStackEnv(file, env);
    expect(set).toEqual(['KAFKA_BROKERS', 'DATABASE_URL']);
    expect(env).toEqual({
      PORT: '3000',
      KAFKA_BROKERS: 'localhost:39092',
      DATABASE_URL: 'postgres://u:p@localhost:35432/t',
    });
  });

  it('when the file does not exist, then nothing happens', () => {
    const env = {};
    expect(loadStackEnv(join(dir, 'missing'), env)).toEqual([]);
    expect(env).toEqual({});
  });

  it('when values use shell quoting, then they are read as sh would', () => {
    const values = parseEnvFile(
      [
        '# written by the stack launcher',
        '',
        'export A=plain',
        'B=\'single $HOME "x"\'',
        'C="double \\"q\\" \\$HOME"',
        "D='it'\\''s'",
        'E=',
        'F=value # trailing comment',
      ].join('\n'),
    );
    expect(Object.fromEntries(values)).toEqual({
      A: 'plain',
      B: 'single $HOME "x"',
      C: 'double "q" $HOME',
      D: "it's",
      E: '',
      F: 'value',
    });
  });

  it('when a line is not KEY=VALUE, then a ConfigError names the file and line', () => {
    expect(() => parseEnvFile('A=1\nnot a line', '/x/env')).toThrow('/x/env:2: not a KEY=VALUE line');
  });

  it('when looking for the repository root, then it is the directory with the workspaces package.json', () => {
    expect(findRepoRoot()).toBe(join(__dirname, '..', '..', '..'));
  });
});

describe('loadConfigOrExit', () => {
  const schema = z.object({ PORT: portVar('PORT', 8080) });

  it('when the config is bad, then it prints one line to stderr and exits 78', () => {
    const lines: string[] = [];
    const exit = jest.fn((code: number): never => {
      throw new Error(`exit ${code}`);
    });
    expect(() =>
      loadConfigOrExit('ingest-repcard', schema, {
        env: { PORT: 'abc' },
        stackEnvFile: '/nonexistent/env',
        exit,
        stderr: { write: (s: string) => lines.push(s) },
      }),
    ).toThrow(`exit ${EX_CONFIG}`);
    expect(lines).toEqual([
      'ingest-repcard: configuration error: PORT: must be a TCP port, an integer 1..65535 (given "abc")\n',
    ]);
  });

  it('when the config is good, then it returns it', () => {
    expect(
      loadConfigOrExit('x', schema, { env: { PORT: '1234' }, stackEnvFile: '/nonexistent/env' }),
    ).toEqual({
      PORT: 1234,
    });
  });
});
