import {
  CITIES,
  COMPANY_ID,
  CONTACT_SOURCES,
  CUSTOMER_STATUSES,
  CUSTOMER_TYPES,
  FIRST_NAMES,
  LAST_NAMES,
  STREETS,
} from '../catalog';
import type { RepcardRecord } from '../entities';
import { formatTimestamp } from '../timeline';
import { SALT } from '../world';
import { phoneNumber, round, slug, type RenderContext } from './context';

/** Index into CUSTOMER_STATUSES after `rev` updates (an update moves the customer on). */
export function customerStatusIndex(ctx: RenderContext, index: number): number {
  return (ctx.world.customerStatusIndex(index) + ctx.revOf('customers', index)) % CUSTOMER_STATUSES.length;
}

/** `GET /customers` record; an update changes the status. */
export function renderCustomer(ctx: RenderContext, index: number): RepcardRecord {
  const { world } = ctx;
  const rng = world.rng('customers', index);
  const id = world.idOf('customers', index);
  const firstName = rng.pick(FIRST_NAMES);
  const lastName = rng.pick(LAST_NAMES);
  const city = customerCity(ctx, index);
  const status = CUSTOMER_STATUSES[customerStatusIndex(ctx, index)] as (typeof CUSTOMER_STATUSES)[number];
  const times = ctx.timesOf('customers', index);
  return {
    id,
    firstName,
    lastName,
    fullName: `${firstName} ${lastName}`,
    email: rng.chance(0.85) ? `${slug(firstName)}${slug(lastName)}${id}@mail.example` : null,
    countryCode: '+1',
    phoneNumber: rng.chance(0.9) ? phoneNumber(rng, '801') : null,
    statusId: status.id,
    statusTitle: status.statusName,
    address: `${1 + rng.int(9_999)} ${rng.pick(STREETS)}`,
    address2: rng.chance(0.15) ? `Apt ${1 + rng.int(300)}` : null,
    city: city.city,
    state: city.state,
    zip: `${city.zipPrefix}${String(rng.int(100)).padStart(2, '0')}`,
    latitude: round(city.lat + (rng.next() - 0.5) * 0.2, 7),
    longitude: round(city.lng + (rng.next() - 0.5) * 0.2, 7),
    externalId: rng.chance(0.3) ? `CRM-${rng.hex(8)}` : null,
    type: rng.chance(0.93) ? CUSTOMER_TYPES[0] : CUSTOMER_TYPES[1],
    userId: world.idOf('users', world.customerSetterIndex(index)),
    ownerId: world.idOf('users', world.customerOwnerIndex(index)),
    companyId: COMPANY_ID,
    contactSource: rng.pick(CONTACT_SOURCES),
    createdAt: formatTimestamp(times.createdAtMs),
    updatedAt: formatTimestamp(times.updatedAtMs),
  };
}

function customerCity(ctx: RenderContext, index: number): (typeof CITIES)[number] {
  return CITIES[ctx.world.hash('customers', index, SALT.city) % CITIES.length] as (typeof CITIES)[number];
}

/** The customer's IANA time zone (its city's), used for appointment wall-clock times. */
export function customerTimezone(ctx: RenderContext, index: number): string {
  return customerCity(ctx, index).timezone;
}
