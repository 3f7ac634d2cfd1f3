import { ValidationError } from '@tributary/core';
import {
  ENTITIES,
  isTimed,
  type EntityCounts,
  type RepcardEntity,
  type RepcardRecord,
  type TimedEntity,
} from './entities';
import { DEFAULT_MALFORM_KINDS, malform, malformKindFor, type MalformKind } from './malform';
import type { Overlay } from './overlay';
import { poison, type PoisonKind } from './poison';
import { unit } from './random';
import { renderAppointment } from './records/appointments';
import { renderAppointmentAttachment, renderCustomerAttachment } from './records/attachments';
import type { RecordTimes, RenderContext } from './records/context';
import { renderCustomer } from './records/customers';
import { renderOffice } from './records/offices';
import { renderStatusLog, statusLogId } from './records/status-logs';
import { renderUser, type UserExtras } from './records/users';
import { SALT, type ChildEntity, type World } from './world';

export interface RenderOptions {
  /** Render appointment wall-clock times in this IANA zone (the `UserTimeZone` header). */
  userTimeZone?: string;
  /** Extra user fields (`firstVerifiedDoorKnock=1`, `firstAppointment=1`). */
  userExtras?: UserExtras;
  /** Customer attachments as the per-customer endpoint renders them (title, fileName, timestamps). */
  detailed?: boolean;
}

export interface MalformedConfig {
  rate?: number;
  kinds?: readonly MalformKind[];
  ids?: Partial<Record<RepcardEntity, ReadonlyArray<number | string>>>;
  indices?: Partial<Record<RepcardEntity, readonly number[]>>;
}

/**
 * The truth the simulator serves: generated records plus the mutation overlay, rendered lazily.
 * Tests compare what a sync stored against `record()` / `iterate()` record for record.
 */
export class Dataset implements RenderContext {
  private malformRate = 0;
  private malformKinds: readonly MalformKind[] = DEFAULT_MALFORM_KINDS;
  private malformIds = new Map<RepcardEntity, Set<string>>();
  private malformIndices = new Map<RepcardEntity, Set<number>>();
  private poisoned = new Map<RepcardEntity, Map<number, PoisonKind>>();

  constructor(
    readonly world: World,
    private readonly overlay: Overlay,
  ) {}

  /** Records currently served (generated + inserted). */
  count(entity: RepcardEntity): number {
    return this.world.counts[entity] + this.overlay.insertedCount(entity);
  }

  counts(): EntityCounts {
    return Object.fromEntries(ENTITIES.map((e) => [e, this.count(e)])) as EntityCounts;
  }

  /** Records generated from the seed (before inserts). */
  baseCount(entity: RepcardEntity): number {
    return this.world.counts[entity];
  }

  /** The record at `index` (0-based, id order) exactly as the list endpoint serves it (malformed, poisoned or not). */
  record(entity: RepcardEntity, index: number, options: RenderOptions = {}): RepcardRecord {
    const clean = this.cleanRecord(entity, index, options);
    if (this.isMalformed(entity, index)) return malform(entity, clean, this.malformKind(entity, index));
    const kind = this.poisonOf(entity, index);
    return kind === undefined ? clean : poison(entity, clean, kind);
  }

  /** How the record at `index` is poisoned (the `poison` fault), if it is. */
  poisonOf(entity: RepcardEntity, index: number): PoisonKind | undefined {
    return this.poisoned.get(entity)?.get(index);
  }

  setPoison(
    config: Partial<Record<RepcardEntity, ReadonlyArray<{ index: number; kind: PoisonKind }>>> = {},
  ): void {
    this.poisoned = new Map(
      Object.entries(config).map(([e, list]) => [
        e as RepcardEntity,
        new Map(list.map((p) => [p.index, p.kind])),
      ]),
    );
  }

  /** The record at `index` before any malformation. */
  cleanRecord(entity: RepcardEntity, index: number, options: RenderOptions = {}): RepcardRecord {
    this.checkIndex(entity, index);
    switch (entity) {
      case 'users':
        return renderUser(this, index, options.userExtras);
      case 'offices':
        return renderOffice(this, index);
      case 'customers':
        return renderCustomer(this, index);
      case 'appointments':
        return renderAppointment(this, index, options.userTimeZone);
      case 'status_logs':
        return renderStatusLog(this, index);
      case 'customer_attachments':
        return renderCustomerAttachment(this, index, options.detailed);
      case 'appointment_attachments':
        return renderAppointmentAttachment(this, index);
      default: {
        const never: never = entity;
        return never;
      }
    }
  }

  /** Every record of the entity in id order, inserted ones last, as served. */
  *iterate(entity: RepcardEntity, options: RenderOptions = {}): IterableIterator<RepcardRecord> {
    const n = this.count(entity);
    for (let i = 0; i < n; i++) yield this.record(entity, i, options);
  }

  isMalformed(entity: RepcardEntity, index: number): boolean {
    if (this.malformIndices.get(entity)?.has(index)) return true;
    const ids = this.malformIds.get(entity);
    if (ids && ids.has(String(this.idOf(entity, index)))) return true;
    return this.malformRate > 0 && unit(this.world.hash(entity, index, SALT.malformed)) < this.malformRate;
  }

  malformKind(entity: RepcardEntity, index: number): MalformKind {
    return malformKindFor(entity, this.world.hash(entity, index, SALT.malformKind), this.malformKinds);
  }

  /** Indices of malformed records (scans; meant for tests on small data sets). */
  malformedIndices(entity: RepcardEntity): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.count(entity); i++) if (this.isMalformed(entity, i)) out.push(i);
    return out;
  }

  /** The record's id (a number, or the `_id` string of a status log). */
  idOf(entity: RepcardEntity, index: number): number | string {
    return entity === 'status_logs' ? statusLogId(this, index) : this.world.idOf(entity, index);
  }

  indexOfId(entity: RepcardEntity, id: number | string): number | undefined {
    let index: number | undefined;
    if (entity === 'status_logs') {
      index = typeof id === 'string' ? this.world.indexOfObjectId(id) : undefined;
      if (index !== undefined && (index >= this.count(entity) || this.idOf(entity, index) !== id))
        return undefined;
      return index;
    }
    index = this.world.indexOfId(entity, Number(id));
    return index !== undefined && index < this.count(entity) ? index : undefined;
  }

  /** createdAt/updatedAt (visible or hidden) after mutations. */
  timesOf(entity: TimedEntity, index: number): RecordTimes {
    const base = this.world.counts[entity];
    const update = this.overlay.updateOf(entity, index);
    if (index >= base) {
      const createdAtMs = this.overlay.insertedAtMs(entity, index - base);
      return { createdAtMs, updatedAtMs: update?.updatedAtMs ?? createdAtMs };
    }
    return {
      createdAtMs: this.world.createdAtMs(entity, index),
      updatedAtMs: update?.updatedAtMs ?? this.world.updatedAtMs(entity, index),
    };
  }

  /** Hidden and visible timestamps as Dates (null for users and offices, which have none). */
  times(entity: RepcardEntity, index: number): { createdAt: Date; updatedAt: Date } | null {
    if (!isTimed(entity)) return null;
    this.checkIndex(entity, index);
    const t = this.timesOf(entity, index);
    return { createdAt: new Date(t.createdAtMs), updatedAt: new Date(t.updatedAtMs) };
  }

  revOf(entity: RepcardEntity, index: number): number {
    return this.overlay.updateOf(entity, index)?.rev ?? 0;
  }

  parentOf(child: ChildEntity, index: number): number {
    const base = this.world.counts[child];
    const createdAtMs =
      index < base ? this.world.createdAtMs(child, index) : this.overlay.insertedAtMs(child, index - base);
    return this.world.parentIndex(child, index, createdAtMs);
  }

  /** Indices of `child` records pointing at parent `parentIndex`, ascending. */
  childrenOf(child: ChildEntity, parentIndex: number): number[] {
    const out: number[] = [];
    const parent = child === 'appointment_attachments' ? 'appointments' : 'customers';
    if (parentIndex < this.world.counts[parent]) {
      const [lo, hi] = this.world.childScanRange(child, parentIndex);
      for (let i = lo; i < hi; i++) if (this.parentOf(child, i) === parentIndex) out.push(i);
    }
    const base = this.world.counts[child];
    for (let i = base; i < this.count(child); i++) if (this.parentOf(child, i) === parentIndex) out.push(i);
    return out;
  }

  removedIndices(entity: RepcardEntity): readonly number[] {
    return this.overlay.removedIndices(entity);
  }

  updatedIndices(entity: RepcardEntity): readonly number[] {
    return this.overlay.updatedIndices(entity);
  }

  insertedCount(entity: RepcardEntity): number {
    return this.overlay.insertedCount(entity);
  }

  /** Changes every time a mutation lands. */
  get version(): number {
    return this.overlay.version;
  }

  setMalformed(config: MalformedConfig): void {
    this.malformRate = config.rate ?? 0;
    this.malformKinds = config.kinds ?? DEFAULT_MALFORM_KINDS;
    this.malformIds = new Map(
      Object.entries(config.ids ?? {}).map(([e, ids]) => [e as RepcardEntity, new Set(ids.map(String))]),
    );
    this.malformIndices = new Map(
      Object.entries(config.indices ?? {}).map(([e, indices]) => [e as RepcardEntity, new Set(indices)]),
    );
  }

  private checkIndex(entity: RepcardEntity, index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.count(entity)) {
      throw new ValidationError(`${entity} index ${index} is outside 0..${this.count(entity) - 1}`);
    }
  }
}
