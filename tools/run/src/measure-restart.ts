import { Pool } from 'pg';
import { contractFor, TOPIC_NAMESPACE, TOPICS, type RecordObserved } from '@tributary/contracts';
import { loadStackEnv } from '@tributary/config';
import { errorMessage } from '@tributary/core';
import { createKafka, createPublisher, SchemaCodec, type ContractLike } from '@tributary/kafka';
import {
  createTestDatabase,
  startServiceProcess,
  uniqueName,
  waitFor,
  type ServiceProcess,
} from '@tributary/testkit';

/**
 * `npx tsx tools/run/src/measure-restart.ts [rounds]`: how long live projection stalls when the
 * projector restarts or is deployed, measured on the real stack (`npm run stack:up`), in its own topic
 * namespace and database:
 *
 * - restart: SIGTERM the projector, start it again; records published while it was down; time from
 *   the new process's start, and from its /readyz, to the last of them projected.
 * - rolling: two replicas; SIGTERM one while records arrive, start it again, then the other; time
 *   from each SIGTERM to every record published at that moment projected by the survivor.
 * - kill -9 (for contrast): a member that does not leave its group keeps its partitions until the
 *   session timeout (30 s) before the survivor gets them.
 */
const KEYS = 12;
const ns = `${uniqueName('restart')}.`;
const topic = `${ns}${TOPICS.repcardOffices.slice(TOPIC_NAMESPACE.length)}`;
const real = contractFor(TOPICS.repcardOffices) as ContractLike<RecordObserved>;
const contract: ContractLike<RecordObserved> = { ...real, topic, subject: `${topic}-value` };
let nextId = 1;

async function main(): Promise<void> {
  loadStackEnv();
  const rounds = Number(process.argv[2] ?? 3);
  const db = await createTestDatabase('restart');
  const pool = new Pool({ connectionString: db.url, max: 2 });
  const kafka = createKafka({
    brokers: process.env.KAFKA_BROKERS!.split(','),
    clientId: uniqueName('measure'),
  });
  const publisher = await createPublisher({
    kafka,
    codec: new SchemaCodec({ url: process.env.SCHEMA_REGISTRY_URL! }),
  });
  const running = new Set<ServiceProcess>();
  const start = async (
    _replica: string,
  ): Promise<{ proc: ServiceProcess; startedAt: number; readyAt: number }> => {
    const startedAt = Date.now();
    const proc = startServiceProcess('projector', {
      TRIBUTARY_TOPIC_NAMESPACE: ns,
      DATABASE_URL: db.url,
      LOG_FORMAT: 'json',
    });
    running.add(proc);
    await proc.ready(120_000);
    return { proc, startedAt, readyAt: Date.now() };
  };
  /** Publishes one office per key (every partition gets some); resolves when all are projected, with the time. */
  const publishBatch = async (): Promise<() => Promise<number>> => {
    const ids = Array.from({ length: KEYS }, () => nextId++);
    await publisher.publish(ids.map((id) => ({ contract, key: String(id), value: office(id) })));
    return async () => {
      await waitFor(
        async () => {
          const { rows } = await pool.query<{ n: string }>(
            'SELECT count(*) AS n FROM repcard_offices WHERE repcard_office_id = ANY($1::bigint[])',
            [ids],
          );
          return Number(rows[0]!.n) === ids.length;
        },
        {
          timeoutMs: 120_000,
          intervalMs: 50,
          description: `offices ${ids[0]}..${ids[ids.length - 1]} projected`,
        },
      );
      return Date.now();
    };
  };
  const stop = async (proc: ServiceProcess): Promise<string> => {
    const at = Date.now();
    const code = await proc.stop();
    running.delete(proc);
    const log = proc.lines.join('\n');
    return `exit ${code} in ${Date.now() - at} ms${log.includes('service.stop_failed') ? ' (stop_failed!)' : ''}`;
  };
  const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

  try {
    let a = await start('a');
    await (
      await publishBatch()
    )();
    console.log(`restart (one projector, ${rounds} rounds):`);
    for (let round = 1; round <= rounds; round += 1) {
      const stopped = await stop(a.proc);
      const projected = await publishBatch();
      a = await start('a');
      const at = await projected();
      console.log(
        `  round ${round}: old ${stopped}; start -> projected ${s(at - a.startedAt)}, ready -> projected ${s(Math.max(0, at - a.readyAt))}`,
      );
    }

    let b = await start('b');
    await (
      await publishBatch()
    )();
    console.log(`rolling deploy (two replicas, ${rounds} rounds):`);
    for (let round = 1; round <= rounds; round += 1) {
      for (const which of ['a', 'b'] as const) {
        const old = which === 'a' ? a : b;
        const t0 = Date.now();
        const projected = await publishBatch();
        const stopped = await stop(old.proc);
        const at = await projected();
        console.log(
          `  round ${round}, replica ${which}: ${stopped}; SIGTERM -> all projected by the other ${s(at - t0)}`,
        );
        const again = await start(which);
        if (which === 'a') a = again;
        else b = again;
      }
    }

    console.log('kill -9 of one replica (no LeaveGroup, for contrast):');
    const t0 = Date.now();
    await a.proc.kill9();
    running.delete(a.proc);
    const at = await (await publishBatch())();
    console.log(`  kill -9 -> all projected by the other ${s(at - t0)}`);
  } finally {
    for (const proc of running) await proc.stop().catch(() => undefined);
    await publisher.close();
    await pool.end();
    await db.drop().catch(() => undefined);
  }
}

function office(id: number): RecordObserved {
  return {
    type: 'RecordObserved',
    version: 2,
    eventId: crypto.randomUUID(),
    source: 'repcard',
    entity: 'offices',
    id: String(id),
    payload: { id, officeName: `office ${id}` },
    observedAt: new Date().toISOString(),
    sourceUpdatedAt: null,
    syncId: null,
    origin: 'poll',
    deliveryId: null,
  };
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`measure-restart: ${errorMessage(err)}`);
    process.exit(1);
  },
);
