import { CheckpointContract, checkpointKey } from '@tributary/contracts';
import { checkpoint } from './examples';
import { expectFieldError } from './expect-field';

describe('Checkpoint', () => {
  it('when a valid checkpoint is decoded, then it comes back equal', () => {
    expect(CheckpointContract.decode(checkpoint)).toEqual(checkpoint);
  });

  it('when no full sync runs and there is no mark yet, then it is valid', () => {
    const idle = { ...checkpoint, highWaterMark: null, fullSync: null };
    expect(CheckpointContract.decode(idle)).toEqual(idle);
  });

  it('when a cursor-based full sync written without progress fields is decoded, then they default', () => {
    const cursor = { ...checkpoint, fullSync: { syncId: 'x', nextPage: null, cursor: 'abc', pagesDone: 2 } };
    expect(CheckpointContract.decode(cursor).fullSync).toEqual({
      syncId: 'x',
      nextPage: null,
      cursor: 'abc',
      pagesDone: 2,
      fetched: 0,
      malformed: 0,
      completed: false,
      highWaterMarkSoFar: null,
    });
  });

  it('when pagesDone is missing, then decoding names fullSync.pagesDone', () => {
    const bad = { ...checkpoint, fullSync: { syncId: 'x', nextPage: 2, cursor: null } };
    expectFieldError(() => CheckpointContract.decode(bad), 'fullSync.pagesDone');
  });

  it('when the entity is not one of its source, then decoding names entity', () => {
    expectFieldError(() => CheckpointContract.decode({ ...checkpoint, entity: 'practices' }), 'entity');
  });

  it('when building the key, then it is source/entity', () => {
    expect(checkpointKey('repcard', 'status_logs')).toBe('repcard/status_logs');
  });
});
