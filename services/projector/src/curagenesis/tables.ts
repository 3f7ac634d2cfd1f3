import type { CuragenesisEntity } from '@tributary/contracts';
import type { TableSpec } from '../domain/table-spec';
import { mapColumns } from './fields';
import { ORDER_FIELDS, PRACTICE_FIELDS } from './records';

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

export const CURAGENESIS_TABLES: Record<CuragenesisEntity, TableSpec> = {
  practices: {
    table: 'curagenesis_practices',
    key: 'practice_id',
    keyType: 'text',
    map: (record) => mapColumns(PRACTICE_FIELDS, record).row,
    links: LINK_WAITING_ORDERS,
  },
  orders: {
    table: 'curagenesis_orders',
    key: 'order_id',
    keyType: 'text',
    map: (record) => mapColumns(ORDER_FIELDS, record).row,
    links: [ORDER_PRACTICE_BY_USER, LINK_OWN_PRACTICE],
  },
};
