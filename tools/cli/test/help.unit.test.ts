import { runCli } from './cli-harness';

describe('tributary --help', () => {
  it.each([
    'status',
    'runs',
    'run',
    'cancel',
    'dlq',
    'rebuild',
    'reconcile',
    'topics',
    'users',
    'tokens',
    'sync',
  ])(
    'when `tributary %s --help` is asked, then it prints the usage, in 80 columns, and exits 0',
    async (command) => {
      const res = await runCli(command, '--help');
      expect(res.code).toBe(0);
      expect(res.out).toMatch(new RegExp(`^Usage: tributary ${command}`));
      for (const line of res.out.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    },
  );

  it.each(['repcard', 'curagenesis'])(
    'when `tributary sync %s --help` is asked, then its flags are listed in 80 columns',
    async (source) => {
      const res = await runCli('sync', source, '--help');
      expect(res.code).toBe(0);
      expect(res.out).toContain('--incremental');
      expect(res.out).toContain('--dry-run');
      for (const line of res.out.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    },
  );
});
