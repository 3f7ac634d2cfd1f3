import { APPOINTMENT_STATUSES, CUSTOMER_STATUSES } from './catalog';
import { ENTITY_CODE, type EntityCounts, type RepcardEntity, type TimedEntity } from './entities';
import { hashOf, Rng, seed32, unit } from './random';
import { DAY_MS, HOUR_MS, Timeline } from './timeline';

/** Salts of the independent random streams of one record. */
export const SALT = {
  record: 0,
  id: 1,
  jitter: 2,
  updated: 3,
  updateDelta: 4,
  parent: 5,
  user: 6,
  owner: 7,
  closer: 8,
  status: 9,
  statusFrom: 10,
  malformed: 11,
  malformKind: 12,
  office: 13,
  city: 14,
  uploader: 15,
} as const;

const ID_SCHEME: Record<Exclude<RepcardEntity, 'status_logs'>, { base: number; stride: number }> = {
  users: { base: 1_000, stride: 2 },
  offices: { base: 10, stride: 3 },
  customers: { base: 100_000, stride: 3 },
  appointments: { base: 50_000, stride: 2 },
  customer_attachments: { base: 200_000, stride: 2 },
  appointment_attachments: { base: 300_000, stride: 2 },
};

/** How often and how late after creation a record was last updated. */
const UPDATES: Record<TimedEntity, { share: number; maxDeltaMs: number }> = {
  customers: { share: 0.6, maxDeltaMs: 90 * DAY_MS },
  appointments: { share: 0.7, maxDeltaMs: 30 * DAY_MS },
  status_logs: { share: 0.1, maxDeltaMs: HOUR_MS },
  customer_attachments: { share: 0.2, maxDeltaMs: 2 * DAY_MS },
  appointment_attachments: { share: 0.2, maxDeltaMs: 2 * DAY_MS },
};

/** Children point at a parent created in this window before them (or the latest earlier one). */
export const PARENT_WINDOW: Record<
  Exclude<TimedEntity, 'customers'>,
  { parent: TimedEntity; windowMs: number }
> = {
  appointments: { parent: 'customers', windowMs: 30 * DAY_MS },
  status_logs: { parent: 'customers', windowMs: 90 * DAY_MS },
  customer_attachments: { parent: 'customers', windowMs: 60 * DAY_MS },
  appointment_attachments: { parent: 'appointments', windowMs: 14 * DAY_MS },
};

export type NumericIdEntity = keyof typeof ID_SCHEME;
export type ChildEntity = keyof typeof PARENT_WINDOW;

/**
 * The generated (base) data set as pure functions of (seed, entity, index): ids, timestamps and
 * relationships. Nothing is materialised; mutations live in the Overlay, not here.
 */
export class World {
  readonly seed: number;
  readonly nowMs: number;
  private readonly machineId: string;
  private readonly timelines: Record<TimedEntity, Timeline>;

  constructor(
    seed: number,
    readonly counts: EntityCounts,
    now: Date,
  ) {
    this.seed = seed32(seed);
    this.nowMs = Math.floor(now.getTime() / 1000) * 1000;
    this.machineId = new Rng(hashOf(this.seed, ENTITY_CODE.status_logs, 0, SALT.id)).hex(10);
    const startSec = Math.floor((this.nowMs - 730 * DAY_MS) / 1000);
    const spanSec = (730 * DAY_MS - HOUR_MS) / 1000;
    const timeline = (entity: TimedEntity): Timeline =>
      new Timeline(counts[entity], startSec, spanSec, this.seed, ENTITY_CODE[entity], SALT.jitter);
    this.timelines = {
      customers: timeline('customers'),
      appointments: timeline('appointments'),
      status_logs: timeline('status_logs'),
      customer_attachments: timeline('customer_attachments'),
      appointment_attachments: timeline('appointment_attachments'),
    };
  }

  hash(entity: RepcardEntity, index: number, salt: number): number {
    return hashOf(this.seed, ENTITY_CODE[entity], index, salt);
  }

  /** The sequential stream for the cosmetic fields of one record. */
  rng(entity: RepcardEntity, index: number): Rng {
    return new Rng(this.hash(entity, index, SALT.record));
  }

  chance(entity: RepcardEntity, index: number, salt: number, p: number): boolean {
    return unit(this.hash(entity, index, salt)) < p;
  }

  /** Ids grow with the index, with seeded gaps (clients must not assume contiguous ids). */
  idOf(entity: NumericIdEntity, index: number): number {
    const { base, stride } = ID_SCHEME[entity];
    return base + index * stride + (this.hash(entity, index, SALT.id) % stride);
  }

  /** The index an id belongs to, or undefined; the caller checks the index against the count. */
  indexOfId(entity: NumericIdEntity, id: number): number | undefined {
    if (!Number.isSafeInteger(id)) return undefined;
    const { base, stride } = ID_SCHEME[entity];
    const index = Math.floor((id - base) / stride);
    return index >= 0 && this.idOf(entity, index) === id ? index : undefined;
  }

  /** A 24-hex Mongo ObjectId: creation second, a per-seed "machine" part, the index as counter. */
  objectIdOf(index: number, createdAtMs: number): string {
    const ts = Math.floor(createdAtMs / 1000)
      .toString(16)
      .padStart(8, '0')
      .slice(-8);
    return `${ts}${this.machineId}${(index % 0x1000000).toString(16).padStart(6, '0')}`;
  }

  indexOfObjectId(id: string): number | undefined {
    return /^[0-9a-f]{24}$/.test(id) ? parseInt(id.slice(18), 16) : undefined;
  }

  createdAtMs(entity: TimedEntity, index: number): number {
    return this.timelines[entity].createdAtMs(index);
  }

  /** First base index created at or after tMs. */
  lowerBound(entity: TimedEntity, tMs: number): number {
    return this.timelines[entity].lowerBound(tMs);
  }

  /** The largest gap between createdAt and the generated updatedAt (bounds date-filter scans). */
  maxUpdateDeltaMs(entity: TimedEntity): number {
    return UPDATES[entity].maxDeltaMs;
  }

  updatedAtMs(entity: TimedEntity, index: number): number {
    const created = this.createdAtMs(entity, index);
    const { share, maxDeltaMs } = UPDATES[entity];
    if (!this.chance(entity, index, SALT.updated, share)) return created;
    const delta = Math.floor(unit(this.hash(entity, index, SALT.updateDelta)) * (maxDeltaMs / 1000)) * 1000;
    return Math.max(created, Math.min(created + delta, this.nowMs - 1000));
  }

  /** Parent index of a child created at tMs: a parent from the window before, else the latest earlier one. */
  parentIndex(child: ChildEntity, index: number, tMs: number): number {
    const { parent, windowMs } = PARENT_WINDOW[child];
    const hi = this.lowerBound(parent, tMs);
    if (hi === 0) return 0;
    const lo = this.lowerBound(parent, tMs - windowMs);
    if (lo >= hi) return hi - 1;
    return lo + (this.hash(child, index, SALT.parent) % (hi - lo));
  }

  /** Base child indices [lo, hi) that can point at `parentIndex` (a superset; callers re-check). */
  childScanRange(child: ChildEntity, parentIndex: number): [number, number] {
    const { parent, windowMs } = PARENT_WINDOW[child];
    const created = this.createdAtMs(parent, parentIndex);
    const low = parentIndex === 0 ? -Infinity : created;
    const next = parentIndex + 1 < this.counts[parent] ? this.createdAtMs(parent, parentIndex + 1) : Infinity;
    const high = Math.max(created + windowMs, next);
    return [this.lowerBound(child, low), this.lowerBound(child, high + 1)];
  }

  // ---- relationships that do not depend on time ----

  userOfficeIndex(user: number): number {
    return this.hash('users', user, SALT.office) % this.counts.offices;
  }

  userRole(user: number): 'Closer' | 'Manager' | 'Setter' {
    if (user % 4 === 1) return 'Closer';
    return user % 10 === 0 ? 'Manager' : 'Setter';
  }

  /** The setter of a customer (skewed: a few reps own most customers). */
  customerSetterIndex(customer: number): number {
    return Math.floor(this.counts.users * unit(this.hash('customers', customer, SALT.user)) ** 1.6);
  }

  customerOwnerIndex(customer: number): number {
    if (this.chance('customers', customer, SALT.owner, 0.8)) return this.customerSetterIndex(customer);
    return this.hash('customers', customer, SALT.user + 100) % this.counts.users;
  }

  customerStatusIndex(customer: number): number {
    return this.hash('customers', customer, SALT.status) % CUSTOMER_STATUSES.length;
  }

  /** A user with the Closer role, or -1 (no closer yet). */
  appointmentCloserIndex(appointment: number): number {
    const closers = Math.floor((this.counts.users + 2) / 4);
    if (closers === 0 || this.chance('appointments', appointment, SALT.closer, 0.25)) return -1;
    return 1 + 4 * (this.hash('appointments', appointment, SALT.closer + 100) % closers);
  }

  /** Index into APPOINTMENT_STATUSES, or -1 for `status: null`. */
  appointmentStatusIndex(appointment: number): number {
    if (this.chance('appointments', appointment, SALT.status, 0.3)) return -1;
    return this.hash('appointments', appointment, SALT.status + 100) % APPOINTMENT_STATUSES.length;
  }

  statusLogUserIndex(log: number, customer: number): number {
    if (this.chance('status_logs', log, SALT.user, 0.7)) return this.customerSetterIndex(customer);
    return this.hash('status_logs', log, SALT.user + 100) % this.counts.users;
  }

  statusLogToIndex(log: number): number {
    return this.hash('status_logs', log, SALT.status) % CUSTOMER_STATUSES.length;
  }

  /** Index into CUSTOMER_STATUSES, or -1 for `statusFrom: null` (a customer's first status). */
  statusLogFromIndex(log: number): number {
    if (this.chance('status_logs', log, SALT.statusFrom, 0.2)) return -1;
    const n = CUSTOMER_STATUSES.length;
    return (
      (this.statusLogToIndex(log) + 1 + (this.hash('status_logs', log, SALT.statusFrom + 100) % (n - 1))) % n
    );
  }
}
