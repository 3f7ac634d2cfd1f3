import type { CuragenesisEntity } from '@tributary/contracts';
import type { TableSpec } from '../../core/table-spec';
import { ORDER_FIELDS, PRACTICE_FIELDS } from './fields';

/** An order's practice link follows its practice source id (set, changed, or still unknown). */
const LINK_OWN_PRACTICE = `UPDATE curagenesis_orders o
  SET practice_ref = (SELECT p.id FROM curagenesis_practices p WHERE p.practice_id = o.practice_id)
  WHERE o.order_id = ANY($1)
    AND o.practice_ref IS DISTINCT FROM (SELECT p.id FROM curagenesis_practices p WHERE p.practice_id = o.practice_id)`;

/** An order that names only its user (the short order.placed webhook) gets its practice through the user. */
const ORDER_PRACTICE_BY_USER = `UPDATE curagenesis_orders o SET practice_id = p.practice_id
  FROM curagenesis_practices p
  WHERE o.order_id = ANY($1) AND o.practice_id IS NULL AND o.user_id IS NOT NULL AND p.user_id = o.user_id`;

/** Orders waiting for the practices just written (child before parent). */
const LINK_WAITING_ORDERS = [
  `UPDATE curagenesis_orders o SET practice_id = p.practice_id
   FROM curagenesis_practices p
   WHERE p.practice_id = ANY($1) AND o.practice_id IS NULL AND o.user_id IS NOT NULL AND o.user_id = p.user_id`,
  `UPDATE curagenesis_orders o SET practice_ref = p.id
   FROM curagenesis_practices p
   WHERE p.practice_id = ANY($1) AND o.practice_id = p.practice_id AND o.practice_ref IS DISTINCT FROM p.id`,
];

/**
 * CuraGenesis records may be partial (webhooks name only what changed): only the columns a record
 * carries are written. A present value its column cannot hold makes the record malformed. Versions
 * are mostly observation times, so an unchanged record re-observed counts as unchanged.
 */
const MODE = { columns: 'partial', onInvalid: 'reject', sameContentIsUnchanged: true } as const;

export const CURAGENESIS_TABLES: Record<CuragenesisEntity, TableSpec> = {
  practices: {
    table: 'curagenesis_practices',
    key: 'practice_id',
    keyType: 'text',
    fields: PRACTICE_FIELDS,
    ...MODE,
    links: LINK_WAITING_ORDERS,
  },
  orders: {
    table: 'curagenesis_orders',
    key: 'order_id',
    keyType: 'text',
    fields: ORDER_FIELDS,
    ...MODE,
    links: [ORDER_PRACTICE_BY_USER, LINK_OWN_PRACTICE],
  },
};
