import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMALL_HEAP_NODE_FLAGS, serviceNodeFlags } from '../src/node-flags';

const ENTRYPOINT = join(__dirname, '..', '..', '..', 'deploy', 'docker', 'entrypoint.sh');

describe('serviceNodeFlags', () => {
  it('when TRIBUTARY_NODE_FLAGS is not set or empty, then a service starts with no node flags', () => {
    expect(serviceNodeFlags({})).toEqual([]);
    expect(serviceNodeFlags({ TRIBUTARY_NODE_FLAGS: '' })).toEqual([]);
  });

  it('when TRIBUTARY_NODE_FLAGS is set, then its words are the flags', () => {
    expect(serviceNodeFlags({ TRIBUTARY_NODE_FLAGS: '--max-old-space-size=512  --jitless' })).toEqual([
      '--max-old-space-size=512',
      '--jitless',
    ]);
  });

  it('when node starts with the small-heap flags, then it accepts them', () => {
    const run = spawnSync(process.execPath, [...SMALL_HEAP_NODE_FLAGS, '-e', '0'], { encoding: 'utf8' });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('when the image starts a service, then its entrypoint gives node the words of TRIBUTARY_NODE_FLAGS, none when unset', () => {
    const script = readFileSync(ENTRYPOINT, 'utf8');
    const assignment = /^\s*flags=.*$/m.exec(script)![0];
    expect(script).toContain('exec node $flags "/app/dist/${name}/main.js" "$@"');
    const flagsOf = (env: NodeJS.ProcessEnv) =>
      spawnSync('sh', ['-c', `${assignment}\nprintf '[%s]' $flags`], { encoding: 'utf8', env }).stdout;
    expect(flagsOf({ PATH: process.env.PATH })).toBe('[]');
    expect(flagsOf({ PATH: process.env.PATH, TRIBUTARY_NODE_FLAGS: SMALL_HEAP_NODE_FLAGS.join(' ') })).toBe(
      SMALL_HEAP_NODE_FLAGS.map((f) => `[${f}]`).join(''),
    );
  });
});
