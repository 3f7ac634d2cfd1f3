import { APPOINTMENT_NOTES, APPOINTMENT_STATUSES, APPOINTMENT_TITLES } from '../catalog';
import type { RepcardRecord } from '../entities';
import { convertWallClock } from '../timezone';
import { DAY_MS, formatTimestamp, formatWallClock } from '../timeline';
import type { RenderContext } from './context';
import { customerTimezone, renderCustomer } from './customers';
import { userSummary } from './users';

export interface AppointmentRelations {
  customer: number;
  setter: number;
  /** -1: no closer. */
  closer: number;
  /** Index into APPOINTMENT_STATUSES, -1: `status: null`. */
  status: number;
}

export function appointmentRelations(ctx: RenderContext, index: number): AppointmentRelations {
  const customer = ctx.parentOf('appointments', index);
  return {
    customer,
    setter: ctx.world.customerSetterIndex(customer),
    closer: ctx.world.appointmentCloserIndex(index),
    status: ctx.world.appointmentStatusIndex(index),
  };
}

/**
 * `GET /appointments` record. startAt/endAt are wall-clock times in the customer's zone, or in
 * `userTimeZone` when the request sent a `UserTimeZone` header. An update rewrites `notes`.
 */
export function renderAppointment(ctx: RenderContext, index: number, userTimeZone?: string): RepcardRecord {
  const { world } = ctx;
  const rng = world.rng('appointments', index);
  const rel = appointmentRelations(ctx, index);
  const times = ctx.timesOf('appointments', index);
  const contact = renderCustomer(ctx, rel.customer);
  const durationTime = rng.pick([60, 90, 120]);
  const day = Math.floor(times.createdAtMs / DAY_MS) + 1 + rng.int(14);
  const startWall = day * DAY_MS + rng.between(9 * 4, 19 * 4 + 3) * 15 * 60_000;
  let zone = customerTimezone(ctx, rel.customer);
  let startAt = formatWallClock(startWall);
  let endAt = formatWallClock(startWall + durationTime * 60_000);
  if (userTimeZone && userTimeZone !== zone) {
    startAt = convertWallClock(startAt, zone, userTimeZone);
    endAt = convertWallClock(endAt, zone, userTimeZone);
    zone = userTimeZone;
  }
  const status = rel.status < 0 ? null : APPOINTMENT_STATUSES[rel.status];
  const rev = ctx.revOf('appointments', index);
  const notes = rng.pick(APPOINTMENT_NOTES);
  return {
    id: world.idOf('appointments', index),
    title: rng.pick(APPOINTMENT_TITLES),
    notes: rev === 0 ? notes : `Rescheduled by homeowner (update ${rev}).`,
    userId: world.idOf('users', rel.setter),
    setter: userSummary(ctx, rel.setter),
    closerId: rel.closer < 0 ? null : world.idOf('users', rel.closer),
    closer: rel.closer < 0 ? null : userSummary(ctx, rel.closer),
    calendarId: 300 + rng.int(5),
    contact: {
      id: contact.id,
      firstName: contact.firstName,
      lastName: contact.lastName,
      fullName: contact.fullName,
      email: contact.email,
      phoneNumber: contact.phoneNumber,
      address: contact.address,
      city: contact.city,
      state: contact.state,
      zip: contact.zip,
    },
    startAt,
    endAt,
    startAtTimezone: zone,
    endAtTimezone: zone,
    appointmentLocation: `${contact.address as string}, ${contact.city as string}, ${contact.state as string}`,
    status: status ? { id: status.id, title: status.title, category: { ...status.category } } : null,
    durationTime,
    createdAt: formatTimestamp(times.createdAtMs),
    updatedAt: formatTimestamp(times.updatedAtMs),
  };
}
