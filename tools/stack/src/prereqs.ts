import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TributaryError } from '@tributary/core';
import { commandExists, isRoot, run } from './proc';
import { StackSettings } from './settings';

/** A missing prerequisite: one clear line saying what to install. */
export class MissingPrerequisiteError extends TributaryError {
  constructor(what: string, install: string) {
    super('STACK_PREREQUISITE_MISSING', `${what} is missing: ${install}`);
  }
}

/** One thing the stack needs from the machine, and the Debian package that brings it. */
export interface Missing {
  what: string;
  debianPackage: string;
}

/** The Homebrew formula for each Debian package the stack may need (macOS). */
export const HOMEBREW_FORMULAE: Record<string, string> = {
  'openjdk-17-jre-headless': 'openjdk@17',
  maven: 'maven',
  'postgresql-15': 'postgresql@15',
};

export interface Need {
  kafka: boolean;
  registry: boolean;
  postgres: boolean;
}

/** What the machine answers about itself (injectable for tests). */
export interface Probe {
  commandExists(cmd: string): boolean;
  fileExists(path: string): boolean;
  javaMajor(): number | undefined;
  isRoot(): boolean;
}

export const machineProbe: Probe = {
  commandExists,
  fileExists: existsSync,
  javaMajor: () => {
    const m = /version "(\d+)/.exec(javaVersionText());
    return m ? Number(m[1]) : undefined;
  },
  isRoot,
};

/** Everything missing for `need`, each with its Debian package (empty when all is there). */
export function missingPrerequisites(s: StackSettings, need: Need, probe: Probe = machineProbe): Missing[] {
  const missing: Missing[] = [];
  if (need.kafka || need.registry) {
    const java = probe.commandExists('java') ? probe.javaMajor() : undefined;
    if (!probe.commandExists('java'))
      missing.push({ what: 'java (17 or newer)', debianPackage: 'openjdk-17-jre-headless' });
    else if (java !== undefined && java < 17)
      missing.push({ what: `java 17+ (found ${java})`, debianPackage: 'openjdk-17-jre-headless' });
    if (!probe.commandExists('mvn')) missing.push({ what: 'mvn (Apache Maven)', debianPackage: 'maven' });
  }
  if (need.postgres) {
    if (!probe.fileExists(join(s.pgBinDir, 'postgres')) || !probe.fileExists(join(s.pgBinDir, 'initdb')))
      missing.push({
        what: `PostgreSQL 15 server binaries (looked in ${s.pgBinDir}, set STACK_PG_BIN to change)`,
        debianPackage: 'postgresql-15',
      });
    if (probe.isRoot() && !probe.commandExists('runuser'))
      missing.push({ what: 'runuser (to run PostgreSQL as the postgres user)', debianPackage: 'util-linux' });
  }
  return missing;
}

/** How missing packages may be installed: `auto` (default) as root or with password-less sudo, `never`. */
export type InstallPolicy = 'auto' | 'never';

export function installPolicy(env: NodeJS.ProcessEnv = process.env): InstallPolicy {
  const v = (env.STACK_INSTALL ?? 'auto').trim().toLowerCase();
  if (v === 'auto' || v === '') return 'auto';
  if (v === 'never' || v === '0' || v === 'false') return 'never';
  throw new TributaryError(
    'CONFIG_INVALID',
    `STACK_INSTALL must be auto or never, got "${env.STACK_INSTALL}"`,
  );
}

/**
 * Checks what the stack needs; what is missing is installed from Debian's packages (`apt-get`, as
 * root or through password-less sudo) unless `STACK_INSTALL=never`, so that on a fresh Debian
 * machine `npm start` alone brings the stack up. Otherwise (or when the install did not bring it)
 * fails with one line naming every missing thing and the one command that installs them.
 */
export function checkPrerequisites(
  s: StackSettings,
  need: Need,
  say: (line: string) => void = () => undefined,
  probe: Probe = machineProbe,
): void {
  let missing = missingPrerequisites(s, need, probe);
  if (missing.length === 0) return;
  if (process.platform === 'darwin') return installWithHomebrew(s, need, missing, say, probe);
  const packages = [...new Set(missing.map((m) => m.debianPackage))];
  const sudo = probe.isRoot() ? [] : ['sudo', '-n'];
  const canInstall =
    installPolicy() === 'auto' &&
    probe.commandExists('apt-get') &&
    (probe.isRoot() || (probe.commandExists('sudo') && sudoWithoutPassword()));
  if (canInstall) {
    say(
      `installing Debian packages: ${packages.join(' ')} (missing: ${missing.map((m) => m.what).join('; ')}; STACK_INSTALL=never to refuse)`,
    );
    const apt = (args: string[]) =>
      sudo.length
        ? run(sudo[0]!, [...sudo.slice(1), 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args])
        : run('apt-get', args, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    apt(['update', '-q']);
    // --no-upgrade: a package already there (a running server's binaries) is never replaced under it
    apt(['install', '-y', '-q', '--no-install-recommends', '--no-upgrade', ...packages]);
    missing = missingPrerequisites(s, need, probe);
    if (missing.length === 0) return;
  }
  const command = `${probe.isRoot() ? '' : 'sudo '}apt-get install -y ${packages.join(' ')}`;
  throw new MissingPrerequisiteError(missing.map((m) => m.what).join('; '), command);
}

/**
 * macOS: the same with Homebrew (`brew install`, never as root). openjdk@17 is keg-only: its `bin`
 * must be on PATH (the message says how).
 */
function installWithHomebrew(
  s: StackSettings,
  need: Need,
  missing: Missing[],
  say: (line: string) => void,
  probe: Probe,
): void {
  const formulae = [...new Set(missing.map((m) => HOMEBREW_FORMULAE[m.debianPackage]).filter(Boolean))];
  if (installPolicy() === 'auto' && probe.commandExists('brew') && formulae.length) {
    say(`installing with Homebrew: ${formulae.join(' ')} (STACK_INSTALL=never to refuse)`);
    run('brew', ['install', ...(formulae as string[])]);
    missing = missingPrerequisites(s, need, probe);
    if (missing.length === 0) return;
  }
  throw new MissingPrerequisiteError(
    missing.map((m) => m.what).join('; '),
    `brew install ${formulae.join(' ')} (and put "$(brew --prefix openjdk@17)/bin" on PATH)`,
  );
}

function sudoWithoutPassword(): boolean {
  try {
    run('sudo', ['-n', 'true']);
    return true;
  } catch {
    return false;
  }
}

function javaVersionText(): string {
  // `java -version` prints on stderr.
  try {
    return run('sh', ['-c', 'java -version 2>&1']);
  } catch {
    return '';
  }
}
