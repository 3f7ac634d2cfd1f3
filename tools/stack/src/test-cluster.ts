import { spawnSync } from 'node:child_process';
import { errorMessage } from '@tributary/core';
import { clusterUp } from './cluster';

/**
 * `npm run test:cluster`: starts (or reuses) the secured 3-broker cluster, then runs the cluster
 * suite against it with the cluster's variables (SASL_SSL, RF 3, min ISR 2). The figures are printed
 * and written to `.stack/cluster/suite-figures.json`.
 */
async function main(): Promise<number> {
  const env = await clusterUp((line) => console.log(`[stack] ${line}`));
  const res = spawnSync(
    process.execPath,
    [
      require.resolve('jest/bin/jest'),
      'tools/stack/test/cluster-pipeline.e2e.test.ts',
      '--selectProjects',
      'e2e',
      '--runInBand',
      '--forceExit',
      '--testTimeout',
      '2400000',
    ],
    { stdio: 'inherit', env: { ...process.env, ...env, TRIBUTARY_CLUSTER_SUITE: '1' } },
  );
  return res.status ?? 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[stack] error: ${errorMessage(err)}`);
    process.exit(1);
  },
);
