/**
 * The simulated CuraGenesis data set: records are generated on demand from (seed, kind, index), never
 * stored. Orders sit in contiguous blocks per practice (block sizes follow a seeded weight per practice),
 * so the orders of a practice are an index range and the practice of an order is a binary search over
 * one offset per practice (layout.ts). Mutations live in a small overlay (overlay.ts, mutations.ts).
 * This object is also the truth that tests compare the PostgreSQL copy against.
 */
import { ValidationError } from '@tributary/core';
import {
  emailOf,
  parseEmail,
  parseInvoiceId,
  parseOrderId,
  parsePracticeId,
  parseUserId,
  practiceIdOf,
  userIdOf,
} from './ids';
import { BaseLayout } from './layout';
import { MalformedRules, type MalformedConfig } from './malformed';
import { Overlay } from './overlay';
import {
  buildOrder,
  orderDateFraction,
  orderItems,
  practiceBase,
  practiceFieldsAt,
  practiceName,
  repCountFor,
  repName,
  repOfPractice,
  DAY_MS,
  type GenContext,
} from './records';
import { seedNumber, unitFor, Stream } from './prng';
import type { Dataset, DatasetOptions, Order, OrderItem, Practice, RecordKind } from './types';

export type { Dataset, DatasetOptions } from './types';

export class SimDataset implements Dataset {
  readonly seed: number;
  readonly now: Date;
  readonly ctx: GenContext;
  readonly basePractices: number;
  readonly baseOrders: number;
  readonly malformed: MalformedRules;
  private readonly layout: BaseLayout;
  private readonly overlay: Overlay;

  constructor(options: DatasetOptions = {}) {
    const practices = options.practices ?? 2_000;
    const orders = options.orders ?? 20_000;
    if (!Number.isSafeInteger(practices) || practices < 1) {
      throw new ValidationError('practices must be an integer >= 1');
    }
    if (!Number.isSafeInteger(orders) || orders < 0)
      throw new ValidationError('orders must be an integer >= 0');
    this.seed = seedNumber(options.seed ?? 42);
    this.now = new Date(options.now ?? '2026-01-01T00:00:00Z');
    this.ctx = { seed: this.seed, nowMs: this.now.getTime(), repCount: repCountFor(practices) };
    this.basePractices = practices;
    this.baseOrders = orders;
    this.malformed = new MalformedRules(this.seed);
    this.layout = new BaseLayout(practices, orders, this.ctx);
    this.overlay = new Overlay(this.ctx.nowMs);
  }

  // ---- practices -------------------------------------------------------------------------------

  countPractices(): number {
    return this.basePractices + this.overlay.insertedPractices;
  }

  practiceIndexOf(practiceId: string): number | undefined {
    const index = parsePracticeId(practiceId);
    return index !== undefined && index < this.countPractices() ? index : undefined;
  }

  practiceIndexOfUser(userId: string): number | undefined {
    const index = parseUserId(userId);
    return index !== undefined && index < this.countPractices() ? index : undefined;
  }

  practiceIndexOfEmail(email: string): number | undefined {
    const index = parseEmail(email);
    return index !== undefined && index < this.countPractices() ? index : undefined;
  }

  activatedAtOf(p: number): number | null {
    return this.overlay.practice(p)?.activatedAtMs ?? this.layout.activatedAtOf(p);
  }

  practice(index: number): Practice {
    this.assertPractice(index);
    const inserted = index >= this.basePractices;
    const base = practiceBase(this.ctx, index, inserted);
    const o = this.overlay.practice(index);
    const fields = practiceFieldsAt(this.ctx, index, base, o?.version ?? 0);
    const activatedAt = this.activatedAtOf(index);
    return {
      practiceId: practiceIdOf(index),
      userId: userIdOf(index),
      curaIntakeId: fields.curaIntakeId,
      specialty: fields.specialty,
      state: fields.state,
      activatedAt,
      activatedAtIso: activatedAt === null ? null : new Date(activatedAt).toISOString(),
      totalOrders: this.totalOrdersOf(index),
      salesRep: repName(this.ctx, repOfPractice(this.ctx, index)),
      updatedAt: new Date(o?.updatedAtMs ?? this.baseUpdatedAtMs(index)).toISOString(),
    };
  }

  practiceById(practiceId: string): Practice | undefined {
    const index = this.practiceIndexOf(practiceId);
    return index === undefined ? undefined : this.practice(index);
  }

  *iteratePractices(): IterableIterator<Practice> {
    for (let p = 0; p < this.countPractices(); p++) yield this.practice(p);
  }

  createdPractice(practiceId: string): Practice {
    const index = this.requirePractice(practiceId);
    const base = practiceBase(this.ctx, index, index >= this.basePractices);
    const current = this.practice(index);
    return {
      ...current,
      curaIntakeId: base.curaIntakeId,
      specialty: base.specialty,
      state: base.state,
      activatedAt: null,
      activatedAtIso: null,
      totalOrders: 0,
    };
  }

  practiceName(practiceId: string): string {
    const index = this.requirePractice(practiceId);
    return practiceName(this.ctx, index, practiceBase(this.ctx, index, index >= this.basePractices).state);
  }

  emailOf(practiceId: string): string {
    return emailOf(this.requirePractice(practiceId));
  }

  countReps(): number {
    return this.ctx.repCount;
  }

  repOfPractice(p: number): number {
    return repOfPractice(this.ctx, p);
  }

  /** Indexes of practices whose updatedAt comes from the overlay (updated or inserted), ascending. */
  changedPracticeIndexes(): number[] {
    return this.overlay.changedPractices();
  }

  /** Every base (never mutated) practice has updatedAt <= this (strictly before the data set's now). */
  get baseUpdatedAtCeilingMs(): number {
    return this.ctx.nowMs - 1;
  }

  updatedAtMsOf(p: number): number {
    return this.overlay.practice(p)?.updatedAtMs ?? this.baseUpdatedAtMs(p);
  }

  private baseUpdatedAtMs(p: number): number {
    const jitter = unitFor(this.seed, Stream.practiceUpdatedAt, p);
    const activatedAt = this.activatedAtOf(p);
    if (activatedAt === null) return this.ctx.nowMs - 1 - Math.floor(jitter * 365 * DAY_MS);
    const [start, end] = this.baseOrderRange(p);
    const last = end > start ? this.orderDateMs(end - 1, p) : activatedAt;
    return last + Math.floor(jitter * Math.min(2 * DAY_MS, this.ctx.nowMs - 1 - last));
  }

  totalOrdersOf(p: number): number {
    const [start, end] = this.baseOrderRange(p);
    return end - start + this.overlay.ordersOf(p).length;
  }

  // ---- orders ----------------------------------------------------------------------------------

  countOrders(): number {
    return this.baseOrders + this.overlay.insertedOrders;
  }

  /** [start, end) of the base orders of practice p (empty for inserted practices). */
  baseOrderRange(p: number): [number, number] {
    return this.layout.orderRange(p);
  }

  /** Order indexes added by mutations for practice p, ascending. */
  extraOrdersOf(p: number): readonly number[] {
    return this.overlay.ordersOf(p);
  }

  practiceOfOrder(i: number): number {
    return i >= this.baseOrders
      ? this.overlay.orderPracticeAt(i - this.baseOrders)
      : this.layout.practiceOf(i);
  }

  private orderDateMs(i: number, p: number): number {
    if (i >= this.baseOrders) return this.overlay.orderTimeAt(i - this.baseOrders);
    const activatedAt = this.activatedAtOf(p) as number;
    const [start, end] = this.baseOrderRange(p);
    const fraction = (i - start + orderDateFraction(this.ctx, i)) / (end - start);
    return activatedAt + Math.floor(fraction * (this.ctx.nowMs - activatedAt));
  }

  orderDateMsOf(i: number): number {
    return this.orderDateMs(i, this.practiceOfOrder(i));
  }

  order(index: number): Order {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.countOrders()) {
      throw new ValidationError(`order index ${index} out of range`);
    }
    const p = this.practiceOfOrder(index);
    return buildOrder(this.ctx, index, p, this.orderDateMs(index, p));
  }

  orderIndexOf(orderId: string): number | undefined {
    const index = parseOrderId(orderId);
    return index !== undefined && index < this.countOrders() ? index : undefined;
  }

  orderIndexOfInvoice(invoiceId: string): number | undefined {
    const index = parseInvoiceId(invoiceId);
    return index !== undefined && index < this.countOrders() ? index : undefined;
  }

  orderById(orderId: string): Order | undefined {
    const index = this.orderIndexOf(orderId);
    return index === undefined ? undefined : this.order(index);
  }

  *iterateOrders(): IterableIterator<Order> {
    for (let i = 0; i < this.countOrders(); i++) yield this.order(i);
  }

  *orderIndexesOfPractice(p: number): IterableIterator<number> {
    const [start, end] = this.baseOrderRange(p);
    for (let i = start; i < end; i++) yield i;
    yield* this.extraOrdersOf(p);
  }

  ordersOfPractice(practiceId: string): Order[] {
    const p = this.practiceIndexOf(practiceId);
    if (p === undefined) return [];
    return [...this.orderIndexesOfPractice(p)].map((i) => this.order(i));
  }

  orderItems(orderId: string): OrderItem[] {
    const index = this.orderIndexOf(orderId);
    if (index === undefined) throw new ValidationError(`unknown order ${orderId}`);
    return orderItems(this.ctx, index);
  }

  isMalformed(kind: RecordKind, id: string): boolean {
    const index = kind === 'practice' ? this.practiceIndexOf(id) : this.orderIndexOf(id);
    return index !== undefined && this.malformed.applies(kind, id, index);
  }

  setMalformed(config: MalformedConfig | undefined): void {
    this.malformed.configure(config);
  }

  // ---- overlay (used by mutations.ts) ----------------------------------------------------------

  nextMutationMs(): number {
    return this.overlay.nextMutationMs();
  }

  nextMutationSerial(): number {
    return this.overlay.nextMutationSerial();
  }

  noteMutationAt(ms: number): void {
    this.overlay.noteMutationAt(ms);
  }

  insertPractice(atMs: number): number {
    const index = this.countPractices();
    this.overlay.insertedPractices++;
    this.overlay.touch(index, atMs);
    return index;
  }

  updatePractice(p: number, atMs: number): void {
    this.overlay.touch(p, atMs, { bumpVersion: true });
  }

  /** Activates practice p at atMs; false when it already was active. */
  activatePractice(p: number, atMs: number): boolean {
    if (this.activatedAtOf(p) !== null) return false;
    this.overlay.touch(p, atMs, { activatedAtMs: atMs });
    return true;
  }

  /** Inserts an order for practice p; the practice's totalOrders changes, so its updatedAt does too. */
  insertOrder(p: number, atMs: number): number {
    const index = this.countOrders();
    this.overlay.addOrder(index, p, atMs);
    this.overlay.touch(p, atMs);
    return index;
  }

  describe(): { practices: number; orders: number; reps: number; seed: number; now: string } {
    return {
      practices: this.countPractices(),
      orders: this.countOrders(),
      reps: this.countReps(),
      seed: this.seed,
      now: this.now.toISOString(),
    };
  }

  private assertPractice(index: number): void {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.countPractices()) {
      throw new ValidationError(`practice index ${index} out of range`);
    }
  }

  private requirePractice(practiceId: string): number {
    const index = this.practiceIndexOf(practiceId);
    if (index === undefined) throw new ValidationError(`unknown practice ${practiceId}`);
    return index;
  }
}

export function createDataset(options: DatasetOptions = {}): SimDataset {
  return new SimDataset(options);
}
