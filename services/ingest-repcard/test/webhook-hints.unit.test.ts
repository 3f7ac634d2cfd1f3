import { repcardWebhookTarget } from '@tributary/contracts';
import { TributaryError } from '@tributary/core';
import type { HintTarget } from '@tributary/sync';
import { recordingGetter } from '../../../libs/testkit/src/recording-getter';
import { refetchRepcard } from '../src/data-access/refetch';

const target = (t: Partial<HintTarget<'repcard'>>): HintTarget<'repcard'> => ({
  entity: 'customers',
  id: '17',
  deliveryId: 'd',
  receivedAt: '2026-01-01T00:00:00.000Z',
  removal: false,
  ...t,
});

describe('RepCard webhooks as hints', () => {
  it('when a webhook body names its record, then the id (and an appointment contact) is read, never anything else', () => {
    expect(repcardWebhookTarget('appointment-outcome', { id: 901, contact: { id: 17 } })).toEqual({
      entity: 'appointments',
      id: '901',
      customerId: '17',
    });
    expect(repcardWebhookTarget('contact-removed', { contact: { id: '42' } })).toEqual({
      entity: 'customers',
      id: '42',
      customerId: null,
    });
    expect(repcardWebhookTarget('user-updated', { name: 'no id' })).toEqual({
      entity: 'users',
      id: null,
      customerId: null,
    });
  });

  it('when the API answers 404 for a customer, then it is absent; when it answers the record, then it is found', async () => {
    const gone = recordingGetter(() => {
      throw new TributaryError('SOURCE_BAD_REQUEST', 'answered 404', { details: { status: 404 } });
    });
    await expect(
      refetchRepcard(gone, target({ removal: true }), { perPage: 100, historyStart: '2015-01-01' }),
    ).resolves.toEqual({
      kind: 'absent',
    });
    const here = recordingGetter(() => ({ status: 1, result: { id: 17, firstName: 'Ada' } }));
    await expect(
      refetchRepcard(here, target({}), { perPage: 100, historyStart: '2015-01-01' }),
    ).resolves.toEqual({
      kind: 'found',
      record: { id: 17, firstName: 'Ada' },
    });
  });

  it('when an appointment is re-fetched, then its customer appointments are read page by page until it is found', async () => {
    const pages = recordingGetter((_path, query) => ({
      status: 1,
      result: { data: query.page === 1 ? [{ id: 1 }] : [{ id: 901, title: 'x' }], totalPages: 2 },
    }));
    const answer = await refetchRepcard(
      pages,
      target({ entity: 'appointments', id: '901', context: { customerId: '17' } }),
      { perPage: 100, historyStart: '2015-01-01', now: () => new Date('2026-03-01T10:00:00Z') },
    );
    expect(answer).toEqual({ kind: 'found', record: { id: 901, title: 'x' } });
    expect(pages.calls[0]).toBe(
      '/appointments?customer_ids=17&from_date=2015-01-01&to_date=2026-03-02&per_page=100&page=1',
    );
    const noContact = await refetchRepcard(pages, target({ entity: 'appointments' }), {
      perPage: 100,
      historyStart: '2015-01-01',
    });
    expect(noContact.kind).toBe('unknown');
  });
});
