import type { CaseResult } from './types';

const seconds = (ms: number | undefined): string =>
  ms === undefined ? 'never' : `${(ms / 1000).toFixed(1)} s`;

/** The results as a Markdown table (it goes into the README as printed). */
export function resultTable(results: readonly CaseResult[]): string {
  const rows = [
    ['fault', 'records checked', 'lost', 'doubled', 'time to recover', 'result'],
    ...results.map((r) => [
      r.fault,
      String(r.checked),
      String(r.lost),
      String(r.doubled),
      seconds(r.recoverMs),
      r.ok ? 'pass' : 'FAIL',
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, c) => (c === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join('\n');
}
