import { COMPANY_NAME, FIRST_NAMES as FIRST, JOB_TITLES, LAST_NAMES as LAST, TEAM_NAMES } from '../catalog';
import type { RepcardRecord } from '../entities';
import { DAY_MS, formatTimestamp } from '../timeline';
import { phoneNumber, round, slug, type RenderContext } from './context';
import { officeName } from './offices';

export interface UserExtras {
  /** `firstVerifiedDoorKnock=1`: add the date of the user's first verified door knock. */
  firstVerifiedDoorKnock?: boolean;
  /** `firstAppointment=1`: add the date of the user's first appointment. */
  firstAppointment?: boolean;
}

/** `GET /users/minimal` record (no timestamps); an update changes `jobTitle`. */
export function renderUser(ctx: RenderContext, index: number, extras: UserExtras = {}): RepcardRecord {
  const { world } = ctx;
  const rng = world.rng('users', index);
  const id = world.idOf('users', index);
  const firstName = rng.pick(FIRST);
  const lastName = rng.pick(LAST);
  const officeIndex = world.userOfficeIndex(index);
  const officeId = world.idOf('offices', officeIndex);
  const team = rng.int(TEAM_NAMES.length);
  const title = rng.int(JOB_TITLES.length) + ctx.revOf('users', index);
  const user: RepcardRecord = {
    id,
    firstName,
    lastName,
    email: `${slug(firstName)}.${slug(lastName)}.${id}@example.com`,
    username: `${slug(firstName)}${id}`,
    phoneNumber: phoneNumber(rng, '801'),
    officeId,
    office: officeName(world, officeIndex),
    officeTeamId: officeId * 10 + team,
    team: TEAM_NAMES[team],
    jobTitle: JOB_TITLES[title % JOB_TITLES.length],
    image: rng.chance(0.6) ? `https://cdn.repcard.example/users/${id}/avatar.jpg` : null,
    rating: rng.chance(0.7) ? round(1 + rng.next() * 4, 1) : null,
    bio: rng.chance(0.3)
      ? `Knocking doors in ${officeName(world, officeIndex)} since ${2015 + rng.int(10)}.`
      : null,
    companyName: COMPANY_NAME,
    badgeId: rng.chance(0.8) ? `B${String(id).padStart(6, '0')}` : null,
    qrCode: `https://app.repcard.com/qr/${rng.hex(16)}`,
    externalId: rng.chance(0.3) ? `HR-${id}` : null,
    status: rng.chance(0.85) ? 1 : 0,
    role: world.userRole(index),
  };
  const knock = rng.chance(0.9) ? world.nowMs - rng.int(700) * DAY_MS - rng.int(86_400) * 1000 : null;
  if (extras.firstVerifiedDoorKnock)
    user.firstVerifiedDoorKnock = knock === null ? null : formatTimestamp(knock);
  if (extras.firstAppointment) {
    user.firstAppointment =
      knock === null || rng.chance(0.2) ? null : formatTimestamp(knock + rng.int(30) * DAY_MS);
  }
  return user;
}

/** The user summary embedded in appointments (`setter`, `closer`). */
export function userSummary(ctx: RenderContext, index: number): RepcardRecord {
  const u = renderUser(ctx, index);
  return {
    id: u.id,
    firstName: u.firstName,
    lastName: u.lastName,
    fullName: `${u.firstName as string} ${u.lastName as string}`,
    email: u.email,
    phoneNumber: u.phoneNumber,
  };
}
