import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { TOPIC_NAMESPACE } from '@tributary/contracts';
import { migrate } from '@tributary/db';
import { createKafka, createPlainProducer } from '@tributary/kafka';
import { createTestDatabase } from '@tributary/testkit';
import { MIGRATIONS_DIR } from '../../../services/projector/src/app';
import {
  DEBEZIUM_JDBC_VERSION,
  ensureConnectLibs,
  ensureDebeziumJdbcPlugin,
} from '../../stack/src/connect-artifacts';
import { loadStackSettings } from '../../stack/src/settings';
import { commitSpanRate } from './commit-span';
import { connectMessage, connectSchema, type PgColumn } from './connect-json';
import { startConnect } from './connect-standalone';
import { dropDatabase } from './drop-database';
import { CUSTOMERS, customerChunks, customerColumns, writeValues } from './customer-rows';
import { projectorRates, updatePassVersion, type PathRates } from './projector-drain';
import { settleTable } from './settle-table';

/**
 * A peer on the same rows: the Debezium JDBC sink (Kafka Connect standalone, 1 task, upsert on the
 * customer id) writing the projector benchmark's N customers into the same `repcard_customers`
 * table, in a database of its own, fed as JSON with schemas on a fresh topic per pass: onto the
 * empty table, then the same records with a newer `updatedAt` onto the table holding them. Timed
 * like the projector: from the first row committed to the last. The projector's figures come from
 * the same run (projectorRates). The sink is given rows already mapped to columns and writes them
 * without a version guard: less work than the projector does.
 */
export async function benchPeer(n: number) {
  const settings = loadStackSettings();
  const classpath = `${ensureConnectLibs(settings, say)}/*`;
  const pluginPath = ensureDebeziumJdbcPlugin(settings, say);
  const updatedAt = updatePassVersion();
  const sink = await sinkRates(n, updatedAt, {
    classpath,
    pluginPath,
    logFile: join(settings.logDir, 'bench-connect.log'),
  });
  const projector = await projectorRates(n, updatedAt);
  return (['empty', 'update'] as const).map((path) => ({
    table: path === 'empty' ? 'empty' : 'holding the rows',
    rows: n,
    [`Debezium JDBC sink ${DEBEZIUM_JDBC_VERSION} rows/s`]: Math.round(sink[path]),
    'projector rows/s': Math.round(projector[path]),
    'projector/sink': (projector[path] / sink[path]).toFixed(2),
    target: '>= 2.50',
  }));
}

async function sinkRates(
  n: number,
  updatedAt: string,
  opts: { classpath: string; pluginPath: string; logFile: string },
): Promise<PathRates> {
  const brokers = process.env.KAFKA_BROKERS!;
  const kafka = createKafka({ clientId: 'bench-peer', brokers: brokers.split(',') });
  const admin = kafka.admin();
  const producer = createPlainProducer(kafka);
  await Promise.all([admin.connect(), producer.connect()]);
  const run = Date.now().toString(36);
  const topics = {
    empty: `${TOPIC_NAMESPACE}bench.peer.${run}.customers.empty`,
    update: `${TOPIC_NAMESPACE}bench.peer.${run}.customers.update`,
  };
  await admin.createTopics({
    topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 3, replicationFactor: 1 })),
    waitForLeaders: true,
  });
  const db = await createTestDatabase('benchpeer');
  const pool = new Pool({ connectionString: db.url, max: 1 });
  const workDir = mkdtempSync(join(tmpdir(), 'bench-connect-'));
  let connect: Awaited<ReturnType<typeof startConnect>> | undefined;
  try {
    await migrate(pool, MIGRATIONS_DIR);
    const columns = customerColumns();
    const described = await pool.query<{ column_name: string; data_type: string; is_nullable: string }>(
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = $1 AND column_name = ANY($2)`,
      [CUSTOMERS.table, columns],
    );
    const byName = new Map(
      described.rows.map((r): [string, PgColumn] => [
        r.column_name,
        { name: r.column_name, dataType: r.data_type, nullable: r.is_nullable === 'YES' },
      ]),
    );
    const schema = connectSchema(
      `${CUSTOMERS.table}.Value`,
      columns.map((c) => byName.get(c)!),
    );
    say(`starting Kafka Connect (log: ${opts.logFile})...`);
    connect = await startConnect({
      classpath: opts.classpath,
      pluginPath: opts.pluginPath,
      brokers,
      workDir,
      logFile: opts.logFile,
    });
    const url = new URL(db.url);
    const pass = async (path: keyof PathRates, version?: string): Promise<number> => {
      say(
        `Debezium JDBC sink, ${path === 'empty' ? 'empty table' : 'update path'}: publishing ${n} rows as JSON...`,
      );
      for (const chunk of customerChunks(n, { updatedAt: version, chunk: 250 })) {
        const messages = chunk.writes.map((w) => {
          const values = writeValues(columns, w);
          return {
            key: String(w.row[CUSTOMERS.key]),
            value: connectMessage(schema, Object.fromEntries(columns.map((c, i) => [c, values[i]]))),
          };
        });
        await producer.send({ topic: topics[path], acks: -1, messages });
      }
      const name = `bench-peer-${run}-${path}`;
      await connect!.putConnector(name, {
        'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector',
        'tasks.max': '1',
        topics: topics[path],
        'connection.url': `jdbc:postgresql://${url.hostname}:${url.port || 5432}${url.pathname}`,
        'connection.username': decodeURIComponent(url.username),
        'connection.password': decodeURIComponent(url.password),
        'insert.mode': 'upsert',
        'delete.enabled': 'false',
        'primary.key.mode': 'record_value',
        'primary.key.fields': CUSTOMERS.key,
        'schema.evolution': 'none',
        'collection.name.format': CUSTOMERS.table,
      });
      try {
        const where = version ? { where: 'version_at = $1::timestamptz', whereParam: version } : {};
        const check = () => connect!.assertRunning(name);
        const { rowsPerSec } = await commitSpanRate(pool, {
          table: CUSTOMERS.table,
          n,
          timeoutMs: Math.max(300_000, n * 10),
          label: 'the Debezium JDBC sink',
          check,
          ...where,
        });
        say(
          `Debezium JDBC sink, ${path === 'empty' ? 'empty table' : 'update path'}: ${Math.round(rowsPerSec)} rows/s`,
        );
        return rowsPerSec;
      } finally {
        await connect!.deleteConnector(name);
      }
    };
    const empty = await pass('empty');
    await settleTable(pool, CUSTOMERS.table);
    const update = await pass('update', updatedAt);
    return { empty, update };
  } finally {
    await connect?.stop();
    await producer.disconnect();
    await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
    await admin.disconnect();
    await pool.end();
    await dropDatabase(db);
    rmSync(workDir, { recursive: true, force: true });
  }
}

function say(line: string): void {
  console.log(`[bench]   ${line}`);
}
