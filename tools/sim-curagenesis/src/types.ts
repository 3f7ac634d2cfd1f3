/** Record shapes the simulated CuraGenesis partner API answers (see /work/shared/API-NOTES.md), and the data set interface. */

export interface Practice {
  practiceId: string;
  userId: string;
  curaIntakeId: string | null;
  specialty: string | null;
  /** US state code. */
  state: string;
  /** Epoch milliseconds, null while the practice is not activated. */
  activatedAt: number | null;
  activatedAtIso: string | null;
  totalOrders: number;
  salesRep: string;
  /** Simulator assumption (not in the public material): ISO time of the last change, for `updated_since`. */
  updatedAt: string;
}

export interface Order {
  order_id: string;
  practice_id: string;
  rep_id: string;
  total_amount: number;
  /** ISO date-time. */
  order_date: string;
  order_date_epoch_ms: number;
  invoice_id: string;
  invoice_total_due: number;
  /** ISO calendar date (YYYY-MM-DD), 30 days after the order. */
  invoice_due_date: string;
  paid: boolean;
  cost_of_goods: number;
  commission_amount: number;
}

export interface OrderItem {
  sku: string;
  productName: string;
  quantity: number;
  unitPrice: number;
}

export type RecordKind = 'practice' | 'order';

export interface DatasetOptions {
  seed?: number | string;
  practices?: number;
  orders?: number;
  /** The data set's "now": every base record is older. Default 2026-01-01T00:00:00Z. */
  now?: Date;
}

/** What tests and the webhook sender read. */
export interface Dataset {
  readonly seed: number;
  readonly now: Date;
  countPractices(): number;
  practice(index: number): Practice;
  practiceById(practiceId: string): Practice | undefined;
  practiceIndexOf(practiceId: string): number | undefined;
  iteratePractices(): IterableIterator<Practice>;
  countOrders(): number;
  order(index: number): Order;
  orderById(orderId: string): Order | undefined;
  iterateOrders(): IterableIterator<Order>;
  ordersOfPractice(practiceId: string): Order[];
  orderItems(orderId: string): OrderItem[];
  /** Display name of a practice (only the order-placed webhook carries it). */
  practiceName(practiceId: string): string;
  /** The practice user's e-mail (the `email` selector of /financials). */
  emailOf(practiceId: string): string;
  /** The practice as it was when created: first-version fields, not activated, no orders. */
  createdPractice(practiceId: string): Practice;
  countReps(): number;
  /** True when the API serves this record malformed (per the current faults). */
  isMalformed(kind: RecordKind, id: string): boolean;
}
