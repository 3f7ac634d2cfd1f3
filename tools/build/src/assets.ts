import { cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { FILES_DIR } from './bundles';

const WORKSPACE_GROUPS = ['libs', 'services', 'tools'];

/**
 * Copies what the bundled code reads from disk into `<dist>/files/<same path as in the repository>`:
 * every workspace's `migrations/` and the files of its `src/` that are not TypeScript (the
 * scheduler's dashboard HTML). Returns the copied paths, relative to the repository root.
 */
export function copyRuntimeFiles(root: string, dist: string): string[] {
  const copied: string[] = [];
  const copy = (path: string): void => {
    const rel = relative(root, path);
    cpSync(path, join(dist, FILES_DIR, rel), { recursive: true });
    copied.push(rel);
  };
  for (const group of WORKSPACE_GROUPS) {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const name of readdirSync(groupDir).sort()) {
      const workspace = join(groupDir, name);
      if (!statSync(workspace).isDirectory()) continue;
      const migrations = join(workspace, 'migrations');
      if (existsSync(migrations)) copy(migrations);
      const src = join(workspace, 'src');
      if (existsSync(src)) nonTypeScriptFiles(src).forEach(copy);
    }
  }
  return copied;
}

function nonTypeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return nonTypeScriptFiles(path);
      return entry.isFile() && !entry.name.endsWith('.ts') ? [path] : [];
    });
}
