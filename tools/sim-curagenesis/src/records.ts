/**
 * Pure record generators: each field is a function of (seed, kind, index[, version]). Nothing here
 * keeps state; the dataset adds the layout (which orders belong to which practice) and the overlay.
 */
import { FIRST_NAMES, LAST_NAMES, PRACTICE_NAME_PARTS, PRODUCTS, SPECIALTIES, STATES } from './catalog';
import { invoiceIdOf, orderIdOf, practiceIdOf, repIdOf } from './ids';
import { gaussian, hash32, intBetween, pick, pickWeighted, rngFor, Stream, type Rng } from './prng';
import type { Order, OrderItem } from './types';

export const DAY_MS = 86_400_000;
const MAX_AGE_MS = 3 * 365 * DAY_MS;
const INVOICE_TERMS_MS = 30 * DAY_MS;

export interface GenContext {
  seed: number;
  nowMs: number;
  repCount: number;
}

/** The fields of a practice an update may change. */
export interface MutableFields {
  state: string;
  specialty: string | null;
  curaIntakeId: string | null;
}

export interface PracticeBase extends MutableFields {
  /** Null when not activated (always null for practices inserted by a mutation). */
  activatedAt: number | null;
  /** Relative share of the base orders; 0 when not activated. */
  weight: number;
}

function intakeId(rng: Rng): string {
  return `CI-${Math.floor(rng() * 0x1_0000_0000)
    .toString(16)
    .toUpperCase()
    .padStart(8, '0')}`;
}

/** Version 0 of practice `index`. Practice 0 is always activated so base orders always have a home. */
export function practiceBase(ctx: GenContext, index: number, inserted: boolean): PracticeBase {
  const rng = rngFor(ctx.seed, Stream.practice, index);
  const activatedDraw = rng();
  const ageMs = DAY_MS + Math.floor(rng() * (MAX_AGE_MS - DAY_MS));
  const z = gaussian(rng);
  const state = pickWeighted(rng, STATES);
  const specialty = rng() < 0.08 ? null : pick(rng, SPECIALTIES);
  const noIntake = rng() < 0.2;
  const intake = intakeId(rng);
  const activated = !inserted && (index === 0 || activatedDraw < 0.9);
  return {
    activatedAt: activated ? ctx.nowMs - ageMs : null,
    weight: activated ? (ageMs / DAY_MS) * Math.exp(0.8 * z) : 0,
    state,
    specialty,
    curaIntakeId: noIntake ? null : intake,
  };
}

/** The mutable fields after `version` updates (each update derives from the one before). */
export function practiceFieldsAt(
  ctx: GenContext,
  index: number,
  base: MutableFields,
  version: number,
): MutableFields {
  let fields: MutableFields = {
    state: base.state,
    specialty: base.specialty,
    curaIntakeId: base.curaIntakeId,
  };
  for (let v = 1; v <= version; v++) {
    const rng = rngFor(ctx.seed, Stream.practiceVersion, index, v);
    const specialty = rng() < 0.05 ? null : pick(rng, SPECIALTIES);
    const newIntake = rng() < 0.6 || fields.curaIntakeId === null;
    const intake = intakeId(rng);
    const moves = rng() < 0.1;
    const state = pickWeighted(rng, STATES);
    fields = {
      specialty,
      curaIntakeId: newIntake ? intake : fields.curaIntakeId,
      state: moves ? state : fields.state,
    };
  }
  return fields;
}

/** Number of sales reps for a dataset of `practices` base practices; practice p belongs to rep p mod R. */
export function repCountFor(practices: number): number {
  return Math.max(1, Math.min(400, Math.ceil(practices / 25)));
}

/** Rep names are unique for up to 400 reps. */
export function repName(ctx: GenContext, repIndex: number): string {
  const h = hash32(ctx.seed, Stream.rep);
  const n = FIRST_NAMES.length; // === LAST_NAMES.length; (last, first) pairs repeat only after n * n reps
  const last = LAST_NAMES[(repIndex + h) % n] as string;
  const first = FIRST_NAMES[(repIndex + Math.floor(repIndex / n) + (h >>> 8)) % n] as string;
  return `${first} ${last}`;
}

export const repOfPractice = (ctx: GenContext, practiceIndex: number): number => practiceIndex % ctx.repCount;

/** Display name used by the order-placed webhook (not a field of the practice record). */
export function practiceName(ctx: GenContext, index: number, state: string): string {
  const rng = rngFor(ctx.seed, Stream.practiceName, index);
  return `${pick(rng, PRACTICE_NAME_PARTS.first)} ${pick(rng, PRACTICE_NAME_PARTS.second)} of ${state}`;
}

/** The first draw of an order's stream places it inside its practice's share of time. */
export function orderDateFraction(ctx: GenContext, orderIndex: number): number {
  return rngFor(ctx.seed, Stream.order, orderIndex)();
}

interface OrderDraws {
  items: OrderItem[];
  totalCents: number;
  paidDraw: number;
  cogsRate: number;
  commissionRate: number;
}

function orderDraws(ctx: GenContext, orderIndex: number): OrderDraws {
  const rng = rngFor(ctx.seed, Stream.order, orderIndex);
  rng(); // the date fraction, see orderDateFraction
  const lines = intBetween(rng, 1, 3);
  const items: OrderItem[] = [];
  let totalCents = 0;
  for (let l = 0; l < lines; l++) {
    const product = pick(rng, PRODUCTS);
    const quantity = intBetween(rng, 1, 6);
    totalCents += product.unitPriceCents * quantity;
    items.push({
      sku: product.sku,
      productName: product.productName,
      quantity,
      unitPrice: product.unitPriceCents / 100,
    });
  }
  return {
    items,
    totalCents,
    paidDraw: rng(),
    cogsRate: 0.3 + 0.25 * rng(),
    commissionRate: 0.08 + 0.12 * rng(),
  };
}

export function orderItems(ctx: GenContext, orderIndex: number): OrderItem[] {
  return orderDraws(ctx, orderIndex).items;
}

export function buildOrder(
  ctx: GenContext,
  orderIndex: number,
  practiceIndex: number,
  dateMs: number,
): Order {
  const d = orderDraws(ctx, orderIndex);
  const dueMs = dateMs + INVOICE_TERMS_MS;
  const paid = dueMs < ctx.nowMs ? d.paidDraw < 0.92 : d.paidDraw < 0.15;
  const cogsCents = Math.round(d.totalCents * d.cogsRate);
  const commissionCents = Math.round((d.totalCents - cogsCents) * d.commissionRate);
  return {
    order_id: orderIdOf(orderIndex),
    practice_id: practiceIdOf(practiceIndex),
    rep_id: repIdOf(repOfPractice(ctx, practiceIndex)),
    total_amount: d.totalCents / 100,
    order_date: new Date(dateMs).toISOString(),
    order_date_epoch_ms: dateMs,
    invoice_id: invoiceIdOf(orderIndex),
    invoice_total_due: paid ? 0 : d.totalCents / 100,
    invoice_due_date: new Date(dueMs).toISOString().slice(0, 10),
    paid,
    cost_of_goods: cogsCents / 100,
    commission_amount: commissionCents / 100,
  };
}
