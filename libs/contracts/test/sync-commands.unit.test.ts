import { SyncRequestedContract, SyncRequestedSchema } from '@tributary/contracts';
import { syncRequested } from './examples';
import { expectFieldError } from './expect-field';

describe('SyncRequested', () => {
  it('when a valid command is decoded, then it comes back equal', () => {
    expect(SyncRequestedContract.decode(syncRequested)).toEqual(syncRequested);
  });

  it('when force is omitted, then it defaults to false', () => {
    const { force: _force, ...withoutForce } = syncRequested;
    expect(SyncRequestedSchema.parse(withoutForce).force).toBe(false);
  });

  it('when entities is empty and the window open, then it is valid (all entities, no bounds)', () => {
    const all = { ...syncRequested, entities: [], window: { from: null, to: null } };
    expect(SyncRequestedContract.decode(all)).toEqual(all);
  });

  it('when the syncId is not a uuid, then decoding names syncId', () => {
    expectFieldError(() => SyncRequestedContract.decode({ ...syncRequested, syncId: 'nope' }), 'syncId');
  });

  it('when a window date is not YYYY-MM-DD, then decoding names window.from', () => {
    const bad = { ...syncRequested, window: { from: '05/17/2024', to: null } };
    expectFieldError(() => SyncRequestedContract.decode(bad), 'window.from');
  });

  it('when the window ends before it starts, then decoding names window.to', () => {
    const bad = { ...syncRequested, window: { from: '2024-05-18', to: '2024-05-17' } };
    expectFieldError(() => SyncRequestedContract.decode(bad), 'window.to');
  });

  it('when an entity belongs to the other source, then decoding names its index', () => {
    const bad = { ...syncRequested, entities: ['customers', 'practices'] };
    expectFieldError(() => SyncRequestedContract.decode(bad), 'entities.1');
  });

  it('when the trigger is unknown, then decoding names trigger', () => {
    expectFieldError(() => SyncRequestedContract.decode({ ...syncRequested, trigger: 'cron' }), 'trigger');
  });
});
