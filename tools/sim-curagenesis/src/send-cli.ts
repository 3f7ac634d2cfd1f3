/**
 * `npm run sim:curagenesis -- send ...`: posts one webhook (or a hostile variant of it) to a gateway
 * and prints one JSON line per attempt. Bodies come from the same data set the simulator serves
 * (same SIM_CURAGENESIS_SEED / _PRACTICES / _ORDERS).
 *
 *   send --event practice.updated --id PR-000012 [--variant duplicate --count 2]
 *   --event   practice.created | practice.updated | practice.activated | order.placed | order.placed.short
 *   --variant none | duplicate | tamper | bad-signature | no-signature | stale | out-of-order
 *   --target  gateway base URL (default SIM_CURAGENESIS_WEBHOOK_TARGET)
 *   --secret  (default CURAGENESIS_WEBHOOK_SECRET)   --scheme hmac | standard | both
 */
import { parseArgs } from 'node:util';
import { ValidationError } from '@tributary/core';
import type { SimConfig } from './config';
import { SimDataset } from './dataset';
import {
  createWebhookSender,
  orderPlacedEvent,
  orderPlacedUpdateEvent,
  outOfOrderSequence,
  practiceActivatedEvent,
  practiceCreatedEvent,
  practiceUpdatedEvent,
  type SendOptions,
  type SignatureScheme,
  type WebhookDelivery,
} from './webhooks';

const EVENTS = [
  'practice.created',
  'practice.updated',
  'practice.activated',
  'order.placed',
  'order.placed.short',
];
const VARIANTS = ['none', 'duplicate', 'tamper', 'bad-signature', 'no-signature', 'stale', 'out-of-order'];

function fail(message: string): never {
  throw new ValidationError(message);
}

export async function runSendCli(
  args: string[],
  config: SimConfig,
  out: { write(chunk: string): unknown } = process.stdout,
): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      event: { type: 'string', default: 'practice.updated' },
      id: { type: 'string' },
      variant: { type: 'string', default: 'none' },
      count: { type: 'string', default: '1' },
      target: { type: 'string' },
      secret: { type: 'string' },
      scheme: { type: 'string' },
    },
    strict: true,
  });
  const event = values.event as string;
  const variant = values.variant as string;
  if (!EVENTS.includes(event)) fail(`--event must be one of ${EVENTS.join(', ')}`);
  if (!VARIANTS.includes(variant)) fail(`--variant must be one of ${VARIANTS.join(', ')}`);
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1) fail('--count must be a positive integer');
  const target =
    values.target ??
    config.SIM_CURAGENESIS_WEBHOOK_TARGET ??
    fail('--target or SIM_CURAGENESIS_WEBHOOK_TARGET is required');
  const secret =
    values.secret ??
    config.CURAGENESIS_WEBHOOK_SECRET ??
    fail('--secret or CURAGENESIS_WEBHOOK_SECRET is required');
  const scheme = (values.scheme ??
    (variant === 'stale' ? 'standard' : config.SIM_CURAGENESIS_WEBHOOK_SCHEME)) as SignatureScheme;
  if (!['hmac', 'standard', 'both'].includes(scheme)) fail('--scheme must be hmac, standard or both');

  const dataset = new SimDataset({
    seed: config.SIM_CURAGENESIS_SEED,
    practices: config.SIM_CURAGENESIS_PRACTICES,
    orders: config.SIM_CURAGENESIS_ORDERS,
  });
  const isOrder = event.startsWith('order.');
  const id = values.id ?? (isOrder ? dataset.order(0).order_id : dataset.practice(0).practiceId);
  let deliveries: WebhookDelivery[];
  if (variant === 'out-of-order') deliveries = outOfOrderSequence(dataset, id);
  else if (event === 'practice.created') deliveries = [practiceCreatedEvent(dataset, id)];
  else if (event === 'practice.updated') deliveries = [practiceUpdatedEvent(dataset, id)];
  else if (event === 'practice.activated') deliveries = [practiceActivatedEvent(dataset, id)];
  else if (event === 'order.placed') deliveries = [orderPlacedEvent(dataset, id)];
  else deliveries = [orderPlacedUpdateEvent(dataset, id)];

  const options: SendOptions = {
    duplicateCount: variant === 'duplicate' ? count : 0,
    tamper: variant === 'tamper',
    badSignature: variant === 'bad-signature',
    noSignature: variant === 'no-signature',
    ...(variant === 'stale' && { staleTimestampSec: 600 }),
  };
  const sender = createWebhookSender({ targetBaseUrl: target, secret, scheme });
  for (const delivery of deliveries) {
    for (const attempt of await sender.send(delivery, options)) {
      out.write(
        `${JSON.stringify({ event: delivery.event, id: delivery.id, url: sender.urlOf(delivery), variant, status: attempt.status, latencyMs: attempt.latencyMs, body: attempt.body })}\n`,
      );
    }
  }
}
