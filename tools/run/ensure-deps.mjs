#!/usr/bin/env node
// `npm start` and `npm test` run this first (prestart / pretest): on a fresh clone, or when
// package-lock.json changed since the last install, it runs `npm ci` so that the README's two
// commands need no separate install step. Plain JavaScript without dependencies: it runs before
// any are there, on whichever Node.js npm found.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const mtime = (p) => {
  try {
    return statSync(p).mtimeMs;
  } catch {
    return undefined;
  }
};

const lock = mtime(join(root, 'package-lock.json'));
const installed = mtime(join(root, 'node_modules', '.package-lock.json'));
const why =
  installed === undefined
    ? 'node_modules is missing'
    : lock !== undefined && lock > installed + 1000
      ? 'package-lock.json changed since the last install'
      : undefined;

if (why !== undefined && process.env.TRIBUTARY_SKIP_INSTALL !== '1') {
  process.stderr.write(`[setup] ${why}: npm ci (TRIBUTARY_SKIP_INSTALL=1 to skip)\n`);
  const npm = process.env.npm_execpath;
  const res = npm
    ? spawnSync(process.execPath, [npm, 'ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' })
    : spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) {
    process.stderr.write(`[setup] npm ci failed (exit ${res.status}); run it yourself and try again\n`);
    process.exit(res.status || 1);
  }
}
