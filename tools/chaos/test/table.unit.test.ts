import { addTallies, exact } from '../src/check/tally';
import { resultTable } from '../src/table';

describe('chaos results', () => {
  it('when results are printed, then each is a row of a Markdown table with its counts and time to recover', () => {
    const table = resultTable([
      {
        case: 'kill',
        fault: 'kill -9',
        checked: 4001,
        lost: 0,
        doubled: 0,
        recoverMs: 12_345,
        ok: true,
        notes: [],
      },
      {
        case: 'kafka',
        fault: 'Kafka paused',
        checked: 10,
        lost: 2,
        doubled: 1,
        recoverMs: undefined,
        ok: false,
        notes: [],
      },
    ]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(
      /^\| fault +\| records checked \| lost \| doubled \| time to recover \| result \|$/,
    );
    expect(lines[2]).toMatch(/\| kill -9 +\| +4001 \| +0 \| +0 \| +12\.3 s \| +pass \|/);
    expect(lines[3]).toMatch(/\| +2 \| +1 \| +never \| +FAIL \|$/);
  });

  it('when tallies are added, then the counts sum and exact means nothing lost, doubled or differing', () => {
    const sum = addTallies(
      { checked: 3, lost: 0, doubled: 0, differs: 0, samples: [] },
      { checked: 2, lost: 1, doubled: 0, differs: 0, samples: ['x'] },
    );
    expect(sum).toEqual({ checked: 5, lost: 1, doubled: 0, differs: 0, samples: ['x'] });
    expect(exact(sum)).toBe(false);
    expect(exact({ ...sum, lost: 0 })).toBe(true);
  });
});
