import type { Dataset } from './dataset';
import type { RepcardRecord } from './entities';

/**
 * RepCard webhooks (API-NOTES, *unconfirmed*: public integrator code, not vendor docs): one URL per
 * event, a plain JSON `POST` with no signature, second-precision timestamps like
 * `2026-01-22 22:57:58+00:00`. The simulator renders bodies from its own records and sends them to
 * `<gateway>/api/webhooks/repcard/<secret>/<event>`, the gateway's secret routes (ADR 0026).
 */
export const REPCARD_WEBHOOK_EVENTS = [
  'appointment-set',
  'appointment-updated',
  'appointment-outcome',
  'contact-new',
  'contact-updated',
  'contact-removed',
  'user-new',
  'user-updated',
  'user-removed',
] as const;
export type RepcardWebhookEvent = (typeof REPCARD_WEBHOOK_EVENTS)[number];

/** `2019-01-10T18:33:31.000000Z` → `2019-01-10 18:33:31+00:00` (the webhooks' format). */
function webhookTime(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 19).replace('T', ' ') + '+00:00' : null;
}

function ref(value: unknown): { id: unknown } | null {
  return value === null || value === undefined ? null : { id: value };
}

/** An appointment webhook body, in the integrators' field names, from the record the API lists. */
function appointmentBody(a: RepcardRecord): Record<string, unknown> {
  const contact = (a.contact ?? {}) as Record<string, unknown>;
  const status = a.status as { title?: unknown } | null;
  return {
    id: a.id,
    contact: { id: contact.id, createdAt: webhookTime(contact.createdAt) },
    user: ref(a.userId),
    closer: ref(a.closerId),
    appt_start_time: a.startAt,
    appt_end_time: a.endAt,
    appointment_status_title: status?.title ?? null,
    duration: a.durationTime,
    notes: a.notes,
    created_at: webhookTime(a.createdAt),
    updated_at: webhookTime(a.updatedAt),
  };
}

/** The body of `event` about the record at `index` (appointments, customers or users). */
export function repcardWebhookBody(
  dataset: Dataset,
  event: RepcardWebhookEvent,
  index: number,
): Record<string, unknown> {
  if (event.startsWith('appointment-')) return appointmentBody(dataset.record('appointments', index));
  const record = dataset.record(event.startsWith('contact-') ? 'customers' : 'users', index);
  return { ...record, created_at: webhookTime(record.createdAt), updated_at: webhookTime(record.updatedAt) };
}

/** POSTs one webhook as RepCard would (no signature); answers the gateway's status and body. */
export async function sendRepcardWebhook(o: {
  gatewayBaseUrl: string;
  pathSecret: string;
  event: RepcardWebhookEvent;
  body: unknown;
}): Promise<{ status: number; body: unknown }> {
  const url = `${o.gatewayBaseUrl.replace(/\/$/, '')}/api/webhooks/repcard/${o.pathSecret}/${o.event}`;
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(o.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body };
}
