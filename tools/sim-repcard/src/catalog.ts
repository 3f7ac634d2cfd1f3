/** Static vocabularies the generators draw from (door-to-door solar sales flavour). */

export const FIRST_NAMES = [
  'James',
  'Mary',
  'John',
  'Patricia',
  'Robert',
  'Jennifer',
  'Michael',
  'Linda',
  'William',
  'Elizabeth',
  'David',
  'Barbara',
  'Richard',
  'Susan',
  'Joseph',
  'Jessica',
  'Thomas',
  'Sarah',
  'Charles',
  'Karen',
  'Daniel',
  'Nancy',
  'Matthew',
  'Lisa',
  'Anthony',
  'Betty',
  'Mark',
  'Sandra',
  'Steven',
  'Ashley',
  'Andrew',
  'Emily',
  'Joshua',
  'Michelle',
  'Kevin',
  'Amanda',
  'Brian',
  'Melissa',
  'Tyler',
  'Brooke',
  'José',
  'Zoë',
  "D'Andre",
  'Siobhán',
] as const;

export const LAST_NAMES = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Gonzalez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Taylor',
  'Moore',
  'Jackson',
  'Martin',
  'Lee',
  'Perez',
  'Thompson',
  'White',
  'Harris',
  'Sanchez',
  'Clark',
  'Ramirez',
  'Lewis',
  'Robinson',
  'Walker',
  'Young',
  'Allen',
  'King',
  'Wright',
  'Scott',
  'Torres',
  'Nguyen',
  'Hill',
  "O'Brien",
  'Van der Berg',
  'Peña',
] as const;

export interface City {
  city: string;
  state: string;
  zipPrefix: string;
  lat: number;
  lng: number;
  timezone: string;
}

export const CITIES: readonly City[] = [
  {
    city: 'Salt Lake City',
    state: 'UT',
    zipPrefix: '841',
    lat: 40.7608,
    lng: -111.891,
    timezone: 'America/Denver',
  },
  { city: 'Provo', state: 'UT', zipPrefix: '846', lat: 40.2338, lng: -111.6585, timezone: 'America/Denver' },
  { city: 'Lehi', state: 'UT', zipPrefix: '840', lat: 40.3916, lng: -111.8508, timezone: 'America/Denver' },
  {
    city: 'Phoenix',
    state: 'AZ',
    zipPrefix: '850',
    lat: 33.4484,
    lng: -112.074,
    timezone: 'America/Phoenix',
  },
  { city: 'Mesa', state: 'AZ', zipPrefix: '852', lat: 33.4152, lng: -111.8315, timezone: 'America/Phoenix' },
  {
    city: 'Las Vegas',
    state: 'NV',
    zipPrefix: '891',
    lat: 36.1699,
    lng: -115.1398,
    timezone: 'America/Los_Angeles',
  },
  {
    city: 'Sacramento',
    state: 'CA',
    zipPrefix: '958',
    lat: 38.5816,
    lng: -121.4944,
    timezone: 'America/Los_Angeles',
  },
  {
    city: 'Fresno',
    state: 'CA',
    zipPrefix: '937',
    lat: 36.7378,
    lng: -119.7871,
    timezone: 'America/Los_Angeles',
  },
  { city: 'Dallas', state: 'TX', zipPrefix: '752', lat: 32.7767, lng: -96.797, timezone: 'America/Chicago' },
  { city: 'Austin', state: 'TX', zipPrefix: '787', lat: 30.2672, lng: -97.7431, timezone: 'America/Chicago' },
  { city: 'Tampa', state: 'FL', zipPrefix: '336', lat: 27.9506, lng: -82.4572, timezone: 'America/New_York' },
  {
    city: 'Orlando',
    state: 'FL',
    zipPrefix: '328',
    lat: 28.5383,
    lng: -81.3792,
    timezone: 'America/New_York',
  },
  { city: 'Denver', state: 'CO', zipPrefix: '802', lat: 39.7392, lng: -104.9903, timezone: 'America/Denver' },
  { city: 'Boise', state: 'ID', zipPrefix: '837', lat: 43.615, lng: -116.2023, timezone: 'America/Boise' },
  {
    city: 'Honolulu',
    state: 'HI',
    zipPrefix: '968',
    lat: 21.3069,
    lng: -157.8583,
    timezone: 'Pacific/Honolulu',
  },
];

export const STREETS = [
  'Main St',
  'Oak Ave',
  'Maple Dr',
  'Cedar Ln',
  'Pine St',
  'Elm St',
  'Washington Blvd',
  'Lakeview Dr',
  'Sunset Blvd',
  'Canyon Rd',
  'Mesa Verde Way',
  'Ridgeview Ct',
  'Aspen Cir',
  'Cottonwood Dr',
  'Juniper Pl',
] as const;

export const JOB_TITLES = [
  'Sales Rep',
  'Setter',
  'Closer',
  'Field Marketer',
  'Energy Consultant',
  'Team Lead',
] as const;
export const TEAM_NAMES = ['Alpha', 'Bravo', 'Summit', 'Titan', 'Rookies'] as const;
export const CONTACT_SOURCES = ['Door Knock', 'Referral', 'Web Lead', 'Import', 'Event'] as const;
export const CUSTOMER_TYPES = ['Residential', 'Commercial'] as const;
export const COMPANY_NAME = 'Tributary Solar LLC';
export const COMPANY_ID = 1042;

/** Customer statuses (door-knock outcomes); status logs move customers between them. */
export const CUSTOMER_STATUSES = [
  { id: 1, statusName: 'New Lead' },
  { id: 2, statusName: 'Not Home' },
  { id: 3, statusName: 'Not Interested' },
  { id: 4, statusName: 'Come Back' },
  { id: 5, statusName: 'Appointment Set' },
  { id: 6, statusName: 'Sat' },
  { id: 7, statusName: 'Sold' },
  { id: 8, statusName: 'Do Not Knock' },
] as const;

/** Appointment statuses; the title is the disposition. */
export const APPOINTMENT_STATUSES = [
  { id: 21, title: 'Sat', category: { id: 1, title: 'Sat' } },
  { id: 22, title: 'Sold', category: { id: 1, title: 'Sat' } },
  { id: 23, title: 'No Show', category: { id: 2, title: 'Not Sat' } },
  { id: 24, title: 'Rescheduled', category: { id: 2, title: 'Not Sat' } },
  { id: 25, title: 'Cancelled', category: { id: 3, title: 'Cancelled' } },
  { id: 26, title: 'Credit Fail', category: { id: 1, title: 'Sat' } },
] as const;

export const APPOINTMENT_TITLES = [
  'Solar Consultation',
  'Site Survey',
  'Proposal Review',
  'Follow-up',
] as const;
export const APPOINTMENT_NOTES = [
  'Homeowner asked for both spouses to be present.',
  'High summer bills, south-facing roof.',
  'Gate code 4411. Dog in yard.',
  '',
  'Wants battery backup pricing — “asap”.',
] as const;

export const ATTACHMENT_KINDS = [
  { type: 'image', title: 'Roof photo', prefix: 'IMG_', ext: 'jpg' },
  { type: 'image', title: 'Meter photo', prefix: 'meter_', ext: 'png' },
  { type: 'document', title: 'Power bill', prefix: 'power_bill_', ext: 'pdf' },
  { type: 'document', title: 'Signed agreement', prefix: 'agreement_', ext: 'pdf' },
] as const;
