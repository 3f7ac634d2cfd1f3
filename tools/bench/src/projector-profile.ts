import { join, resolve } from 'node:path';
import { loadStackEnv } from '@tributary/config';
import { contractFor, TOPICS } from '@tributary/contracts';
import { createPool, migrate } from '@tributary/db';
import { createTestDatabase } from '@tributary/testkit';
import { frame, parseJsonPayload, unframe } from '../../../libs/kafka/src/wire-format';
import { copyUpsert } from './copy-ceiling';
import { CUSTOMERS, customerChunks, customerColumns } from './customer-rows';

/**
 * Where the projector's time goes per row (ADR 0023), without Kafka:
 *   1. CPU per row of each pure stage (process.cpuUsage, so other processes' load barely moves it):
 *      JSON.parse of the framed values, the contract's decode, makeStorable, the plan, COPY text;
 *   2. projectBatches over the same records in transactions of B records, against PostgreSQL:
 *      rows/s, node CPU per row and statements per transaction, beside COPY + upsert of the rows.
 * `npx tsx tools/bench/src/projector-profile.ts` (needs the stack). PROFILE_ROWS (20000);
 * PROFILE_TREES=<checkout>:<B>[:<chunk rows>],... compares source trees (default `.:12000`), e.g. an
 * older commit exported with `git archive <commit> | tar -x -C /tmp/old` (node_modules linked).
 */
const N = Number(process.env.PROFILE_ROWS ?? 20_000);
const TOPIC = TOPICS.repcardCustomers;

type Tree = { root: string; batch: number; chunk?: number };

function trees(): Tree[] {
  return (process.env.PROFILE_TREES ?? '.:12000').split(',').map((t) => {
    const [root, batch, chunk] = t.split(':');
    return { root: resolve(root!), batch: Number(batch), chunk: chunk ? Number(chunk) : undefined };
  });
}

const src = (root: string, path: string) => join(root, 'services', 'projector', 'src', path);

function cpuMs(work: () => void): number {
  const t = process.cpuUsage();
  work();
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1000;
}

async function stages(root: string, framed: Buffer[]): Promise<string> {
  const { makeStorable } = await import(src(root, 'core/storable'));
  const { planRepcard } = await import(src(root, 'projections/repcard/plan'));
  const { copyTextLine } = await import(src(root, 'core/copy-text'));
  const { writeColumnValues } = await import(src(root, 'core/upsert-sql'));
  const contract = contractFor(TOPIC);
  let parsed: unknown[] = [];
  let decoded: unknown[] = [];
  let plan: { runs: { writes: { row: Record<string, unknown> }[] }[] } | undefined;
  let bytes = 0;
  const us = (ms: number) => `${((1000 * ms) / N).toFixed(1)}`;
  const r = {
    'JSON.parse': cpuMs(() => (parsed = framed.map((b) => parseJsonPayload(unframe(b).payload)))),
    'contract decode': cpuMs(() => (decoded = parsed.map((v) => contract.decode(v)))),
    makeStorable: cpuMs(() => decoded.forEach((v) => makeStorable(v))),
    plan: cpuMs(() => {
      const records = decoded.map((value, i) => ({
        offset: String(i),
        value,
        at: { topic: TOPIC, partition: 0, offset: String(i) },
      }));
      plan = planRepcard('customers', records);
    }),
    'COPY text': cpuMs(() => {
      const writes = plan!.runs.flatMap((run) => run.writes);
      const columns = Object.keys(writes[0]!.row);
      for (const w of writes)
        bytes += copyTextLine([...columns.map((c) => w.row[c] ?? null), ...writeColumnValues(w)]).length;
    }),
  };
  const framedBytes = framed.reduce((n, b) => n + b.length, 0);
  return `CPU µs/row: ${Object.entries(r)
    .map(([k, v]) => `${k} ${us(v)}`)
    .join(', ')}; bytes/row: ${Math.round(framedBytes / N)} framed, ${Math.round(bytes / N)} COPY text`;
}

async function writePath(tree: Tree, decoded: unknown[]) {
  const { projectBatches } = await import(src(tree.root, 'projections'));
  const { projectorTransaction } = await import(src(tree.root, 'core/transaction'));
  const { MIGRATIONS_DIR } = await import(src(tree.root, 'app'));
  if (tree.chunk) (await import(src(tree.root, 'projections/chunked-apply'))).CHUNKING.rows = tree.chunk;
  const db = await createTestDatabase('bench');
  const pool = createPool(db.url, { max: 2 });
  let statements = 0;
  let transactions = 0;
  const counted = new WeakSet<object>();
  const count = (tx: { query: (...a: unknown[]) => unknown }) => {
    if (counted.has(tx)) return;
    counted.add(tx);
    const query = tx.query.bind(tx);
    tx.query = (...a: unknown[]) => {
      statements++;
      return query(...a);
    };
  };
  try {
    await migrate(pool, MIGRATIONS_DIR);
    const t = performance.now();
    const c = process.cpuUsage();
    for (let i = 0; i < N; i += tree.batch) {
      const messages = decoded.slice(i, i + tree.batch).map((value, j) => ({ offset: String(i + j), value }));
      await projectorTransaction(pool, async (tx: never) => {
        count(tx);
        transactions++;
        return projectBatches(tx, [{ topic: TOPIC, partition: 0, messages }]);
      });
    }
    const cpu = process.cpuUsage(c);
    const secs = (performance.now() - t) / 1000;
    return { rate: N / secs, cpuUs: (cpu.user + cpu.system) / N, statements: statements / transactions };
  } finally {
    await pool.end();
    await db.drop();
  }
}

async function ceiling(): Promise<number> {
  const db = await createTestDatabase('bench');
  const pool = createPool(db.url, { max: 2 });
  try {
    await migrate(pool, join(__dirname, '..', '..', '..', 'services', 'projector', 'migrations'));
    const r = await copyUpsert(
      pool,
      CUSTOMERS,
      customerColumns(),
      (function* () {
        for (const c of customerChunks(N)) yield c.writes;
      })(),
    );
    return N / r.secs;
  } finally {
    await pool.end();
    await db.drop();
  }
}

async function main(): Promise<void> {
  loadStackEnv();
  const framed: Buffer[] = [];
  for (const c of customerChunks(N))
    for (const e of c.events) framed.push(frame(1, Buffer.from(JSON.stringify(e))));
  const contract = contractFor(TOPIC);
  const decoded = framed.map((b) => contract.decode(parseJsonPayload(unframe(b).payload)));
  for (let round = 1; round <= Number(process.env.PROFILE_ROUNDS ?? 2); round++) {
    const ceil = await ceiling();
    console.log(`round ${round}: COPY + upsert ceiling ${Math.round(ceil)} rows/s`);
    for (const tree of trees()) {
      const w = await writePath(tree, decoded);
      console.log(
        `  ${tree.root} B=${tree.batch}${tree.chunk ? ` chunk=${tree.chunk}` : ''}: ${await stages(tree.root, framed)}`,
      );
      console.log(
        `    projectBatches ${Math.round(w.rate)} rows/s = ${(w.rate / ceil).toFixed(2)}× ceiling; node CPU ${w.cpuUs.toFixed(1)} µs/row; ${w.statements.toFixed(1)} statements/transaction`,
      );
    }
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
