import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { TributaryError } from '@tributary/core';
import { ensureApicurio } from './artifacts';
import { isAlive, portOpen, readPid, startDetached, stopPid, waitUntil } from './proc';
import { PG_PASSWORD, PG_REGISTRY_DATABASE, PG_USER, StackSettings } from './settings';

/** Apicurio Registry (Confluent API under /apis/ccompat/v7), its schemas kept in our PostgreSQL. */
export function registryPaths(s: StackSettings) {
  const dir = join(s.stackDir, 'registry');
  return { dir, pidFile: join(dir, 'registry.pid'), logFile: join(s.logDir, 'registry.log') };
}

export function registryUrl(s: StackSettings): string {
  return `http://127.0.0.1:${s.registryPort}/apis/ccompat/v7`;
}

export function registryRunning(s: StackSettings): boolean {
  return isAlive(readPid(registryPaths(s).pidFile));
}

export async function registryAnswers(url: string): Promise<boolean> {
  const res = await fetch(`${url}/subjects`, { signal: AbortSignal.timeout(2000) });
  return res.ok;
}

export async function ensureRegistry(s: StackSettings, say: (l: string) => void): Promise<boolean> {
  const p = registryPaths(s);
  const url = registryUrl(s);
  if (registryRunning(s)) {
    await waitUntil('schema registry', () => registryAnswers(url), { timeoutMs: 90_000, logFile: p.logFile });
    return false;
  }
  if (await portOpen(s.registryPort)) {
    throw new TributaryError(
      'STACK_PORT_TAKEN',
      `port ${s.registryPort} for the schema registry is taken by another process: set STACK_REGISTRY_PORT to a free port (or SCHEMA_REGISTRY_URL to use that registry)`,
    );
  }
  const jar = ensureApicurio(s, say);
  mkdirSync(p.dir, { recursive: true });
  const env = {
    ...process.env,
    QUARKUS_HTTP_PORT: String(s.registryPort),
    QUARKUS_HTTP_HOST: '127.0.0.1',
    APICURIO_STORAGE_KIND: 'sql',
    APICURIO_STORAGE_SQL_KIND: 'postgresql',
    APICURIO_DATASOURCE_URL: `jdbc:postgresql://127.0.0.1:${s.pgPort}/${PG_REGISTRY_DATABASE}`,
    APICURIO_DATASOURCE_USERNAME: PG_USER,
    APICURIO_DATASOURCE_PASSWORD: PG_PASSWORD,
    // Allow deleting subjects (tests clean up after themselves).
    APICURIO_REST_DELETION_ARTIFACT_ENABLED: 'true',
    APICURIO_REST_DELETION_ARTIFACT_VERSION_ENABLED: 'true',
    APICURIO_REST_DELETION_GROUP_ENABLED: 'true',
  };
  const pid = startDetached('java', [`-Xmx${s.registryHeap}`, '-XX:+UseSerialGC', '-jar', jar], {
    cwd: p.dir,
    env,
    logFile: p.logFile,
    pidFile: p.pidFile,
  });
  await waitUntil('schema registry', () => registryAnswers(url), {
    timeoutMs: 120_000,
    logFile: p.logFile,
    pid,
  });
  return true;
}

export function stopRegistry(s: StackSettings): Promise<boolean> {
  return stopPid(registryPaths(s).pidFile, 30_000);
}
