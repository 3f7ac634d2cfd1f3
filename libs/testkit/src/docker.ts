import { spawnSync } from 'node:child_process';

/** True only when a Docker engine answers (the client alone, as on CI machines here, is not enough). */
export function dockerEngineAvailable(): boolean {
  if (process.env.TRIBUTARY_STACK === 'local') return false;
  const res = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
    encoding: 'utf8',
    timeout: 5000,
  });
  return res.status === 0 && res.stdout.trim().length > 0;
}
