import type { UsageReport } from '@structured-prompt/contracts';

/**
 * One CSV field (RFC 4180 quoting). Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`
 * first) is prefixed with a quote mark; numbers are written as they are.
 */
function field(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The series of a usage report as CSV, one row per bucket (and group), with a header row. */
export function usageCsv(report: UsageReport): string {
  const metricColumns = Object.keys(report.totals);
  const columns = ['bucket_start', ...(report.group_by ? ['group'] : []), ...metricColumns];
  const lines = [columns.join(',')];
  for (const point of report.series) {
    const row = point as Record<string, unknown>;
    lines.push(columns.map((column) => field(row[column])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
