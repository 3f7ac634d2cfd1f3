import type { RepcardWebhookReceived } from '@tributary/contracts';
import type { HintTarget } from '@tributary/sync';

/**
 * The record a RepCard webhook names, to re-fetch (ADR 0026; pure). `contact-removed` and
 * `user-removed` are removals: the record is marked deleted only if the API confirms it is gone.
 * A body without a usable id names nothing.
 */
export function repcardHintTargets(hint: RepcardWebhookReceived): HintTarget<'repcard'>[] {
  if (hint.id === null) return [];
  return [
    {
      entity: hint.entity,
      id: hint.id,
      deliveryId: hint.deliveryId,
      receivedAt: hint.receivedAt,
      removal: hint.event === 'contact-removed' || hint.event === 'user-removed',
      ...(hint.customerId !== null ? { context: { customerId: hint.customerId } } : {}),
    },
  ];
}
