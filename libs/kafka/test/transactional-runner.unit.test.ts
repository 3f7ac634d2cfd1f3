import { TributaryError } from '@tributary/core';
import { transactionalRunner, type TransactionalHandler } from '../src/consumer/runners';
import { KnownPositions } from '../src/consumer/skip-applied';
import type { BatchOutcome, DecodedBatch } from '../src/consumer/types';
import { DlqLimitExceededError } from '../src/dlq-limit';
import { InMemoryCheckpointer, good, payload, processorOf, type Journal, type N } from './consumer-fakes';

/** The chain with a transactional handler over the in-memory checkpointer (its journal is the transaction). */
function setup(
  handle: (batches: readonly DecodedBatch<N>[]) => Promise<readonly BatchOutcome[]> = async (b) =>
    b.map(() => ({ failures: [] })),
  options: { maxConsecutiveFailures?: number; lingerMs?: number; known?: KnownPositions } = {},
) {
  const checkpointer = new InMemoryCheckpointer();
  const applied: string[] = [];
  const groups: number[] = [];
  const handler: TransactionalHandler<N, Journal> = {
    transaction: (fn) => checkpointer.transaction(fn),
    async handle(_tx, batches) {
      groups.push(batches.length);
      const outcomes = await handle(batches);
      applied.push(...batches.flatMap((b) => b.messages.map((m) => `${b.partition}@${m.offset}`)));
      return outcomes;
    },
    checkpointer,
  };
  const processor = processorOf(
    (deadLetters) =>
      transactionalRunner(handler, {
        groupId: 'g',
        deadLetters,
        groupCommit: { lingerMs: options.lingerMs ?? 0 },
      }),
    {
      checkpointer,
      dlq: { maxConsecutiveFailures: options.maxConsecutiveFailures },
      ...(options.known ? { known: options.known } : {}),
    },
  );
  return { ...processor, checkpointer, applied, groups };
}

describe('transactional runner (handle, dead-letter and checkpoint in one transaction)', () => {
  it('when a batch is applied, then its next offset is stored with it and Kafka gets the offset resolved after', async () => {
    const { process, checkpointer, applied } = setup();
    const { p, resolveOffset } = payload([good(1), good(2)], 10);
    await process(p);
    expect(applied).toEqual(['0@10', '0@11']);
    expect(checkpointer.positions.get('g/t/0')).toBe('12');
    expect(resolveOffset).toHaveBeenCalledWith('11');
  });

  it('when the same batch is fetched again after the commit, then it is not handed to the handler twice', async () => {
    const { process, applied, checkpointer } = setup();
    await process(payload([good(1), good(2)]).p);
    await process(payload([good(1), good(2), good(3)]).p);
    expect(applied).toEqual(['0@0', '0@1', '0@2']);
    expect(checkpointer.positions.get('g/t/0')).toBe('3');
  });

  it('when batches of several partitions arrive together, then they share one transaction', async () => {
    const { process, groups, checkpointer } = setup(undefined, { lingerMs: 5 });
    await Promise.all([process(payload([good(1)], 0, 0).p), process(payload([good(2)], 4, 1).p)]);
    expect(groups).toEqual([2]);
    expect(checkpointer.commits).toBe(1);
    expect([...checkpointer.positions]).toEqual([
      ['g/t/0', '1'],
      ['g/t/1', '5'],
    ]);
  });

  it('when the handler reports a failure, then it is dead-lettered with its code inside the transaction, and the offset moves past it', async () => {
    const { process, routed, checkpointer } = setup(async (batches) =>
      batches.map((b) => ({
        failures: [{ offset: b.messages[0]!.offset, error: new TributaryError('RECORD_MALFORMED', 'no id') }],
      })),
    );
    await process(payload([good(1), good(2)]).p);
    expect(routed.map((e) => [e.record.offset, (e.error as TributaryError).code])).toEqual([
      ['0', 'RECORD_MALFORMED'],
    ]);
    expect(checkpointer.positions.get('g/t/0')).toBe('2');
  });

  it('when the dead letters cross the limit, then the transaction rolls back: no checkpoint, nothing resolved', async () => {
    const { process, routed, checkpointer } = setup(
      async (batches) =>
        batches.map((b) => ({
          failures: b.messages.map((m) => ({ offset: m.offset, error: new Error('bad') })),
        })),
      { maxConsecutiveFailures: 1 },
    );
    const { p, resolveOffset } = payload([good(1), good(2)]);
    await expect(process(p)).rejects.toBeInstanceOf(DlqLimitExceededError);
    expect(routed).toHaveLength(0);
    expect(checkpointer.commits).toBe(0);
    expect(resolveOffset).not.toHaveBeenCalled();
  });

  it('when the handler returns fewer outcomes than batches, then the consumer stops with CONSUMER_HANDLER_FAILED', async () => {
    const { process, checkpointer } = setup(async () => []);
    await expect(process(payload([good(1)]).p)).rejects.toMatchObject({
      code: 'CONSUMER_HANDLER_FAILED',
      retriable: false,
    });
    expect(checkpointer.commits).toBe(0);
  });

  describe('with the positions it knows (read once per assignment)', () => {
    it('when batches follow one another, then the stored position is read once and a batch fetched again after its commit is still skipped', async () => {
      const known = new KnownPositions();
      const { process, applied, checkpointer } = setup(undefined, { known });
      checkpointer.positions.set('g/t/0', '1');
      await process(payload([good(0), good(1), good(2)]).p);
      await process(payload([good(3), good(4)], 3).p);
      await process(payload([good(3), good(4), good(5)], 3).p);
      expect(applied).toEqual(['0@1', '0@2', '0@3', '0@4', '0@5']);
      expect(checkpointer.reads).toBe(1);
      expect(known.get('t', 0)).toBe(6n);
      expect(checkpointer.positions.get('g/t/0')).toBe('6');
    });

    it('when a batch fails, then its position is read again: what another run stored meanwhile is skipped', async () => {
      const known = new KnownPositions();
      let fail = true;
      const { process, applied, checkpointer } = setup(
        async (b) => {
          if (fail) throw new TributaryError('DB_UNAVAILABLE', 'down', { retriable: true });
          return b.map(() => ({ failures: [] }));
        },
        { known },
      );
      await expect(process(payload([good(0), good(1)]).p)).rejects.toMatchObject({ code: 'DB_UNAVAILABLE' });
      expect(known.get('t', 0)).toBeUndefined();
      // The transaction's outcome was unknown to this member: it had committed after all.
      checkpointer.positions.set('g/t/0', '2');
      fail = false;
      await process(payload([good(0), good(1), good(2)]).p);
      expect(applied).toEqual(['0@2']);
      expect(checkpointer.reads).toBe(2);
    });

    it('when the group rebalanced (clear), then each partition is read again', async () => {
      const known = new KnownPositions();
      const { process, applied, checkpointer } = setup(undefined, { known });
      await process(payload([good(0)]).p);
      known.clear();
      // Another member held the partition meanwhile and applied up to offset 4.
      checkpointer.positions.set('g/t/0', '5');
      await process(payload([good(1), good(2), good(3), good(4), good(5)], 1).p);
      expect(applied).toEqual(['0@0', '0@5']);
      expect(checkpointer.reads).toBe(2);
    });
  });
});
