import type { Request } from 'express';
import { APPOINTMENT_STATUSES, COMPANY_ID, CUSTOMER_STATUSES } from '../catalog';
import type { Dataset } from '../dataset';
import type { QuerySpec, RecordPredicate } from '../query';
import { appointmentAttachmentUser } from '../records/attachments';
import { appointmentRelations } from '../records/appointments';
import { statusLogRelations } from '../records/status-logs';
import type { SimDeps } from './deps';
import { dateWindow, idList, queryString } from './params';

type Value = (index: number) => number | null;

/** One `*_ids` filter: a record matches when its value is in the list. */
function byIds(req: Request, name: string, value: Value): RecordPredicate | undefined {
  const ids = idList(req, name);
  if (!ids) return undefined;
  const wanted = new Set(ids);
  return {
    key: `${name}=${[...wanted].sort((a, b) => a - b).join(',')}`,
    test: (i) => {
      const v = value(i);
      return v !== null && wanted.has(v);
    },
  };
}

function allOf(predicates: Array<RecordPredicate | undefined>): RecordPredicate | undefined {
  const list = predicates.filter((p): p is RecordPredicate => p !== undefined);
  if (list.length === 0) return undefined;
  if (list.length === 1) return list[0];
  return { key: list.map((p) => p.key).join('&'), test: (i) => list.every((p) => p.test(i)) };
}

function textSearch(req: Request, text: (index: number) => string): RecordPredicate | undefined {
  const term = queryString(req, 'search')?.toLowerCase();
  return term === undefined
    ? undefined
    : { key: `search=${term}`, test: (i) => text(i).toLowerCase().includes(term) };
}

/** `from_date`/`to_date` on the configured field (`dateFilterField`). */
function dated(deps: SimDeps, req: Request, required: boolean): Pick<QuerySpec, 'created' | 'updated'> {
  const window = dateWindow(req, 'from_date', 'to_date', required && deps.config.requireDateFilters);
  if (!window) return {};
  return deps.config.dateFilterField === 'createdAt' ? { created: window } : { updated: window };
}

export function usersQuery(deps: SimDeps, req: Request): QuerySpec {
  const ds = deps.dataset;
  const company = idList(req, 'company_id');
  const search = textSearch(req, (i) => {
    const u = ds.cleanRecord('users', i);
    return `${u.firstName as string} ${u.lastName as string} ${u.email as string} ${u.username as string}`;
  });
  const companyFilter: RecordPredicate | undefined = company
    ? { key: `company_id=${company.join(',')}`, test: () => company.includes(COMPANY_ID) }
    : undefined;
  return { predicate: allOf([search, companyFilter]) };
}

export function officesQuery(deps: SimDeps, req: Request): QuerySpec {
  const ds = deps.dataset;
  return {
    predicate: textSearch(req, (i) => {
      const o = ds.cleanRecord('offices', i);
      return `${o.officeName as string} ${o.officeCity as string}`;
    }),
  };
}

export function customersQuery(_deps: SimDeps, req: Request): QuerySpec {
  return {
    created: dateWindow(req, 'last_created_from', 'last_created_to'),
    updated: dateWindow(req, 'last_updated_from', 'last_updated_to'),
  };
}

function appointmentValues(ds: Dataset) {
  const w = ds.world;
  return {
    customer: (a: number) => w.idOf('customers', appointmentRelations(ds, a).customer),
    setter: (a: number) => w.idOf('users', appointmentRelations(ds, a).setter),
    closer: (a: number) => {
      const c = appointmentRelations(ds, a).closer;
      return c < 0 ? null : w.idOf('users', c);
    },
    status: (a: number) => {
      const s = appointmentRelations(ds, a).status;
      return s < 0 ? null : (APPOINTMENT_STATUSES[s]?.id ?? null);
    },
  };
}

export function appointmentsQuery(deps: SimDeps, req: Request): QuerySpec {
  const v = appointmentValues(deps.dataset);
  return {
    ...dated(deps, req, true),
    predicate: allOf([
      byIds(req, 'customer_ids', v.customer),
      byIds(req, 'status_ids', v.status),
      byIds(req, 'setter_ids', v.setter),
      byIds(req, 'closer_ids', v.closer),
    ]),
  };
}

export function statusLogsQuery(deps: SimDeps, req: Request): QuerySpec {
  const ds = deps.dataset;
  const w = ds.world;
  return {
    ...dated(deps, req, true),
    predicate: allOf([
      byIds(req, 'user_ids', (i) => w.idOf('users', statusLogRelations(ds, i).user)),
      byIds(req, 'customer_ids', (i) => w.idOf('customers', statusLogRelations(ds, i).customer)),
      byIds(req, 'status_ids', (i) => CUSTOMER_STATUSES[statusLogRelations(ds, i).to]?.id ?? null),
    ]),
  };
}

export function customerAttachmentsQuery(deps: SimDeps, req: Request): QuerySpec {
  const ds = deps.dataset;
  const w = ds.world;
  const customer = (i: number): number => ds.parentOf('customer_attachments', i);
  return {
    ...dated(deps, req, false),
    predicate: allOf([
      byIds(req, 'user_ids', (i) => w.idOf('users', w.customerSetterIndex(customer(i)))),
      byIds(req, 'customer_ids', (i) => w.idOf('customers', customer(i))),
    ]),
  };
}

export function appointmentAttachmentsQuery(deps: SimDeps, req: Request): QuerySpec {
  const ds = deps.dataset;
  const v = appointmentValues(ds);
  const appointment = (i: number): number => ds.parentOf('appointment_attachments', i);
  return {
    ...dated(deps, req, false),
    predicate: allOf([
      byIds(req, 'setter_ids', (i) => v.setter(appointment(i))),
      byIds(req, 'closer_ids', (i) => v.closer(appointment(i))),
      byIds(req, 'customer_ids', (i) => v.customer(appointment(i))),
      byIds(req, 'status_ids', (i) => v.status(appointment(i))),
      byIds(req, 'user_ids', (i) => ds.world.idOf('users', appointmentAttachmentUser(ds, i, appointment(i)))),
    ]),
  };
}

export type QueryBuilder = (deps: SimDeps, req: Request) => QuerySpec;
