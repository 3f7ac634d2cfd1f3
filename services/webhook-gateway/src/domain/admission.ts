/**
 * Admission control: whether the gateway takes one more delivery, decided before its body is read,
 * its signature checked or anything stored, so that above capacity every sender still gets an answer
 * at once (429 or 503 with Retry-After) instead of a connection that queues until it fails. Three
 * bounds, checked in this order:
 *  - deliveries in flight here (read, verified, waiting on the store or Kafka): 429, the sender is
 *    faster than this replica;
 *  - the event loop's delay (CPU saturated: every answer, even a 429, would come late): 429, but
 *    only while this replica holds enough deliveries for the delay to be its own doing (a machine
 *    busy with other work delays a quiet gateway too, and refusing its few deliveries helps no one);
 *  - publications waiting on Kafka (committed or not yet): 503, Kafka is behind.
 * Pure: the two measures it cannot count itself are given as functions.
 */
export interface AdmissionLimits {
  /** Deliveries in flight beyond which the next is refused 429. */
  maxInFlight: number;
  /** Event-loop delay (ms) beyond which new deliveries are refused 429 (Infinity: never)... */
  maxEventLoopDelayMs: number;
  /** ...while at least this many deliveries are in flight. */
  delayShedMinInFlight: number;
  /** Publications not settled by Kafka beyond which new deliveries are refused 503. */
  maxQueuedToKafka: number;
}

export interface AdmissionMeasures {
  /** The event loop's recent delay, ms. */
  eventLoopDelayMs(): number;
  /** Publications handed to Kafka and not settled yet. */
  queuedToKafka(): number;
}

export type AdmissionRefusal = {
  status: 429 | 503;
  code: 'WEBHOOK_OVERLOADED' | 'KAFKA_UNAVAILABLE';
  reason: 'in_flight' | 'event_loop_delay' | 'kafka_queue';
  message: string;
  details: Record<string, number>;
};

export type Admission = { admitted: true; release(): void } | ({ admitted: false } & AdmissionRefusal);

export interface AdmissionControl {
  /** Takes a slot (release it once the delivery is answered) or says why not. */
  admit(): Admission;
  /** Deliveries admitted and not released. */
  inFlight(): number;
}

export function createAdmissionControl(
  limits: AdmissionLimits,
  measures: AdmissionMeasures,
): AdmissionControl {
  let inFlight = 0;
  const refuse = (refusal: AdmissionRefusal): Admission => ({ admitted: false, ...refusal });

  return {
    inFlight: () => inFlight,
    admit() {
      if (inFlight >= limits.maxInFlight) {
        return refuse({
          status: 429,
          code: 'WEBHOOK_OVERLOADED',
          reason: 'in_flight',
          message: 'too many deliveries in flight, retry later',
          details: { maxInFlight: limits.maxInFlight },
        });
      }
      const delayMs = inFlight >= limits.delayShedMinInFlight ? measures.eventLoopDelayMs() : 0;
      if (delayMs > limits.maxEventLoopDelayMs) {
        return refuse({
          status: 429,
          code: 'WEBHOOK_OVERLOADED',
          reason: 'event_loop_delay',
          message: 'the gateway is saturated, retry later',
          details: { eventLoopDelayMs: Math.round(delayMs), maxEventLoopDelayMs: limits.maxEventLoopDelayMs },
        });
      }
      const queued = measures.queuedToKafka();
      if (queued >= limits.maxQueuedToKafka) {
        return refuse({
          status: 503,
          code: 'KAFKA_UNAVAILABLE',
          reason: 'kafka_queue',
          message: `Kafka is behind: ${queued} publications not yet committed, retry later`,
          details: { queuedToKafka: queued, maxQueuedToKafka: limits.maxQueuedToKafka },
        });
      }
      inFlight++;
      let released = false;
      return {
        admitted: true,
        release() {
          if (released) return;
          released = true;
          inFlight--;
        },
      };
    },
  };
}
