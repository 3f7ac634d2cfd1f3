import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECTOR_NODE_FLAGS, SMALL_HEAP_NODE_FLAGS, serviceNodeFlags } from '../src/node-flags';

const ENTRYPOINT = join(__dirname, '..', '..', '..', 'deploy', 'docker', 'entrypoint.sh');

describe('serviceNodeFlags', () => {
  it('when TRIBUTARY_NODE_FLAGS is not set, then the projector starts with its own flags and the others with none', () => {
    expect(serviceNodeFlags({}, 'projector')).toEqual([...PROJECTOR_NODE_FLAGS]);
    expect(serviceNodeFlags({}, 'webhook-gateway')).toEqual([]);
    expect(serviceNodeFlags({})).toEqual([]);
  });

  it('when TRIBUTARY_NODE_FLAGS is set empty, then even the projector starts with no node flags', () => {
    expect(serviceNodeFlags({ TRIBUTARY_NODE_FLAGS: '' }, 'projector')).toEqual([]);
  });

  it('when TRIBUTARY_NODE_FLAGS is set, then its words are the flags', () => {
    expect(serviceNodeFlags({ TRIBUTARY_NODE_FLAGS: '--max-old-space-size=512  --jitless' })).toEqual([
      '--max-old-space-size=512',
      '--jitless',
    ]);
  });

  it.each([
    ['small-heap', SMALL_HEAP_NODE_FLAGS],
    ['projector', PROJECTOR_NODE_FLAGS],
  ])('when node starts with the %s flags, then it accepts them', (_, flags) => {
    const run = spawnSync(process.execPath, [...flags, '-e', '0'], { encoding: 'utf8' });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('when the image starts a service, then its entrypoint gives node the words of TRIBUTARY_NODE_FLAGS, else the service’s own', () => {
    const script = readFileSync(ENTRYPOINT, 'utf8');
    const choice = /^\s*case "\$name" in[\s\S]*?esac\s*\n\s*flags=.*$/m.exec(script)![0];
    expect(script).toContain('exec node $flags "/app/dist/${name}/main.js" "$@"');
    const flagsOf = (name: string, env: NodeJS.ProcessEnv) =>
      spawnSync('sh', ['-c', `name=${name}\n${choice}\nprintf '[%s]' $flags`], { encoding: 'utf8', env })
        .stdout;
    const words = (flags: readonly string[]) => flags.map((f) => `[${f}]`).join('');
    const path = { PATH: process.env.PATH };
    expect(flagsOf('projector', path)).toBe(words(PROJECTOR_NODE_FLAGS));
    expect(flagsOf('webhook-gateway', path)).toBe('[]');
    expect(flagsOf('projector', { ...path, TRIBUTARY_NODE_FLAGS: '' })).toBe('[]');
    expect(flagsOf('projector', { ...path, TRIBUTARY_NODE_FLAGS: SMALL_HEAP_NODE_FLAGS.join(' ') })).toBe(
      words(SMALL_HEAP_NODE_FLAGS),
    );
  });
});
