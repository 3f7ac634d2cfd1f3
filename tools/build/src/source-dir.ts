import { posix } from 'node:path';
import { FILES_DIR } from './bundles';

const DIRNAME = /\b__dirname\b/g;

/**
 * Code finds its files next to its source (`join(__dirname, '..', 'migrations')`). Bundled, every
 * module's `__dirname` would be the bundle's folder, so each use is rewritten to the module's source
 * folder as copied under `dist/files/`: `services/projector/src/app.ts` reads
 * `dist/files/services/projector/migrations` from `dist/projector/main.js`, and the same code run
 * by tsx still reads `services/projector/migrations`. `sourceDir` is the module's folder relative to
 * the repository root, with forward slashes.
 */
export function rewriteDirname(code: string, sourceDir: string): string {
  if (!code.includes('__dirname')) return code;
  const fromBundle = posix.join('..', FILES_DIR, sourceDir);
  return code.replace(DIRNAME, `require('node:path').join(__dirname, ${JSON.stringify(fromBundle)})`);
}

const DIRNAME_REQUIRE = /require\(\s*__dirname\s*\+\s*(['"])\/([^'"]+)\1\s*\)/g;

/**
 * A dependency that loads a file of its own by `require(__dirname + '/reserved.js')` (pg-format)
 * hides it from the bundler; as `require('./reserved.js')` it is bundled like any other module.
 */
export function staticDirnameRequires(code: string): string {
  if (!code.includes('__dirname')) return code;
  return code.replace(
    DIRNAME_REQUIRE,
    (_all, quote: string, path: string) => `require(${quote}./${path}${quote})`,
  );
}
