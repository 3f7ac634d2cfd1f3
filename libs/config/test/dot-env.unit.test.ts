import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultDotEnvFile, findRepoRoot, loadDotEnv } from '../src';

describe('.env', () => {
  it('when .env sets keys, then only unset ones are taken (the real environment wins) and their names are returned', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dotenv-')), '.env');
    writeFileSync(
      file,
      "# my keys\nREPCARD_API_KEY='rc-secret'\nexport LOG_LEVEL=debug\nCURAGENESIS_API_KEY=cg\n",
    );
    const env: Record<string, string | undefined> = { CURAGENESIS_API_KEY: 'from-shell' };
    expect(loadDotEnv(file, env)).toEqual(['REPCARD_API_KEY', 'LOG_LEVEL']);
    expect(env).toEqual({
      CURAGENESIS_API_KEY: 'from-shell',
      REPCARD_API_KEY: 'rc-secret',
      LOG_LEVEL: 'debug',
    });
  });

  it('when there is no .env, then nothing is set; by default it is the one at the repository root', () => {
    const env: Record<string, string | undefined> = {};
    expect(loadDotEnv(join(tmpdir(), 'no-such-dir', '.env'), env)).toEqual([]);
    expect(defaultDotEnvFile()).toBe(join(findRepoRoot(), '.env'));
  });
});
