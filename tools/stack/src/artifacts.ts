import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './proc';
import { StackSettings } from './settings';

type Say = (line: string) => void;

/** Kafka's runtime class path from Maven Central, cached under .stack/cache (first run only). */
export function ensureKafkaLibs(s: StackSettings, say: Say): string {
  const dir = join(s.cacheDir, `kafka-${s.kafkaVersion}`, 'libs');
  const marker = join(dir, '.complete');
  if (existsSync(marker)) return dir;
  say(`fetching Apache Kafka ${s.kafkaVersion} and its dependencies from Maven Central (first run only)...`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  run('mvn', [
    '-B',
    '-q',
    '-f',
    join(s.root, 'tools/stack/pom.xml'),
    'dependency:copy-dependencies',
    `-DoutputDirectory=${dir}`,
    '-DincludeScope=runtime',
    `-Dkafka.version=${s.kafkaVersion}`,
  ]);
  writeFileSync(marker, new Date().toISOString());
  return dir;
}

/** Apicurio Registry's runnable archive from Maven Central, unpacked under .stack/cache. Returns its jar. */
export function ensureApicurio(s: StackSettings, say: Say): string {
  const dir = join(s.cacheDir, `apicurio-${s.apicurioVersion}`);
  const marker = join(dir, '.complete');
  if (!existsSync(marker)) {
    say(`fetching Apicurio Registry ${s.apicurioVersion} from Maven Central (first run only, ~110 MB)...`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    run('mvn', [
      '-B',
      '-q',
      'dependency:copy',
      `-Dartifact=io.apicurio:apicurio-registry-app:${s.apicurioVersion}:tar.gz:all`,
      `-DoutputDirectory=${dir}`,
    ]);
    const archive = readdirSync(dir).find((f) => f.endsWith('.tar.gz'));
    if (!archive) throw new Error(`no archive downloaded into ${dir}`);
    run('tar', ['xzf', join(dir, archive), '-C', dir]);
    rmSync(join(dir, archive));
    writeFileSync(marker, new Date().toISOString());
  }
  const jar = readdirSync(dir).find(
    (f) => /^apicurio-registry-app-.*-runner\.jar$/.test(f) || f === 'quarkus-run.jar',
  );
  if (jar) return join(dir, jar);
  const fastJar = join(dir, 'quarkus-app', 'quarkus-run.jar');
  if (existsSync(fastJar)) return fastJar;
  throw new Error(`no runnable jar in ${dir}`);
}

/** Fetches everything ahead of time (used by .ci/run so tests do not pay for downloads). */
export function fetchAll(s: StackSettings, say: Say): void {
  ensureKafkaLibs(s, say);
  ensureApicurio(s, say);
}
