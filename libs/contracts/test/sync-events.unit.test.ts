import { SYNC_EVENT_TYPES, SyncEventContract } from '@tributary/contracts';
import { syncEvents } from './examples';
import { expectFieldError } from './expect-field';

describe('SyncEvent', () => {
  it('when the examples are listed, then there is one of every event type', () => {
    expect(syncEvents.map((e) => e.type).sort()).toEqual([...SYNC_EVENT_TYPES].sort());
  });

  it.each(syncEvents.map((e) => [e.type, e] as const))(
    'when a valid %s is decoded, then it comes back equal',
    (_type, event) => {
      expect(SyncEventContract.decode(event)).toEqual(event);
    },
  );

  it('when the type is unknown, then decoding names type', () => {
    expectFieldError(() => SyncEventContract.decode({ ...syncEvents[0], type: 'SyncExploded' }), 'type');
  });

  it('when EntityCompleted has a negative count, then decoding names fetched', () => {
    const completed = syncEvents.find((e) => e.type === 'EntityCompleted')!;
    expectFieldError(() => SyncEventContract.decode({ ...completed, fetched: -1 }), 'fetched');
  });

  it('when SyncCompleted lacks failedEntities, then decoding names failedEntities', () => {
    const { failedEntities: _f, ...bad } = syncEvents.find((e) => e.type === 'SyncCompleted') as {
      failedEntities: string[];
    };
    expectFieldError(() => SyncEventContract.decode(bad), 'failedEntities');
  });

  it('when the version is 2, then decoding names version', () => {
    expectFieldError(() => SyncEventContract.decode({ ...syncEvents[1], version: 2 }), 'version');
  });
});
