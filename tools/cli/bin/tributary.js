#!/usr/bin/env node
// `npx tributary ...`: runs the TypeScript CLI through tsx (the project runs TypeScript as is).
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const entry = join(__dirname, '..', 'src', 'tributary.ts');
const result = spawnSync(process.execPath, ['--import', 'tsx', entry, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
