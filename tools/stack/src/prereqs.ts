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

export function checkPrerequisites(
  s: StackSettings,
  need: { kafka: boolean; registry: boolean; postgres: boolean },
): void {
  if (need.kafka || need.registry) {
    if (!commandExists('java')) {
      throw new MissingPrerequisiteError('java (17 or newer)', 'apt-get install -y openjdk-17-jre-headless');
    }
    const version = run('java', ['-version']) + javaVersionText();
    const major = /version "(\d+)/.exec(version)?.[1];
    if (major !== undefined && Number(major) < 17) {
      throw new MissingPrerequisiteError(
        `java 17+ (found ${major})`,
        'apt-get install -y openjdk-17-jre-headless',
      );
    }
    if (!commandExists('mvn'))
      throw new MissingPrerequisiteError('mvn (Apache Maven)', 'apt-get install -y maven');
  }
  if (need.postgres) {
    if (!existsSync(join(s.pgBinDir, 'postgres')) || !existsSync(join(s.pgBinDir, 'initdb'))) {
      throw new MissingPrerequisiteError(
        `PostgreSQL 15 server binaries (looked in ${s.pgBinDir}, set STACK_PG_BIN to change)`,
        'apt-get install -y postgresql-15',
      );
    }
    if (isRoot() && !commandExists('runuser')) {
      throw new MissingPrerequisiteError(
        'runuser (to run PostgreSQL as the postgres user)',
        'apt-get install -y util-linux',
      );
    }
  }
}

function javaVersionText(): string {
  // `java -version` prints on stderr; run() returns stdout only, so ask again through sh.
  try {
    return run('sh', ['-c', 'java -version 2>&1']);
  } catch {
    return '';
  }
}
