import { CITIES } from '../catalog';
import type { RepcardRecord } from '../entities';
import { SALT, type World } from '../world';
import { phoneNumber, slug, type RenderContext } from './context';

const QUARTERS = ['North', 'South', 'East', 'West', 'Central'] as const;

function officeCity(world: World, index: number): (typeof CITIES)[number] {
  return CITIES[world.hash('offices', index, SALT.office) % CITIES.length] as (typeof CITIES)[number];
}

/** Office names never change (users embed them). */
export function officeName(world: World, index: number): string {
  const quarter = QUARTERS[world.hash('offices', index, SALT.office + 1) % QUARTERS.length] as string;
  return `${officeCity(world, index).city} ${quarter}`;
}

/** `GET /offices` record (no companyId, no timestamps); an update changes `officeMobile`. */
export function renderOffice(ctx: RenderContext, index: number): RepcardRecord {
  const { world } = ctx;
  const rng = world.rng('offices', index);
  const city = officeCity(world, index);
  const name = officeName(world, index);
  const rev = ctx.revOf('offices', index);
  const mobile = phoneNumber(rng, '385');
  return {
    id: world.idOf('offices', index),
    officeName: name,
    officeEmail: rng.chance(0.8) ? `${slug(name)}@tributarysolar.example` : null,
    officeAddress: `${100 + rng.int(9_900)} ${rng.pick(['Commerce Dr', 'Center St', 'Business Pkwy'])}`,
    officeMobile: rev === 0 ? mobile : phoneNumber(rng, '435'),
    officeCity: city.city,
    officeState: city.state,
    officeZip: `${city.zipPrefix}${String(rng.int(100)).padStart(2, '0')}`,
    fullPathOfficeLogo: rng.chance(0.5) ? `https://cdn.repcard.example/offices/${slug(name)}.png` : null,
  };
}
