/** Record shapes the simulated CuraGenesis partner API answers (see /work/shared/API-NOTES.md). */

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
