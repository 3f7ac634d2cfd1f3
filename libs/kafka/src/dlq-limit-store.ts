import { TributaryError } from '@tributary/core';
import {
  describeBreach,
  resetLimitCommand,
  type DlqLimitBreach,
  type DlqLimitExceededError,
  type DlqLimitState,
} from './dlq-limit';

/** The counts of one partition, to store. */
export interface PartitionLimitState {
  topic: string;
  partition: number;
  state: DlqLimitState;
}

/** Why a consumer group stopped on its DLQ limit, and when: it stays stopped until an operator clears it. */
export interface DlqTrip extends DlqLimitBreach {
  groupId: string;
  topic: string;
  partition: number;
  /** The first dead letter of the batch that crossed the limit. */
  offset?: string;
  /** The log line (counts, ratio, window, the command that clears it). */
  message: string;
  /** ISO time. */
  trippedAt: string;
}

/**
 * Where a consumer keeps its DLQ counts and its trip, so that the limit holds across restarts.
 * `save` is called with the handler's transaction where there is one (the projector: the counts
 * are written with the checkpoint, so a rolled-back batch counts nothing), with `undefined`
 * otherwise (the store writes on its own). `trip` is always written on its own: the batch that
 * crossed the limit is rolled back. Generic over the transaction type: no driver here.
 */
export interface DlqLimitStore<Tx = unknown> {
  /** The counts of a partition as last saved, or undefined. */
  load(groupId: string, topic: string, partition: number): Promise<DlqLimitState | undefined>;
  save(tx: Tx | undefined, groupId: string, states: readonly PartitionLimitState[]): Promise<void>;
  /** The group's trip not cleared yet, if any: the consumer must not run. */
  tripped(groupId: string): Promise<DlqTrip | undefined>;
  trip(trip: DlqTrip): Promise<void>;
  /** Clears the group's trip and counts (an operator's act); returns the trip cleared, if any. */
  reset(groupId: string, by: string): Promise<DlqTrip | undefined>;
}

/** The store of a consumer whose counts live as long as the process (tests, at-least-once consumers). */
export class InMemoryDlqLimitStore implements DlqLimitStore<unknown> {
  private readonly states = new Map<string, DlqLimitState>();
  private readonly trips = new Map<string, DlqTrip>();
  saves = 0;

  async load(groupId: string, topic: string, partition: number): Promise<DlqLimitState | undefined> {
    const state = this.states.get(key(groupId, topic, partition));
    return state && structuredClone(state);
  }

  async save(_tx: unknown, groupId: string, states: readonly PartitionLimitState[]): Promise<void> {
    this.saves += 1;
    for (const s of states) this.states.set(key(groupId, s.topic, s.partition), structuredClone(s.state));
  }

  async tripped(groupId: string): Promise<DlqTrip | undefined> {
    return this.trips.get(groupId);
  }

  async trip(trip: DlqTrip): Promise<void> {
    if (!this.trips.has(trip.groupId)) this.trips.set(trip.groupId, trip);
  }

  async reset(groupId: string, _by?: string): Promise<DlqTrip | undefined> {
    const trip = this.trips.get(groupId);
    this.trips.delete(groupId);
    for (const k of [...this.states.keys()]) if (k.startsWith(`${groupId}\u0000`)) this.states.delete(k);
    return trip;
  }
}

function key(groupId: string, topic: string, partition: number): string {
  return `${groupId}\u0000${topic}\u0000${partition}`;
}

/** The trip an exceeded limit leaves in the store. */
export function tripOf(error: DlqLimitExceededError, at: Date): DlqTrip {
  const { where, breach } = error;
  return {
    ...breach,
    groupId: where.groupId,
    topic: where.topic,
    partition: where.partition,
    ...(where.offset !== undefined ? { offset: where.offset } : {}),
    message: describeBreach(breach, where),
    trippedAt: at.toISOString(),
  };
}

/** A consumer asked to start while its group's DLQ limit is tripped: it stays stopped. */
export class DlqLimitTrippedError extends TributaryError {
  constructor(readonly trip: DlqTrip) {
    super(
      'DLQ_LIMIT_TRIPPED',
      `consumer ${trip.groupId} stays stopped: its DLQ limit tripped at ${trip.trippedAt} ` +
        `(${trip.topic}[${trip.partition}], ${trip.reason}); clear it with \`${resetLimitCommand(trip.groupId)}\``,
      { retriable: false, details: { ...trip } },
    );
  }
}

export function isDlqLimitTrippedError(error: unknown): error is DlqLimitTrippedError {
  return error instanceof DlqLimitTrippedError;
}
