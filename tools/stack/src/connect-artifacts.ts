import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './proc';
import { StackSettings } from './settings';

type Say = (line: string) => void;

export const DEBEZIUM_JDBC_VERSION = '3.0.7.Final';

interface Dependency {
  groupId: string;
  artifactId: string;
  version: string;
  /** groupId:artifactId pairs left out (e.g. JDBC drivers for other databases). */
  exclusions?: string[];
}

/**
 * `deps` and everything they need at run time, copied from Maven Central (through ~/.m2) into
 * `dir`, once: a pom naming them is written beside the jars and `mvn dependency:copy-dependencies`
 * fills the folder, as ensureKafkaLibs does for the broker.
 */
function ensureMavenLibs(dir: string, what: string, deps: Dependency[], say: Say): string {
  const marker = join(dir, '.complete');
  if (existsSync(marker)) return dir;
  say(`fetching ${what} and its dependencies from Maven Central (first run only)...`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const pomDir = `${dir}.pom`;
  mkdirSync(pomDir, { recursive: true });
  const dependency = (d: Dependency) => {
    const exclusions = (d.exclusions ?? [])
      .map((e) => e.split(':'))
      .map(([g, a]) => `<exclusion><groupId>${g}</groupId><artifactId>${a}</artifactId></exclusion>`)
      .join('');
    return `<dependency><groupId>${d.groupId}</groupId><artifactId>${d.artifactId}</artifactId><version>${d.version}</version>${exclusions ? `<exclusions>${exclusions}</exclusions>` : ''}</dependency>`;
  };
  writeFileSync(
    join(pomDir, 'pom.xml'),
    `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>tributary</groupId><artifactId>stack-libs</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>${deps.map(dependency).join('\n    ')}</dependencies>
</project>\n`,
  );
  run('mvn', [
    '-B',
    '-q',
    '-f',
    join(pomDir, 'pom.xml'),
    'dependency:copy-dependencies',
    `-DoutputDirectory=${dir}`,
    '-DincludeScope=runtime',
  ]);
  rmSync(pomDir, { recursive: true, force: true });
  writeFileSync(marker, new Date().toISOString());
  return dir;
}

/** Kafka Connect's runtime class path (connect-runtime, JSON converter, reload4j logging), cached under .stack/cache. */
export function ensureConnectLibs(s: StackSettings, say: Say): string {
  return ensureMavenLibs(
    join(s.cacheDir, `connect-${s.kafkaVersion}`, 'libs'),
    `Kafka Connect ${s.kafkaVersion}`,
    [
      { groupId: 'org.apache.kafka', artifactId: 'connect-runtime', version: s.kafkaVersion },
      { groupId: 'org.slf4j', artifactId: 'slf4j-reload4j', version: '1.7.36' },
    ],
    say,
  );
}

/**
 * The Debezium JDBC sink connector as a Kafka Connect plugin folder: returns the plugin path (give
 * it as `plugin.path`), whose one subfolder holds the connector and its dependencies, PostgreSQL's
 * driver included. The other databases' drivers are left out, and so is Jackson, which Connect has.
 */
export function ensureDebeziumJdbcPlugin(
  s: StackSettings,
  say: Say,
  version = DEBEZIUM_JDBC_VERSION,
): string {
  const pluginPath = join(s.cacheDir, `debezium-jdbc-${version}`);
  ensureMavenLibs(
    join(pluginPath, 'debezium-connector-jdbc'),
    `the Debezium JDBC sink ${version}`,
    [
      {
        groupId: 'io.debezium',
        artifactId: 'debezium-connector-jdbc',
        version,
        exclusions: [
          // Connect's own Jackson serves the plugin (two copies break Jackson's module lookup)
          'com.fasterxml.jackson.core:jackson-core',
          'com.fasterxml.jackson.core:jackson-databind',
          'com.fasterxml.jackson.core:jackson-annotations',
          'com.mysql:mysql-connector-j',
          'org.mariadb.jdbc:mariadb-java-client',
          'com.microsoft.sqlserver:mssql-jdbc',
          'com.oracle.database.jdbc:ojdbc11',
        ],
      },
    ],
    say,
  );
  return pluginPath;
}
