import { build, type Plugin } from 'esbuild';
import { readFile, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { errorMessage } from '@tributary/core';
import { copyRuntimeFiles } from './assets';
import { BUNDLES, type Bundle } from './bundles';
import { rewriteDirname, staticDirnameRequires } from './source-dir';

/**
 * `npm run build`: each of BUNDLES as one CommonJS file `dist/<name>/main.js` (with its source map),
 * every dependency inside it, so the production image needs no node_modules; the files the code
 * reads at run time are copied to `dist/files/`. Run a bundle with `node dist/<name>/main.js`.
 * Development and tests keep running the TypeScript through tsx.
 */
const ROOT = join(__dirname, '..', '..', '..');
const DIST = join(ROOT, 'dist');

/** Node.js 22 is the oldest supported runtime (package.json `engines`). */
const TARGET = 'node22';

/** Optional peers that the bundled packages require only when asked to (pg's native binding). */
const EXTERNAL = ['pg-native'];

function sourceDirPlugin(): Plugin {
  return {
    name: 'tributary-source-dir',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (args.path.split(sep).includes('node_modules')) return undefined;
        const code = await readFile(args.path, 'utf8');
        const sourceDir = relative(ROOT, dirname(args.path)).split(sep).join('/');
        return { contents: rewriteDirname(code, sourceDir), loader: 'ts' };
      });
      b.onLoad({ filter: /[\\/]node_modules[\\/].*\.c?js$/ }, async (args) => {
        const code = await readFile(args.path, 'utf8');
        const rewritten = staticDirnameRequires(code);
        return rewritten === code ? undefined : { contents: rewritten, loader: 'js' };
      });
    },
  };
}

async function bundle({ name, entry }: Bundle): Promise<number> {
  const outfile = join(DIST, name, 'main.js');
  await build({
    entryPoints: [join(ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: TARGET,
    format: 'cjs',
    sourcemap: 'linked',
    keepNames: true,
    external: EXTERNAL,
    logLevel: 'warning',
    plugins: [sourceDirPlugin()],
  });
  return (await stat(outfile)).size;
}

async function main(): Promise<void> {
  const started = Date.now();
  await rm(DIST, { recursive: true, force: true });
  const files = copyRuntimeFiles(ROOT, DIST);
  const sizes = await Promise.all(BUNDLES.map(bundle));
  BUNDLES.forEach((b, i) => {
    const kib = Math.round(sizes[i]! / 1024);
    console.log(`[build] dist/${b.name}/main.js  ${kib} KiB  <- ${b.entry}`);
  });
  console.log(`[build] dist/files: ${files.join(', ')}`);
  console.log(`[build] ${BUNDLES.length} bundles in ${Date.now() - started} ms`);
}

main().catch((err: unknown) => {
  console.error(`[build] failed: ${errorMessage(err)}`);
  process.exit(1);
});
