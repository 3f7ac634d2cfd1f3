import { SyncCancelRequestedContract, TOPICS, contractFor } from '@tributary/contracts';
import { syncCancelRequested } from './examples';
import { expectFieldError } from './expect-field';

describe('SyncCancelRequested', () => {
  it('when the control topic is asked for its contract, then SyncCancelRequested answers', () => {
    expect(contractFor(TOPICS.syncControl)).toBe(SyncCancelRequestedContract);
    expect(SyncCancelRequestedContract.subject).toBe(`${TOPICS.syncControl}-value`);
  });

  it('when a valid cancel is decoded, then it comes back equal', () => {
    expect(SyncCancelRequestedContract.decode(syncCancelRequested)).toEqual(syncCancelRequested);
  });

  it('when the syncId is not a uuid, then decoding names syncId', () => {
    expectFieldError(
      () => SyncCancelRequestedContract.decode({ ...syncCancelRequested, syncId: 'nope' }),
      'syncId',
    );
  });

  it('when requestedBy is empty, then decoding names requestedBy', () => {
    expectFieldError(
      () => SyncCancelRequestedContract.decode({ ...syncCancelRequested, requestedBy: '' }),
      'requestedBy',
    );
  });
});
