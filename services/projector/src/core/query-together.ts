import type { PoolClient, QueryResult, QueryResultRow } from 'pg';
import { deferToCommit } from '@tributary/db';
// node-postgres' own encoding of a parameter (arrays as array literals, dates, JSON): the literals
// below are what it would have bound, so a statement means the same run alone or together.
import { prepareValue } from 'pg/lib/utils';

/** One statement and its parameters (`$1`, `$2`... in `text`). */
export interface Statement {
  text: string;
  values?: readonly unknown[];
}

const PLACEHOLDER = /\$(\d+)/g;

/**
 * Runs `statements` in order in ONE round trip: a simple query of several statements, each
 * parameter written into its text as a literal (escapeLiteral of what node-postgres would have
 * bound). Each statement sees the effects of those before it, as when run one by one; the first
 * that fails stops the rest and its error is thrown (inside a transaction, the transaction is then
 * lost, as it would have been). On a loaded machine each round trip costs a wake-up of node and of
 * PostgreSQL: the live path's small transactions spend more time there than executing (ADR 0023,
 * addendum 5). Only for statements of this code base: `$n` must not appear in their SQL otherwise.
 * The results in order.
 */
export async function queryTogether<R extends QueryResultRow = QueryResultRow>(
  db: PoolClient,
  statements: readonly Statement[],
): Promise<QueryResult<R>[]> {
  if (statements.length === 0) return [];
  if (statements.length === 1) {
    const [only] = statements;
    return [await db.query<R>(only!.text, only!.values as unknown[] | undefined)];
  }
  // A value several statements share (a table's links all take the keys written) is encoded once.
  const literals = new Map<unknown, string>();
  const text = statements.map((s) => inlined(db, s, literals)).join(';\n');
  const result = (await db.query<R>(text)) as unknown as QueryResult<R> | QueryResult<R>[];
  return Array.isArray(result) ? result : [result];
}

/**
 * The statement with its parameters as literals. `literals`: those of objects (arrays) already
 * encoded, by the object, reused and added to (an array of a batch's keys is thousands of elements).
 */
export function inlined(
  db: Pick<PoolClient, 'escapeLiteral'>,
  { text, values = [] }: Statement,
  literals?: Map<unknown, string>,
): string {
  return text.replace(PLACEHOLDER, (_, n: string) => {
    const i = Number(n) - 1;
    if (i < 0 || i >= values.length) throw new Error(`no value for $${n} in: ${text.slice(0, 80)}`);
    const value = values[i];
    const shared = typeof value === 'object' && value !== null ? literals : undefined;
    const known = shared?.get(value);
    if (known !== undefined) return known;
    const prepared: unknown = prepareValue(value);
    if (prepared === null) return 'NULL';
    if (typeof prepared !== 'string') throw new Error(`$${n}: a ${typeof prepared} cannot be inlined`);
    const literal = db.escapeLiteral(prepared);
    shared?.set(value, literal);
    return literal;
  });
}

/**
 * Runs `statement` (whose result nobody reads) with the COMMIT of the transaction on `db`, inlined
 * (deferToCommit: no round trip of its own), or now when `db` is in no such transaction.
 */
export async function runAtCommit(db: PoolClient, statement: Statement): Promise<void> {
  if (deferToCommit(db, inlined(db, statement))) return;
  await db.query(statement.text, statement.values as unknown[] | undefined);
}
