import { RepcardWebhookReceivedContract, type RepcardWebhookReceived } from '@tributary/contracts';
import { addDays } from '@tributary/core';
import {
  isSourceAnswer,
  type HintDefinition,
  type HintTarget,
  type JsonGetter,
  type RefetchAnswer,
} from '@tributary/sync';
import { repcardHintTargets } from '../domain/webhook-hints';
import { parseRepcardPage } from './repcard-page';

export interface RefetchSettings {
  perPage: number;
  /** REPCARD_HISTORY_START: an appointment is looked for from this day on. */
  historyStart: string;
  now?: () => Date;
}

/** Every page of `path?query` until `id` is found (or the pages end). */
async function findInPages(
  client: JsonGetter,
  path: string,
  query: Record<string, string | number>,
  id: string,
  signal?: AbortSignal,
): Promise<unknown> {
  for (let page = 1, total = 1; page <= total; page++) {
    const res = await client.getJson(path, { ...query, page }, signal);
    const parsed = parseRepcardPage(res.body, page);
    const found = parsed.records.find((r) => String((r as { id?: unknown } | null)?.id) === id);
    if (found !== undefined) return found;
    total = parsed.totalPages ?? page;
  }
  return undefined;
}

/**
 * One RepCard record, asked of the API: a customer by `GET /customers/{id}` (404: gone); an
 * appointment among its customer's (`/appointments?customer_ids=`, the list the sync reads, so the
 * same shape); a user among `/users/minimal` (small: read whole). A user missing from the whole list
 * is gone; an appointment not found is `unknown` (its customer may be wrong in the hint).
 */
export async function refetchRepcard(
  client: JsonGetter,
  target: HintTarget<'repcard'>,
  settings: RefetchSettings,
  signal?: AbortSignal,
): Promise<RefetchAnswer> {
  const perPage = settings.perPage;
  switch (target.entity) {
    case 'customers': {
      try {
        const res = await client.getJson(`/customers/${encodeURIComponent(target.id)}`, {}, signal);
        const record = (res.body as { result?: unknown } | null)?.result;
        return record && typeof record === 'object' ? { kind: 'found', record } : { kind: 'absent' };
      } catch (err) {
        if (isSourceAnswer(err, 404)) return { kind: 'absent' };
        throw err;
      }
    }
    case 'appointments': {
      const customerId = target.context?.customerId;
      if (!customerId) return { kind: 'unknown', why: 'the webhook names no contact of the appointment' };
      const tomorrow = addDays((settings.now?.() ?? new Date()).toISOString().slice(0, 10), 1);
      const query = {
        customer_ids: customerId,
        from_date: settings.historyStart,
        to_date: tomorrow,
        per_page: perPage,
      };
      const record = await findInPages(client, '/appointments', query, target.id, signal);
      return record === undefined
        ? { kind: 'unknown', why: `customer ${customerId} has no appointment ${target.id}` }
        : { kind: 'found', record };
    }
    case 'users': {
      const record = await findInPages(client, '/users/minimal', { per_page: perPage }, target.id, signal);
      return record === undefined ? { kind: 'absent' } : { kind: 'found', record };
    }
    default:
      return { kind: 'unknown', why: `${target.entity} is not re-fetched` };
  }
}

/** RepCard webhooks as hints: `repcard.webhooks.v1` (published by the gateway's secret routes). */
export function repcardHints(settings: RefetchSettings): HintDefinition<'repcard', RepcardWebhookReceived> {
  return {
    contract: RepcardWebhookReceivedContract,
    targetsOf: repcardHintTargets,
    refetch: (client, target, signal) => refetchRepcard(client, target, settings, signal),
  };
}
