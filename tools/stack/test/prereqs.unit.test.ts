import { loadStackSettings } from '../src/settings';
import { installPolicy, missingPrerequisites, type Probe } from '../src/prereqs';

const settings = { ...loadStackSettings(), pgBinDir: '/opt/pg/bin' };
const all = { kafka: true, registry: true, postgres: true };

function probe(has: { commands?: string[]; files?: string[]; java?: number; root?: boolean }): Probe {
  return {
    commandExists: (c) => (has.commands ?? []).includes(c),
    fileExists: (f) => (has.files ?? []).includes(f),
    javaMajor: () => has.java,
    isRoot: () => has.root ?? true,
  };
}

describe('missingPrerequisites', () => {
  test('when a fresh machine has nothing, then java, maven, PostgreSQL and runuser are named with their packages', () => {
    const missing = missingPrerequisites(settings, all, probe({ root: true }));
    expect(missing.map((m) => m.debianPackage)).toEqual([
      'openjdk-17-jre-headless',
      'maven',
      'postgresql-15',
      'util-linux',
    ]);
    expect(missing[2]!.what).toContain('/opt/pg/bin');
  });

  test('when everything is there, then nothing is missing', () => {
    const p = probe({
      commands: ['java', 'mvn', 'runuser'],
      files: ['/opt/pg/bin/postgres', '/opt/pg/bin/initdb'],
      java: 17,
    });
    expect(missingPrerequisites(settings, all, p)).toEqual([]);
  });

  test('when java is older than 17, then it is named with the version found', () => {
    const p = probe({ commands: ['java', 'mvn'], java: 11 });
    expect(missingPrerequisites(settings, { kafka: true, registry: false, postgres: false }, p)).toEqual([
      { what: 'java 17+ (found 11)', debianPackage: 'openjdk-17-jre-headless' },
    ]);
  });

  test('when Kafka and the registry are external, then neither java nor maven is needed', () => {
    const p = probe({ commands: ['runuser'], files: ['/opt/pg/bin/postgres', '/opt/pg/bin/initdb'] });
    expect(missingPrerequisites(settings, { kafka: false, registry: false, postgres: true }, p)).toEqual([]);
  });

  test('when not root, then runuser is not needed', () => {
    const p = probe({ root: false, files: ['/opt/pg/bin/postgres', '/opt/pg/bin/initdb'] });
    expect(missingPrerequisites(settings, { kafka: false, registry: false, postgres: true }, p)).toEqual([]);
  });
});

describe('installPolicy', () => {
  test('when STACK_INSTALL is unset, then packages are installed automatically', () => {
    expect(installPolicy({})).toBe('auto');
  });
  test('when STACK_INSTALL=never, then nothing is installed', () => {
    expect(installPolicy({ STACK_INSTALL: 'never' })).toBe('never');
  });
  test('when STACK_INSTALL is neither, then start-up stops naming the variable', () => {
    expect(() => installPolicy({ STACK_INSTALL: 'sometimes' })).toThrow(/STACK_INSTALL/);
  });
});
