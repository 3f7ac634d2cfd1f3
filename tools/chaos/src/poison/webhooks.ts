import type { Pool } from 'pg';
import {
  createCuragenesisSimulator,
  createWebhookSender,
  poisonRecord,
  practiceUpdatedEvent,
  type CuragenesisPoisonKind,
  type WebhookDelivery,
} from '../../../sim-curagenesis/src';

/** The poison each webhook carries, one practice each; `huge-string` makes a 2 MB body. */
export const WEBHOOK_POISON: readonly CuragenesisPoisonKind[] = [
  'nul-text',
  'nul-key',
  'lone-surrogate',
  'out-of-range',
  'impossible-date',
  'huge-string',
];
/** Kinds PostgreSQL refuses (dead-lettered); NUL and surrogates are stored with U+FFFD; dates apart. */
export const REFUSED: ReadonlySet<string> = new Set(['out-of-range']);

export interface PoisonWebhook {
  kind: CuragenesisPoisonKind;
  practiceId: string;
  delivery: WebhookDelivery;
  /** The same practice as it really is: the fix CuraGenesis sends later. */
  clean: WebhookDelivery;
  status?: number;
}

/** One signed practice.updated delivery per poison kind, for practices of a data set of their own. */
export function poisonWebhooks(tag: string): PoisonWebhook[] {
  const sim = createCuragenesisSimulator({ seed: 4242, practices: 50, orders: 100 });
  return WEBHOOK_POISON.map((kind, i) => {
    const clean = practiceUpdatedEvent(sim.dataset, sim.dataset.practice(i).practiceId);
    const data = poisonRecord('practice', clean.body.data as object, kind);
    const delivery: WebhookDelivery = {
      ...clean,
      id: `msg_${tag}_poison_${i}`,
      body: { ...clean.body, data },
    };
    return {
      kind,
      practiceId: String((clean.body.data as Record<string, unknown>).practiceId),
      delivery,
      clean: { ...clean, id: `msg_${tag}_fix_${i}` },
    };
  });
}

/** Sends each delivery once; keeps its status. */
export async function sendAll(
  baseUrl: string,
  secret: string,
  deliveries: { delivery: WebhookDelivery; status?: number }[],
): Promise<void> {
  const sender = createWebhookSender({
    targetBaseUrl: baseUrl,
    secret,
    scheme: 'standard',
    timeoutMs: 30_000,
  });
  for (const d of deliveries) d.status = (await sender.send(d.delivery))[0]!.status;
}

/** The practice row of each id: its specialty, state and total_orders, or undefined when absent. */
export interface PracticeRow {
  specialty: string | null;
  state: string | null;
  total_orders: number | null;
  activated_at: Date | null;
}

export async function practiceRows(pool: Pool, ids: readonly string[]): Promise<Map<string, PracticeRow>> {
  const res = await pool.query<PracticeRow & { practice_id: string }>(
    `SELECT practice_id, specialty, state, total_orders, activated_at FROM curagenesis_practices WHERE practice_id = ANY($1)`,
    [ids],
  );
  return new Map(res.rows.map((r) => [r.practice_id, r]));
}
