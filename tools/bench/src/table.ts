/** Prints rows as an aligned text table. */
export function printTable(title: string, rows: Record<string, string | number>[]): void {
  if (rows.length === 0) return;
  const headers = Object.keys(rows[0]!);
  const cells = [headers, ...rows.map((r) => headers.map((h) => String(r[h] ?? '')))];
  const widths = headers.map((_, i) => Math.max(...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i]!)).join('  ');
  console.log(`\n${title}\n${line(headers)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const c of cells.slice(1)) console.log(line(c));
}
