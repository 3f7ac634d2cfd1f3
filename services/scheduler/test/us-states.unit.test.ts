import { rankStates, stateCode, stateName } from '../src/domain/us-states';

describe('stateCode', () => {
  it('when a state comes as a code, a name, or with stray case and spaces, then it is one USPS code', () => {
    expect(stateCode('UT')).toBe('UT');
    expect(stateCode(' ut ')).toBe('UT');
    expect(stateCode('Utah')).toBe('UT');
    expect(stateCode('new  york')).toBe('NY');
    expect(stateCode('D.C.')).toBe('DC');
  });

  it('when a state is empty or not a US state, then it is UNKNOWN or OTHER', () => {
    expect(stateCode(null)).toBe('UNKNOWN');
    expect(stateCode('  ')).toBe('UNKNOWN');
    expect(stateCode('Ontario')).toBe('OTHER');
    expect(stateName('OTHER')).toMatch(/unrecognised/);
    expect(stateName('TX')).toBe('Texas');
  });
});

describe('rankStates', () => {
  it('when rows of one state come from both sources, then they are summed into one row', () => {
    const rows = rankStates([
      { rawState: 'UT', customers: 10 },
      { rawState: 'Utah', practices: 2, activePractices: 1, orders: 3, revenue: 150.5 },
      { rawState: 'ut', customers: 1 },
    ]);
    expect(rows).toEqual([
      {
        state: 'UT',
        name: 'Utah',
        customers: 11,
        practices: 2,
        activePractices: 1,
        orders: 3,
        revenue: 150.5,
      },
    ]);
  });

  it('when states are ranked, then by customers + practices, then revenue, with unknown and unrecognised ones last', () => {
    const rows = rankStates([
      { rawState: null, customers: 100 },
      { rawState: 'TX', customers: 3 },
      { rawState: 'CA', customers: 2, practices: 1, revenue: 10 },
      { rawState: 'AZ', practices: 3, revenue: 5 },
      { rawState: 'Narnia', customers: 50 },
    ]);
    expect(rows.map((r) => r.state)).toEqual(['CA', 'AZ', 'TX', 'UNKNOWN', 'OTHER']);
  });
});
