import type { DriftReport } from '@tributary/sync';

const cell = (v: unknown, width: number): string => {
  const text = v === null || v === undefined ? 'null' : typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
};

/** The drift report as text, every line at most 80 wide: per entity, then each difference (at most `limit`). */
export function driftTable(report: DriftReport, limit = 40): string {
  const lines = [
    `${'entity'.padEnd(24)} ${'sampled'.padStart(7)} ${'same'.padStart(6)} ${'differs'.padStart(7)} ${'missing'.padStart(7)} ${'deleted'.padStart(7)}`,
  ];
  for (const e of report.entities) {
    lines.push(
      `${e.entity.padEnd(24)} ${String(e.sampled).padStart(7)} ${String(e.same).padStart(6)} ${String(e.differs).padStart(7)} ${String(e.missing).padStart(7)} ${String(e.deleted).padStart(7)}`,
    );
  }
  lines.push(`${report.sampled} records sampled with ${report.requests} requests: ${report.verdict}`);
  for (const d of report.drifted.slice(0, limit)) {
    const older = d.olderAtSource ? ' (the source answers an older version)' : '';
    lines.push(`${d.entity} ${d.id}: ${d.kind}${older}`);
    for (const diff of report.differences.filter((x) => x.entity === d.entity && x.id === d.id).slice(0, 8)) {
      lines.push(
        `  ${cell(diff.field, 20)}: stored ${cell(diff.stored, 22)} source ${cell(diff.source, 22)}`,
      );
    }
  }
  if (report.drifted.length > limit)
    lines.push(`... ${report.drifted.length - limit} more (--json lists them all)`);
  return lines.join('\n');
}
