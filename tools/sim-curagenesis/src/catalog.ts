/** Fixed vocabularies the generated records draw from. */

/** US state codes with rough population weights (more practices where more people live). */
export const STATES: readonly (readonly [string, number])[] = [
  ['CA', 39], ['TX', 30], ['FL', 22], ['NY', 20], ['PA', 13], ['IL', 13], ['OH', 12], ['GA', 11],
  ['NC', 11], ['MI', 10], ['NJ', 9], ['VA', 9], ['WA', 8], ['AZ', 7], ['TN', 7], ['MA', 7], ['IN', 7],
  ['MO', 6], ['MD', 6], ['WI', 6], ['CO', 6], ['MN', 6], ['SC', 5], ['AL', 5], ['LA', 5], ['KY', 5],
  ['OR', 4], ['OK', 4], ['CT', 4], ['UT', 3], ['IA', 3], ['NV', 3], ['AR', 3], ['MS', 3], ['KS', 3],
  ['NM', 2], ['NE', 2], ['ID', 2], ['WV', 2], ['HI', 1], ['NH', 1], ['ME', 1], ['MT', 1], ['RI', 1],
  ['DE', 1], ['SD', 1], ['ND', 1], ['AK', 1], ['DC', 1], ['VT', 1], ['WY', 1],
];

export const SPECIALTIES: readonly string[] = [
  'Podiatry',
  'Wound Care',
  'Dermatology',
  'Primary Care',
  'Vascular Surgery',
  'Plastic Surgery',
  'Orthopedics',
  'Internal Medicine',
  'Family Medicine',
  'Geriatrics',
];

export const FIRST_NAMES: readonly string[] = [
  'Avery', 'Jordan', 'Taylor', 'Morgan', 'Casey', 'Riley', 'Jamie', 'Quinn', 'Cameron', 'Drew',
  'Logan', 'Parker', 'Reese', 'Rowan', 'Skyler', 'Emerson', 'Hayden', 'Kendall', 'Peyton', 'Sawyer',
];

export const LAST_NAMES: readonly string[] = [
  'Nguyen', 'Patel', 'Garcia', 'Johnson', 'Okafor', 'Schmidt', 'Rossi', 'Kim', 'Haddad', 'Silva',
  'Novak', 'Larsen', 'Murphy', 'Tanaka', 'Fischer', 'Alvarez', 'Cohen', 'Dubois', 'Hughes', 'Mendez',
];

export const PRACTICE_NAME_PARTS = {
  first: ['Summit', 'Riverside', 'Lakeside', 'Cedar', 'Pinnacle', 'Harbor', 'Meadow', 'Granite', 'Sunrise', 'Valley'],
  second: ['Wound Care', 'Foot & Ankle', 'Skin Health', 'Family Clinic', 'Medical Group', 'Healing Center'],
} as const;

/** Products an order line can carry; unit prices in cents. */
export const PRODUCTS: readonly { sku: string; productName: string; unitPriceCents: number }[] = [
  { sku: 'CG-AMN-2X2', productName: 'Amniotic Membrane Allograft 2x2 cm', unitPriceCents: 48_500 },
  { sku: 'CG-AMN-2X3', productName: 'Amniotic Membrane Allograft 2x3 cm', unitPriceCents: 69_900 },
  { sku: 'CG-AMN-4X4', productName: 'Amniotic Membrane Allograft 4x4 cm', unitPriceCents: 164_000 },
  { sku: 'CG-CHR-2X2', productName: 'Chorion Membrane 2x2 cm', unitPriceCents: 39_900 },
  { sku: 'CG-CHR-4X6', productName: 'Chorion Membrane 4x6 cm', unitPriceCents: 219_500 },
  { sku: 'CG-FLW-1CC', productName: 'Flowable Matrix 1 cc', unitPriceCents: 89_000 },
  { sku: 'CG-DRS-10', productName: 'Secondary Dressing Kit (10)', unitPriceCents: 4_250 },
  { sku: 'CG-CMP-WRAP', productName: 'Compression Wrap', unitPriceCents: 1_899 },
];
