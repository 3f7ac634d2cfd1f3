import { SERVICES } from '../../run/src/services';

/** One file `dist/<name>/main.js` built from `entry` (a path from the repository root). */
export interface Bundle {
  name: string;
  entry: string;
}

/**
 * What `npm run build` produces: the five services (the list `npm start` runs), the migration
 * command of the Kubernetes Job, the two API simulators (the compose demo) and the `tributary` CLI.
 */
export const BUNDLES: readonly Bundle[] = [
  ...SERVICES.map(({ name }) => ({ name, entry: `services/${name}/src/main.ts` })),
  { name: 'migrate', entry: 'services/projector/src/migrate-main.ts' },
  { name: 'sim-repcard', entry: 'tools/sim-repcard/src/main.ts' },
  { name: 'sim-curagenesis', entry: 'tools/sim-curagenesis/src/main.ts' },
  { name: 'cli', entry: 'tools/cli/src/tributary.ts' },
];

/** Where the build copies the files the code reads at run time (migrations, HTML), under dist/. */
export const FILES_DIR = 'files';
