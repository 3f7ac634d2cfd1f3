import { bool as _bool, fileNameFromUrl, int, Json, num, obj, str, ts, typeFromFileName, zonedToUtc } from './values';

/**
 * Pure mapping from a RepCard API record (as received) to its read-model row, for the seven
 * entities. Column names are those of the read models (migrations/002_repcard_read_models.sql).
 * Parent links (`customer_id`, `appointment_id`) are not set here: the projector resolves them from
 * the parent's source id, now or when the parent arrives.
 */
export type Row = Record<string, string | number | boolean | null>;

function name(first: string | null, last: string | null): string | null {
  const full = [first, last].filter(Boolean).join(' ');
  return full || null;
}

export function userRow(r: Json): Row {
  const office = obj(r.office);
  const team = obj(r.team);
  return {
    repcard_user_id: int(r.id),
    first_name: str(r.firstName),
    last_name: str(r.lastName),
    email: str(r.email),
    username: str(r.username),
    phone_number: str(r.phoneNumber),
    office_id: int(r.officeId) ?? int(office?.id),
    office_name: str(office?.name) ?? str(office?.officeName) ?? str(r.office),
    team_id: int(r.officeTeamId) ?? int(team?.id),
    team_name: str(team?.name) ?? str(team?.teamName) ?? str(r.team),
    job_title: str(r.jobTitle),
    image_url: str(r.image),
    rating: num(r.rating),
    bio: str(r.bio),
    company_name: str(r.companyName),
    badge_id: str(r.badgeId),
    qr_code: str(r.qrCode),
    external_id: str(r.externalId),
    status: int(r.status) ?? (_bool(r.status) === null ? null : _bool(r.status) ? 1 : 0),
    role: str(r.role),
    first_verified_door_knock_at: ts(r.firstVerifiedDoorKnock ?? r.firstVerifiedDoorKnockAt),
    first_appointment_at: ts(r.firstAppointment ?? r.firstAppointmentAt),
  };
}

export function officeRow(r: Json): Row {
  return {
    repcard_office_id: int(r.id),
    name: str(r.officeName) ?? str(r.name),
    email: str(r.officeEmail),
    address: str(r.officeAddress),
    city: str(r.officeCity),
    state: str(r.officeState),
    zip: str(r.officeZip),
    phone: str(r.officeMobile),
    logo_url: str(r.fullPathOfficeLogo),
  };
}

export function customerRow(r: Json): Row {
  const first = str(r.firstName);
  const last = str(r.lastName);
  return {
    repcard_customer_id: int(r.id),
    name: str(r.fullName) ?? name(first, last),
    first_name: first,
    last_name: last,
    email: str(r.email),
    country_code: str(r.countryCode),
    phone: str(r.phoneNumber),
    status_id: int(r.statusId),
    status_title: str(r.statusTitle),
    address: str(r.address),
    address2: str(r.address2),
    city: str(r.city),
    state: str(r.state),
    zip: str(r.zip),
    latitude: num(r.latitude),
    longitude: num(r.longitude),
    external_id: str(r.externalId),
    customer_type: str(r.type),
    setter_user_id: int(r.userId),
    owner_user_id: int(r.ownerId),
    company_id: int(r.companyId),
    contact_source: str(r.contactSource),
    created_at: ts(r.createdAt),
    updated_at: ts(r.updatedAt),
  };
}

export function appointmentRow(r: Json): Row {
  const status = obj(r.status);
  const category = obj(status?.category);
  const contact = obj(r.contact);
  const zone = str(r.startAtTimezone);
  return {
    repcard_appointment_id: int(r.id),
    repcard_customer_id: int(contact?.id) ?? int(r.customerId),
    setter_user_id: int(r.userId) ?? int(obj(r.setter)?.id),
    closer_user_id: int(r.closerId) ?? int(obj(r.closer)?.id),
    title: str(r.title),
    notes: str(r.notes),
    calendar_id: int(r.calendarId),
    scheduled_at: zonedToUtc(r.startAt, zone),
    scheduled_end_at: zonedToUtc(r.endAt, str(r.endAtTimezone) ?? zone),
    start_at_local: str(r.startAt),
    end_at_local: str(r.endAt),
    timezone: zone,
    location: str(r.appointmentLocation),
    disposition: str(status?.title),
    status_id: int(status?.id),
    status_category: str(category?.title),
    duration: str(r.durationTime),
    created_at: ts(r.createdAt),
    updated_at: ts(r.updatedAt),
  };
}

export function statusLogRow(r: Json): Row {
  const from = obj(r.statusFrom);
  const to = obj(r.statusTo);
  return {
    repcard_log_id: str(r._id),
    repcard_customer_id: int(r.customerId),
    status_from_id: int(from?.id),
    status_from: str(from?.statusName) ?? str(from?.title),
    status_to_id: int(to?.id),
    status_to: str(to?.statusName) ?? str(to?.title),
    changed_by_user_id: int(r.userId),
    company_id: int(r.companyId),
    created_at: ts(r.createdAt),
    updated_at: ts(r.updatedAt),
  };
}

export function customerAttachmentRow(r: Json): Row {
  const url = str(r.attachmentUrl);
  const info = obj(r.attachmentInfo);
  const fileName = str(info?.fileName) ?? fileNameFromUrl(url) ?? str(r.title);
  return {
    repcard_attachment_id: int(r.id),
    repcard_customer_id: int(r.customerId),
    uploaded_by_user_id: int(r.userId),
    title: str(r.title),
    file_name: fileName,
    file_url: url,
    attachment_type: str(r.type) ?? typeFromFileName(fileName),
    created_at: ts(r.createdAt),
    updated_at: ts(r.updatedAt),
  };
}

export function appointmentAttachmentRow(r: Json): Row {
  const url = str(r.attachmentUrl);
  const fileName = str(obj(r.attachmentInfo)?.fileName) ?? fileNameFromUrl(url);
  return {
    repcard_attachment_id: int(r.id),
    repcard_appointment_id: int(r.appointmentId),
    uploaded_by_user_id: int(r.userId),
    file_name: fileName,
    file_url: url,
    attachment_type: str(r.type) ?? typeFromFileName(fileName),
    created_at: ts(r.createdAt),
    updated_at: ts(r.updatedAt),
  };
}
