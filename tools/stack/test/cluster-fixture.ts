import type { Kafka } from 'kafkajs';
import { loadConfig } from '@tributary/config';
import { createKafka, kafkaSecurity, SchemaCodec } from '@tributary/kafka';
import { kafkaClusterSchema, kafkaSecurityOf } from '@tributary/service';
import { startServiceProcess, waitFor, type ServiceProcess } from '@tributary/testkit';

/** A Kafka client and codec of the secured cluster, from the same variables the services read. */
export function clusterClients(
  env: NodeJS.ProcessEnv,
  clientId: string,
): { kafka: Kafka; codec: SchemaCodec } {
  const cluster = loadConfig(kafkaClusterSchema, env);
  const kafka = createKafka({
    brokers: env.KAFKA_BROKERS!.split(','),
    clientId,
    ...kafkaSecurity(kafkaSecurityOf(cluster)),
  });
  return { kafka, codec: new SchemaCodec({ url: env.SCHEMA_REGISTRY_URL! }) };
}

/** One replica of a service as a process, its name suffixed (`projector#a`), and how to start it again. */
export interface Replica {
  label: string;
  proc: ServiceProcess;
  restart(): Promise<void>;
  /** The output lines of every process this replica ran. */
  allLines(): string[];
}

/** The port given in the `service.started` line's `field` (the gateway's internal port serves /readyz). */
async function portField(proc: ServiceProcess, field: string): Promise<number> {
  await proc.port();
  for (const line of proc.lines) {
    if (!line.includes('"service.started"')) continue;
    const value = (JSON.parse(line) as Record<string, unknown>)[field];
    if (typeof value === 'number') return value;
  }
  throw new Error(`${proc.name}: no ${field} in its service.started line`);
}

export async function readyReplica(proc: ServiceProcess, timeoutMs = 180_000): Promise<void> {
  if (proc.name !== 'webhook-gateway') return proc.ready(timeoutMs);
  const internal = await portField(proc, 'internalPort');
  await waitFor(async () => (await fetch(`http://127.0.0.1:${internal}/readyz`)).ok, {
    timeoutMs,
    description: `${proc.name} /readyz`,
  });
}

export async function startReplica(service: string, label: string, env: NodeJS.ProcessEnv): Promise<Replica> {
  const earlier: string[] = [];
  const replica: Replica = {
    label,
    proc: startServiceProcess(service, env),
    async restart() {
      earlier.push(...replica.proc.lines);
      replica.proc = startServiceProcess(service, env);
      await readyReplica(replica.proc);
    },
    allLines: () => [...earlier, ...replica.proc.lines],
  };
  await readyReplica(replica.proc);
  return replica;
}

/** Log lines of a replica (every process it ran) that say a producer was fenced. */
export function fencingLines(lines: readonly string[]): string[] {
  return lines.filter((l) => l.includes('kafka.producer.fenced') || l.includes('KAFKA_PRODUCER_FENCED'));
}

export async function gatewayUrl(replica: Replica): Promise<string> {
  return `http://127.0.0.1:${await replica.proc.port()}`;
}
