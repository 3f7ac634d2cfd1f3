/**
 * US states (and DC, Puerto Rico) by USPS code, for the dashboard's geography. Pure: no I/O.
 * The read models keep the state as the source sent it ("UT", "ut ", "Utah"): `stateCode` folds
 * those to one code so a state is counted once.
 */
export const US_STATES: Readonly<Record<string, string>> = {
  AL: 'Alabama',
  AK: 'Alaska',
  AZ: 'Arizona',
  AR: 'Arkansas',
  CA: 'California',
  CO: 'Colorado',
  CT: 'Connecticut',
  DE: 'Delaware',
  DC: 'District of Columbia',
  FL: 'Florida',
  GA: 'Georgia',
  HI: 'Hawaii',
  ID: 'Idaho',
  IL: 'Illinois',
  IN: 'Indiana',
  IA: 'Iowa',
  KS: 'Kansas',
  KY: 'Kentucky',
  LA: 'Louisiana',
  ME: 'Maine',
  MD: 'Maryland',
  MA: 'Massachusetts',
  MI: 'Michigan',
  MN: 'Minnesota',
  MS: 'Mississippi',
  MO: 'Missouri',
  MT: 'Montana',
  NE: 'Nebraska',
  NV: 'Nevada',
  NH: 'New Hampshire',
  NJ: 'New Jersey',
  NM: 'New Mexico',
  NY: 'New York',
  NC: 'North Carolina',
  ND: 'North Dakota',
  OH: 'Ohio',
  OK: 'Oklahoma',
  OR: 'Oregon',
  PA: 'Pennsylvania',
  PR: 'Puerto Rico',
  RI: 'Rhode Island',
  SC: 'South Carolina',
  SD: 'South Dakota',
  TN: 'Tennessee',
  TX: 'Texas',
  UT: 'Utah',
  VT: 'Vermont',
  VA: 'Virginia',
  WA: 'Washington',
  WV: 'West Virginia',
  WI: 'Wisconsin',
  WY: 'Wyoming',
};

const CODE_OF_NAME = new Map(Object.entries(US_STATES).map(([code, name]) => [name.toLowerCase(), code]));

/** What a row's state is counted as: a USPS code, `OTHER` for anything else, `UNKNOWN` when empty. */
export function stateCode(raw: string | null | undefined): string {
  const text = (raw ?? '').trim().replace(/\s+/g, ' ');
  if (text === '') return 'UNKNOWN';
  const upper = text.toUpperCase().replace(/\./g, '');
  if (upper in US_STATES) return upper;
  return CODE_OF_NAME.get(text.toLowerCase()) ?? 'OTHER';
}

/** The name shown for a code from `stateCode`. */
export function stateName(code: string): string {
  if (code === 'UNKNOWN') return 'No state';
  if (code === 'OTHER') return 'Outside the US / unrecognised';
  return US_STATES[code] ?? code;
}

export interface StateFigures {
  customers: number;
  practices: number;
  activePractices: number;
  orders: number;
  revenue: number;
}

export interface StateRow extends StateFigures {
  state: string;
  name: string;
}

/**
 * Folds per-raw-state figures into one row per state code, ranked by customers + practices (then
 * revenue, then code). Unknown and unrecognised states come last whatever their size.
 */
export function rankStates(
  rows: readonly ({ rawState: string | null } & Partial<StateFigures>)[],
): StateRow[] {
  const by = new Map<string, StateRow>();
  for (const r of rows) {
    const state = stateCode(r.rawState);
    const row = by.get(state) ?? {
      state,
      name: stateName(state),
      customers: 0,
      practices: 0,
      activePractices: 0,
      orders: 0,
      revenue: 0,
    };
    row.customers += r.customers ?? 0;
    row.practices += r.practices ?? 0;
    row.activePractices += r.activePractices ?? 0;
    row.orders += r.orders ?? 0;
    row.revenue += r.revenue ?? 0;
    by.set(state, row);
  }
  const last = (s: string): number => (s === 'UNKNOWN' || s === 'OTHER' ? 1 : 0);
  return [...by.values()].sort(
    (a, b) =>
      last(a.state) - last(b.state) ||
      b.customers + b.practices - (a.customers + a.practices) ||
      b.revenue - a.revenue ||
      a.state.localeCompare(b.state),
  );
}
