import { createHttpService, type HttpService } from '@tributary/http';
import { createLogger, createMetrics } from '@tributary/observability';
import { createAdmissionControl } from '../src/domain/admission';
import type { OutgoingEvent } from '../src/domain/delivery-events';
import { mountRepcardHintRoutes } from '../src/entry-points/repcard-hints';

/** The RepCard hint route on a real server (port 0) with a fake publication: secret path and admission. */
const SECRET = 'a'.repeat(40);

describe('RepCard hint routes', () => {
  let service: HttpService;
  let base: string;
  let published: OutgoingEvent[][];
  let inFlightLimit: number;

  beforeEach(async () => {
    published = [];
    inFlightLimit = 10;
    const logger = createLogger('webhook-gateway', { stream: { write: () => true } });
    const metrics = createMetrics('webhook-gateway');
    const admission = createAdmissionControl(
      { maxInFlight: 1, maxEventLoopDelayMs: 1e9, delayShedMinInFlight: 0, maxQueuedToKafka: 1e9 },
      { eventLoopDelayMs: () => 0, queuedToKafka: () => (published.length >= inFlightLimit ? 1e9 : 0) },
    );
    service = createHttpService({
      service: 'webhook-gateway',
      logger,
      metrics,
      jsonBody: false,
      configure: (app) =>
        mountRepcardHintRoutes(app, {
          pathSecret: SECRET,
          bodyLimit: '1kb',
          publish: async (events) => {
            published.push(events);
          },
          logger,
          metrics,
          admission,
          retryAfterSec: 7,
        }),
    });
    base = `http://127.0.0.1:${await service.start(0, '127.0.0.1')}`;
  });
  afterEach(() => service.stop());

  const post = (secret: string, event = 'contact-updated') =>
    fetch(`${base}/api/webhooks/repcard/${secret}/${event}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 42 }),
    });

  it('when the secret path is right, then 202 and one hint published; a wrong secret is 404 and publishes nothing', async () => {
    expect((await post(SECRET)).status).toBe(202);
    expect((await post('b'.repeat(40))).status).toBe(404);
    expect(published).toHaveLength(1);
  });

  it('when Kafka cannot take more, then 503 with Retry-After at once and nothing published', async () => {
    inFlightLimit = 0;
    const res = await post(SECRET);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(published).toHaveLength(0);
  });
});
