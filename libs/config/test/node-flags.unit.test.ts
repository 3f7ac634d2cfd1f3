import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_NODE_FLAGS, serviceNodeFlags } from '../src/node-flags';

const ENTRYPOINT = join(__dirname, '..', '..', '..', 'deploy', 'docker', 'entrypoint.sh');

describe('serviceNodeFlags', () => {
  it('when TRIBUTARY_NODE_FLAGS is not set, then the projector gets its heap flags and the other services none', () => {
    expect(serviceNodeFlags('projector', {})).toEqual([
      '--max-semi-space-size=8',
      '--heap-growing-percent=20',
    ]);
    expect(serviceNodeFlags('webhook-gateway', {})).toEqual([]);
  });

  it('when TRIBUTARY_NODE_FLAGS is set, then it replaces the defaults, and empty means none', () => {
    expect(
      serviceNodeFlags('projector', { TRIBUTARY_NODE_FLAGS: '--max-old-space-size=512  --jitless' }),
    ).toEqual(['--max-old-space-size=512', '--jitless']);
    expect(serviceNodeFlags('projector', { TRIBUTARY_NODE_FLAGS: '' })).toEqual([]);
  });

  it('when node starts with each service flags, then it accepts them', () => {
    for (const [name, flags] of Object.entries(SERVICE_NODE_FLAGS)) {
      const run = spawnSync(process.execPath, [...flags, '-e', '0'], { encoding: 'utf8' });
      expect({ name, status: run.status, stderr: run.stderr }).toEqual({ name, status: 0, stderr: '' });
    }
  });

  it('when the image starts a service, then its entrypoint gives it the same default flags', () => {
    const script = readFileSync(ENTRYPOINT, 'utf8');
    for (const [name, flags] of Object.entries(SERVICE_NODE_FLAGS)) {
      expect(script).toContain(`${name}) echo "${flags.join(' ')}" ;;`);
    }
    // And the shell gives them to node: the case runs as written.
    const shell = spawnSync(
      'sh',
      [
        '-c',
        `${/default_flags\(\) \{[\s\S]*?\n\}/.exec(script)![0]}\ndefault_flags projector; default_flags scheduler`,
      ],
      { encoding: 'utf8' },
    );
    expect(shell.stdout).toBe(`${SERVICE_NODE_FLAGS.projector!.join(' ')}\n\n`);
  });
});
