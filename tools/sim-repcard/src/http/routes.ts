import { Router, type Request, type Response } from 'express';
import type { RenderOptions } from '../dataset';
import type { RepcardEntity, RepcardRecord } from '../entities';
import { userSummary } from '../records/users';
import { isValidTimeZone } from '../timezone';
import type { SimDeps } from './deps';
import { errorBody, itemEnvelope, laravelPage, listEnvelope } from './envelope';
import {
  appointmentAttachmentsQuery,
  appointmentsQuery,
  customerAttachmentsQuery,
  customersQuery,
  officesQuery,
  statusLogsQuery,
  usersQuery,
  type QueryBuilder,
} from './filters';
import { paging, queryString } from './params';

function renderOptions(req: Request): RenderOptions {
  const zone = req.get('UserTimeZone');
  return {
    ...(zone && isValidTimeZone(zone) ? { userTimeZone: zone } : {}),
    userExtras: {
      firstVerifiedDoorKnock: queryString(req, 'firstVerifiedDoorKnock') === '1',
      firstAppointment: queryString(req, 'firstAppointment') === '1',
    },
  };
}

/** Renders `indices` as served, counting records and malformed ones. */
function serve(
  deps: SimDeps,
  entity: RepcardEntity,
  indices: number[],
  options: RenderOptions,
): RepcardRecord[] {
  let malformed = 0;
  const data = indices.map((i) => {
    if (deps.dataset.isMalformed(entity, i)) malformed++;
    return deps.dataset.record(entity, i, options);
  });
  deps.stats.add('recordsServed', data.length);
  deps.stats.add('malformedServed', malformed);
  return data;
}

function list(deps: SimDeps, entity: RepcardEntity, message: string, build: QueryBuilder) {
  return (req: Request, res: Response): void => {
    const spec = build(deps, req);
    const { page, perPage } = paging(req, deps.config);
    const set = deps.queries.find(entity, spec);
    const indices = set.slice((page - 1) * perPage, perPage);
    const data = serve(deps, entity, indices, renderOptions(req));
    if (entity === 'customers' && (queryString(req, 'withRelations') ?? '').split(',').includes('user')) {
      data.forEach((record, k) => {
        record.user = userSummary(deps.dataset, deps.dataset.world.customerSetterIndex(indices[k] as number));
      });
    }
    res.json(listEnvelope(message, data, set.size, page, perPage));
    const shift = deps.faults.noteServed(entity, indices);
    if (shift) deps.mutate({ entity: shift.entity, update: shift.update, insert: shift.insert });
  };
}

function customerIndex(deps: SimDeps, req: Request, res: Response): number | undefined {
  const id = String(req.params.id);
  const found = /^\d+$/.test(id) ? deps.dataset.indexOfId('customers', Number(id)) : undefined;
  // A removed customer is gone from `/customers/{id}` as from the lists.
  const index =
    found !== undefined && deps.dataset.removedIndices('customers').includes(found) ? undefined : found;
  if (index === undefined) res.status(404).json(errorBody(404, 'Customer not found.'));
  return index;
}

/** Per-customer sub-resources answer the bare Laravel paginator. */
function perCustomer(deps: SimDeps, child: 'customer_attachments' | 'appointments') {
  return (req: Request, res: Response): void => {
    const customer = customerIndex(deps, req, res);
    if (customer === undefined) return;
    const { page, perPage } = paging(req, deps.config);
    const children = deps.dataset.childrenOf(child, customer);
    const indices = children.slice((page - 1) * perPage, page * perPage);
    const data = serve(deps, child, indices, { ...renderOptions(req), detailed: true });
    const path = `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}${req.path}`;
    res.json(laravelPage(data, children.length, page, perPage, path));
  };
}

export function apiRoutes(deps: SimDeps): Router {
  const r = Router();
  r.get('/users/minimal', list(deps, 'users', 'Users retrieved successfully.', usersQuery));
  r.get('/offices', list(deps, 'offices', 'Offices retrieved successfully.', officesQuery));
  r.get('/customers', list(deps, 'customers', 'Customers retrieved successfully.', customersQuery));
  r.get(
    '/customers/status-logs',
    list(deps, 'status_logs', 'Status logs retrieved successfully.', statusLogsQuery),
  );
  r.get(
    '/customers/attachments',
    list(deps, 'customer_attachments', 'Attachments retrieved successfully.', customerAttachmentsQuery),
  );
  r.get('/customers/:id', (req, res) => {
    const index = customerIndex(deps, req, res);
    if (index === undefined) return;
    const [record] = serve(deps, 'customers', [index], renderOptions(req));
    res.json(itemEnvelope('Customer details.', record));
  });
  r.get('/customers/:id/attachments', perCustomer(deps, 'customer_attachments'));
  r.get('/customers/:id/appointments', perCustomer(deps, 'appointments'));
  r.get(
    '/appointments',
    list(deps, 'appointments', 'Appointments retrieved successfully.', appointmentsQuery),
  );
  r.get(
    '/appointments/attachments',
    list(deps, 'appointment_attachments', 'Attachments retrieved successfully.', appointmentAttachmentsQuery),
  );
  return r;
}
