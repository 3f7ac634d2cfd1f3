import { WebhookReceivedContract, type WebhookReceived } from '@tributary/contracts';
import type { HintDefinition, HintTarget, JsonGetter, RefetchAnswer } from '@tributary/sync';
import { curagenesisHintTargets } from '../domain/webhook-hints';
import { FINANCIALS_PATH, PRACTICES_PATH } from '../domain/requests';

function items(body: unknown): Record<string, unknown>[] {
  const list = (body as { items?: unknown } | null)?.items;
  return Array.isArray(list) ? (list as Record<string, unknown>[]) : [];
}

/**
 * One practice or order, asked of the partner API alone: an order by the documented `orderId`
 * selector of the financials endpoint; a practice by `practiceId` on the practices list (not in the
 * public material: an API that ignores it answers its first page, searched for the practice). Not
 * found is `unknown`, never `absent`: CuraGenesis announces no removals.
 */
export async function refetchCuragenesis(
  client: JsonGetter,
  target: HintTarget<'curagenesis'>,
  pageSize: number,
  signal?: AbortSignal,
): Promise<RefetchAnswer> {
  const orders = target.entity === 'orders';
  const res = orders
    ? await client.getJson(FINANCIALS_PATH, { orderId: target.id, page_size: pageSize }, signal)
    : await client.getJson(PRACTICES_PATH, { practiceId: target.id, page_size: pageSize }, signal);
  const key = orders ? 'order_id' : 'practiceId';
  const record = items(res.body).find((r) => String(r[key]) === target.id);
  if (record) return { kind: 'found', record };
  return {
    kind: 'unknown',
    why: `the ${orders ? 'financials' : 'practices'} answer does not hold ${target.id}`,
  };
}

/** CuraGenesis webhooks as hints: `curagenesis.webhooks.v1`, each named record re-fetched. */
export function curagenesisHints(pageSize: number): HintDefinition<'curagenesis', WebhookReceived> {
  return {
    contract: WebhookReceivedContract,
    targetsOf: curagenesisHintTargets,
    refetch: (client, target, signal) => refetchCuragenesis(client, target, pageSize, signal),
  };
}
