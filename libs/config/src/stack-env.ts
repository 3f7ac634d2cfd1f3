import { ConfigError, errorMessage } from '@tributary/core';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Env } from './load-config';

let cachedRoot: string | undefined;

/** The repository root: the nearest directory above `from` whose package.json declares "workspaces". */
export function findRepoRoot(from: string = __dirname): string {
  if (from === __dirname && cachedRoot) return cachedRoot;
  let dir = from;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ('workspaces' in (JSON.parse(readFileSync(manifest, 'utf8')) as object)) {
          if (from === __dirname) cachedRoot = dir;
          return dir;
        }
      } catch {
        // an unreadable package.json is not the root; keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new ConfigError('package.json', `no workspace root found above ${from}`);
    dir = parent;
  }
}

/** Where the stack launcher writes the addresses of what it started. */
export function defaultStackEnvFile(): string {
  return join(findRepoRoot(), '.stack', 'env');
}

/**
 * Reads the shell-sourceable `KEY=VALUE` file the stack launcher writes and copies its values into
 * `env`, only for keys not already set there: the real environment always wins. A missing file is
 * not an error (services also run without the launcher). Returns the keys it set.
 */
export function loadStackEnv(file: string = defaultStackEnvFile(), env: Env = process.env): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new ConfigError(file, `cannot read the stack env file: ${errorMessage(err)}`);
  }
  const set: string[] = [];
  for (const [key, value] of parseEnvFile(text, file)) {
    if (env[key] !== undefined) continue;
    env[key] = value;
    set.push(key);
  }
  return set;
}

const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

/**
 * Parses `KEY=VALUE` lines as `sh` would for the subset the launcher writes: blank lines and `#`
 * comments, an optional `export `, values unquoted, 'single-quoted' (literal), "double-quoted"
 * (with \" \\ \$ \` escapes), or a concatenation of those (`'it'\''s'`).
 */
export function parseEnvFile(text: string, file = 'env file'): Map<string, string> {
  const out = new Map<string, string>();
  text.split(/\r?\n/).forEach((line, index) => {
    if (/^\s*(#.*)?$/.test(line)) return;
    const match = ASSIGNMENT.exec(line);
    if (!match) throw new ConfigError(`${file}:${index + 1}`, `not a KEY=VALUE line: ${line}`);
    const [, key, raw] = match as unknown as [string, string, string];
    const value = parseShellWord(raw);
    if (value === undefined) throw new ConfigError(`${file}:${index + 1}`, `unterminated quote in ${key}`);
    out.set(key, value);
  });
  return out;
}

function parseShellWord(raw: string): string | undefined {
  let value = '';
  let i = 0;
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === "'") {
      const end = raw.indexOf("'", i + 1);
      if (end < 0) return undefined;
      value += raw.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i++;
      for (;;) {
        if (i >= raw.length) return undefined;
        const d = raw[i]!;
        if (d === '"') break;
        if (d === '\\' && i + 1 < raw.length && '"\\$`'.includes(raw[i + 1]!)) {
          value += raw[i + 1];
          i += 2;
        } else {
          value += d;
          i++;
        }
      }
      i++;
    } else if (c === '\\' && i + 1 < raw.length) {
      value += raw[i + 1];
      i += 2;
    } else if (/\s/.test(c)) {
      // unquoted whitespace ends the word; anything after is a comment or ignored
      break;
    } else {
      value += c;
      i++;
    }
  }
  return value;
}
