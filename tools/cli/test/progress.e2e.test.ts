import { REPCARD_ENTITIES } from '@tributary/contracts';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { sleep } from '@tributary/core';

const hasTmux = ((): boolean => {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const socket = `tributary-progress-${process.pid}`;
const tmux = (...args: string[]): string =>
  execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });

// The live progress drawn in a real terminal emulator (tmux) 80 columns wide, then the screen read back.
(hasTmux ? describe : describe.skip)('sync progress in an 80-column terminal', () => {
  afterAll(() => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
  });

  it('when the progress is redrawn many times, then the screen shows the header once and each entity once, last frame only, no wrapped line', async () => {
    const fixture = join(__dirname, 'fixtures', 'draw-progress.ts');
    const root = join(__dirname, '..', '..', '..');
    tmux('new-session', '-d', '-s', 'p', '-x', '80', '-y', '30', `cd ${root} && npx tsx ${fixture}`);
    let screen = '';
    for (let i = 0; i < 150 && !screen.includes('DONE'); i += 1) {
      await sleep(200);
      screen = tmux('capture-pane', '-p', '-t', 'p');
    }
    const lines = screen.split('\n').filter((l) => l.trim() !== '');
    expect(lines[lines.length - 1]).toBe('DONE');
    expect(lines).toHaveLength(1 + 7 + 1);
    expect(lines.filter((l) => l.startsWith('entity '))).toHaveLength(1);
    expect(screen).not.toContain('waiting for ingest');
    for (const entity of [...REPCARD_ENTITIES]) {
      expect(lines.filter((l) => l.startsWith(`${entity} `))).toHaveLength(1);
    }
    for (const line of lines) expect(line.length).toBeLessThan(80);
    expect(lines.find((l) => l.startsWith('users '))).toMatch(
      /completed\s+40\/40\s+1000000\s+900000 {2}\[#+\]/,
    );
    expect(lines.find((l) => l.startsWith('appointments '))).toContain('143 failed');
  });
});
