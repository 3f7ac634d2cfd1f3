import { createRepcardSimulator, ENTITIES, type RepcardRecord } from '../src/index';

describe('generated data set', () => {
  const sim = createRepcardSimulator({ seed: 11, size: 3_000 });
  const ds = sim.dataset;
  const all = (entity: (typeof ENTITIES)[number]): RepcardRecord[] => [...ds.iterate(entity)];

  it('when the same seed is used twice, then every record is identical', () => {
    const twin = createRepcardSimulator({ seed: 11, size: 3_000 }).dataset;
    for (const entity of ENTITIES) expect([...twin.iterate(entity)]).toEqual(all(entity));
  });

  it('when another seed is used, then the records differ', () => {
    const other = createRepcardSimulator({ seed: 12, size: 3_000 }).dataset;
    for (const entity of ENTITIES) expect(other.record(entity, 0)).not.toEqual(ds.record(entity, 0));
  });

  it('when only size is given, then it is split in the documented proportions', () => {
    expect(ds.counts()).toEqual({
      users: 30,
      offices: 3,
      customers: 1050,
      appointments: 750,
      status_logs: 750,
      customer_attachments: 240,
      appointment_attachments: 177,
    });
    expect(Object.values(ds.counts()).reduce((a, b) => a + b)).toBe(3_000);
  });

  it('when records are generated, then their timestamps grow with the index and use the RepCard format', () => {
    const customers = all('customers');
    const created = customers.map((c) => c.createdAt as string);
    expect([...created].sort()).toEqual(created);
    for (const c of customers) {
      expect(c.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000000Z$/);
      expect((c.updatedAt as string) >= (c.createdAt as string)).toBe(true);
      expect((c.updatedAt as string) < '2026-01-01').toBe(true);
    }
    expect(created[0]! >= '2024-01-02').toBe(true);
    for (const a of all('appointments')) {
      expect(a.startAt).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      expect(a.endAt).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      expect(a.startAtTimezone).toMatch(/^(America|Pacific)\//);
    }
    for (const log of all('status_logs')) expect(log._id).toMatch(/^[0-9a-f]{24}$/);
  });

  it('when relationships are followed, then every reference points at an existing record', () => {
    const ids = (entity: (typeof ENTITIES)[number]) => new Set(all(entity).map((r) => r.id));
    const users = ids('users');
    const offices = ids('offices');
    const customers = ids('customers');
    const appointments = ids('appointments');
    for (const u of all('users')) expect(offices.has(u.officeId)).toBe(true);
    for (const c of all('customers')) {
      expect(users.has(c.userId)).toBe(true);
      expect(users.has(c.ownerId)).toBe(true);
    }
    for (const a of all('appointments')) {
      expect(customers.has((a.contact as RepcardRecord).id)).toBe(true);
      expect(users.has(a.userId)).toBe(true);
      expect(a.closerId === null || users.has(a.closerId)).toBe(true);
      expect((a.setter as RepcardRecord).id).toBe(a.userId);
    }
    for (const l of all('status_logs')) {
      expect(customers.has(l.customerId)).toBe(true);
      expect(users.has(l.userId)).toBe(true);
    }
    for (const x of all('customer_attachments')) expect(customers.has(x.customerId)).toBe(true);
    for (const x of all('appointment_attachments')) expect(appointments.has(x.appointmentId)).toBe(true);
  });

  it('when records are generated, then some optional fields are null', () => {
    const appointments = all('appointments');
    expect(appointments.some((a) => a.status === null)).toBe(true);
    expect(appointments.some((a) => a.status !== null)).toBe(true);
    expect(appointments.some((a) => a.closer === null && a.closerId === null)).toBe(true);
    expect(all('status_logs').some((l) => l.statusFrom === null)).toBe(true);
    expect(all('customers').some((c) => c.email === null)).toBe(true);
    expect(all('users').some((u) => u.rating === null)).toBe(true);
  });

  it('when records are listed, then field names match API-NOTES', () => {
    expect(Object.keys(ds.record('users', 0)).sort()).toEqual(
      [
        'id',
        'firstName',
        'lastName',
        'email',
        'username',
        'phoneNumber',
        'officeId',
        'office',
        'officeTeamId',
        'team',
        'jobTitle',
        'image',
        'rating',
        'bio',
        'companyName',
        'badgeId',
        'qrCode',
        'externalId',
        'status',
        'role',
      ].sort(),
    );
    expect(Object.keys(ds.record('offices', 0)).sort()).toEqual(
      [
        'id',
        'officeName',
        'officeEmail',
        'officeAddress',
        'officeMobile',
        'officeCity',
        'officeState',
        'officeZip',
        'fullPathOfficeLogo',
      ].sort(),
    );
    expect(Object.keys(ds.record('customer_attachments', 0)).sort()).toEqual(
      ['id', 'attachmentUrl', 'userId', 'customerId'].sort(),
    );
    expect(Object.keys(ds.record('appointment_attachments', 0)).sort()).toEqual(
      ['id', 'attachmentUrl', 'type', 'userId', 'appointmentId'].sort(),
    );
    expect(Object.keys(ds.record('status_logs', 0)).sort()).toEqual(
      ['_id', 'customerId', 'statusFrom', 'statusTo', 'userId', 'companyId', 'createdAt', 'updatedAt'].sort(),
    );
  });

  it('when an id is looked up, then indexOfId inverts idOf, and unknown ids are undefined', () => {
    for (const entity of ENTITIES) {
      for (const index of [0, 1, ds.count(entity) - 1]) {
        expect(ds.indexOfId(entity, ds.idOf(entity, index))).toBe(index);
      }
    }
    expect(ds.indexOfId('customers', 1)).toBeUndefined();
    expect(ds.indexOfId('status_logs', 'ffffffffffffffffffffffff')).toBeUndefined();
  });

  it('when children of a record are asked for, then they are exactly the records pointing at it', () => {
    const attachments = all('customer_attachments');
    for (const customer of [0, 1, 500, 1049]) {
      const id = ds.idOf('customers', customer);
      const expected = attachments.flatMap((a, i) => (a.customerId === id ? [i] : []));
      expect(ds.childrenOf('customer_attachments', customer)).toEqual(expected);
    }
    for (const [child, parent] of [
      ['customer_attachments', 'customers'],
      ['appointments', 'customers'],
      ['status_logs', 'customers'],
      ['appointment_attachments', 'appointments'],
    ] as const) {
      const small = createRepcardSimulator({ seed: 5, size: 800 }).dataset;
      let found = 0;
      for (let p = 0; p < small.count(parent); p++) found += small.childrenOf(child, p).length;
      expect(found).toBe(small.count(child));
    }
  });

  it('when counts leave a child without parents, then creating the simulator fails naming it', () => {
    expect(() => createRepcardSimulator({ counts: { customers: 0 }, size: 100 })).toThrow(
      /appointments need/,
    );
  });
});
