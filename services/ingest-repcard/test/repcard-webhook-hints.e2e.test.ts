import { randomBytes } from 'node:crypto';
import { repcardWebhookBody, sendRepcardWebhook } from '../../../tools/sim-repcard/src';
import { metricValue, startServiceProcess, waitFor, type ServiceProcess } from '@tributary/testkit';
import { startPipeline, type Pipeline } from '../../../libs/testkit/src/repcard-pipeline';

// RepCard webhooks as hints (issue 13 item 4, ADR 0026): the gateway accepts them on a secret path
// per event (off unless REPCARD_WEBHOOK_PATH_SECRET is set) and trusts nothing in them;
// ingest-repcard re-fetches the record each names and projects the source's answer, and a removal
// the source confirms marks the row deleted.
const PATH_SECRET = randomBytes(24).toString('hex');

describe('RepCard webhooks as hints', () => {
  let p: Pipeline;
  let gateway: ServiceProcess | undefined;
  afterEach(async () => {
    await gateway?.stop();
    await p?.close();
  });

  async function row(table: string, key: string, id: string) {
    const { rows } = await p.pool.query<{
      raw_data: Record<string, unknown>;
      via: string;
      deleted_at: Date | null;
    }>(`SELECT raw_data, _observed_via AS via, deleted_at FROM ${table} WHERE ${key} = $1`, [id]);
    return rows[0];
  }

  it('when contact and appointment webhooks arrive, then their records are re-fetched from the source, and a removal the source confirms marks the row deleted while a stale one does not', async () => {
    p = await startPipeline({ seed: 515, size: 3_000 });
    gateway = startServiceProcess('webhook-gateway', {
      ...p.env,
      CURAGENESIS_WEBHOOK_SECRET: 'repcard-hints-suite-secret-0123456789abcdef',
      REPCARD_WEBHOOK_PATH_SECRET: PATH_SECRET,
      INTERNAL_PORT: '0',
    });
    const gatewayBaseUrl = `http://127.0.0.1:${await gateway.port()}`;
    const ds = p.sim.dataset;
    const send = (event: Parameters<typeof repcardWebhookBody>[1], index: number, body?: unknown) =>
      waitFor(
        async () => {
          const r = await sendRepcardWebhook({
            gatewayBaseUrl,
            pathSecret: PATH_SECRET,
            event,
            body: body ?? repcardWebhookBody(ds, event, index),
          }).catch(() => undefined);
          return r?.status === 202 ? r : undefined;
        },
        { timeoutMs: 90_000, intervalMs: 500, description: `${event} accepted (202)` },
      );

    // A wrong secret is an unknown path.
    const wrong = await sendRepcardWebhook({
      gatewayBaseUrl,
      pathSecret: 'x'.repeat(48),
      event: 'contact-updated',
      body: {},
    }).catch(() => undefined);
    expect(wrong === undefined || wrong.status === 404).toBe(true);

    const kept = String(ds.idOf('customers', 5));
    const gone = String(ds.idOf('customers', 6));
    // A partial, stale body: only the id is believed.
    await send('contact-updated', 5, { id: Number(kept), firstName: 'Stale' });
    await send('contact-new', 6);
    const appointment = String(ds.idOf('appointments', 2));
    await send('appointment-outcome', 2);
    const wait = (
      table: string,
      key: string,
      id: string,
      ok: (r: NonNullable<Awaited<ReturnType<typeof row>>>) => boolean,
      what: string,
    ) =>
      waitFor(
        async () => {
          const r = await row(table, key, id);
          return r && ok(r) ? r : undefined;
        },
        { timeoutMs: 60_000, description: what },
      );
    const customer = await wait(
      'repcard_customers',
      'repcard_customer_id',
      kept,
      (r) => r.via === 're-fetch',
      'customer re-fetched',
    );
    expect(customer.raw_data.firstName).toBe(ds.record('customers', 5).firstName);
    await wait(
      'repcard_customers',
      'repcard_customer_id',
      gone,
      (r) => r.via === 're-fetch',
      'second customer re-fetched',
    );
    await wait(
      'repcard_appointments',
      'repcard_appointment_id',
      appointment,
      (r) => r.via === 're-fetch',
      'appointment re-fetched',
    );

    // Customers the ingest re-fetched and the source had (a re-fetch is counted before its answer is
    // published, so both customers' re-fetches above are in it).
    const customersFound = () =>
      metricValue(p.ingest, 'tributary_webhook_hints_total', ['entity="customers"', 'outcome="found"']);
    const foundBefore = await customersFound();
    expect(foundBefore).toBeGreaterThanOrEqual(2);

    p.sim.mutate({ entity: 'customers', remove: [6] });
    await send('contact-removed', 6);
    await send('contact-removed', 5); // stale: the source still has it
    await wait(
      'repcard_customers',
      'repcard_customer_id',
      gone,
      (r) => r.deleted_at !== null,
      'removed customer marked deleted',
    );
    // The stale removal was re-fetched too and found (a newer observation, not a deletion) and left
    // the row live: of the two removals only the kept customer's can be found (the other's row is
    // deleted above: its re-fetch was absent), so one more found customer is the kept one.
    await waitFor(async () => (await customersFound()) >= foundBefore + 1, {
      timeoutMs: 60_000,
      description: 'stale removal re-fetched and found',
    });
    await wait(
      'repcard_customers',
      'repcard_customer_id',
      kept,
      (r) => r.deleted_at === null,
      'stale removal re-fetched, row kept',
    );
  }, 300_000);
});
