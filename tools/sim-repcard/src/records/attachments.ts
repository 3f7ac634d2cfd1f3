import { ATTACHMENT_KINDS } from '../catalog';
import type { RepcardRecord } from '../entities';
import { formatTimestamp } from '../timeline';
import { SALT } from '../world';
import type { RenderContext } from './context';
import { appointmentRelations } from './appointments';

const BUCKET = 'https://repcard-prod.s3.us-west-2.amazonaws.com';

function attachmentFile(
  ctx: RenderContext,
  entity: 'customer_attachments' | 'appointment_attachments',
  index: number,
) {
  const rng = ctx.world.rng(entity, index);
  const kind = rng.pick(ATTACHMENT_KINDS);
  const rev = ctx.revOf(entity, index);
  const fileName = `${kind.prefix}${rng.hex(10)}${rev === 0 ? '' : `_v${rev + 1}`}.${kind.ext}`;
  return { kind, fileName, rng };
}

/**
 * `GET /customers/attachments` record (id, attachmentUrl, userId, customerId); the per-customer
 * variant (`detailed`) adds title, attachmentInfo.fileName, createdAt, updatedAt. An update
 * re-uploads the file (new name and URL).
 */
export function renderCustomerAttachment(ctx: RenderContext, index: number, detailed = false): RepcardRecord {
  const { world } = ctx;
  const customer = ctx.parentOf('customer_attachments', index);
  const customerId = world.idOf('customers', customer);
  const { kind, fileName } = attachmentFile(ctx, 'customer_attachments', index);
  const record: RepcardRecord = {
    id: world.idOf('customer_attachments', index),
    attachmentUrl: `${BUCKET}/customers/${customerId}/${fileName}`,
    userId: world.idOf('users', world.customerSetterIndex(customer)),
    customerId,
  };
  if (!detailed) return record;
  const times = ctx.timesOf('customer_attachments', index);
  return {
    ...record,
    title: kind.title,
    attachmentInfo: { fileName },
    createdAt: formatTimestamp(times.createdAtMs),
    updatedAt: formatTimestamp(times.updatedAtMs),
  };
}

/** The user who uploaded an appointment attachment: the closer when there is one (half the time). */
export function appointmentAttachmentUser(ctx: RenderContext, index: number, appointment: number): number {
  const rel = appointmentRelations(ctx, appointment);
  return rel.closer >= 0 && ctx.world.chance('appointment_attachments', index, SALT.uploader, 0.5)
    ? rel.closer
    : rel.setter;
}

/** `GET /appointments/attachments` record (id, attachmentUrl, type, userId, appointmentId). */
export function renderAppointmentAttachment(ctx: RenderContext, index: number): RepcardRecord {
  const { world } = ctx;
  const appointment = ctx.parentOf('appointment_attachments', index);
  const appointmentId = world.idOf('appointments', appointment);
  const { kind, fileName } = attachmentFile(ctx, 'appointment_attachments', index);
  return {
    id: world.idOf('appointment_attachments', index),
    attachmentUrl: `${BUCKET}/appointments/${appointmentId}/${fileName}`,
    type: kind.type,
    userId: world.idOf('users', appointmentAttachmentUser(ctx, index, appointment)),
    appointmentId,
  };
}
