import Table from 'cli-table3';
import pc from 'picocolors';
import { stringify } from 'yaml';

export type OutputFormat = 'json' | 'yaml' | 'table';

export interface Printer {
  format: OutputFormat;
  quiet: boolean;
  verbose: boolean;
  /** The command's result on stdout in the chosen format. */
  result(value: unknown, columns?: readonly string[]): void;
  /** A note for people on stderr (not with --quiet). */
  info(message: string): void;
  /** Details on stderr with --verbose only. */
  debug(message: string): void;
}

export function createPrinter(options: {
  format: OutputFormat;
  quiet?: boolean;
  verbose?: boolean;
}): Printer {
  const { format, quiet = false, verbose = false } = options;
  return {
    format,
    quiet,
    verbose,
    result: (value, columns) => process.stdout.write(`${render(value, format, columns)}\n`),
    info: (message) => {
      if (!quiet) process.stderr.write(`${message}\n`);
    },
    debug: (message) => {
      if (verbose) process.stderr.write(`${pc.dim(message)}\n`);
    },
  };
}

function render(value: unknown, format: OutputFormat, columns?: readonly string[]): string {
  if (format === 'json') return JSON.stringify(value, null, 2);
  if (format === 'yaml') return stringify(value).trimEnd();
  const rows = rowsOf(value);
  return rows ? listTable(rows, columns) : recordTable(value as Record<string, unknown>);
}

/** Lists render as rows: an array, or the `items` of a page. */
function rowsOf(value: unknown): Record<string, unknown>[] | undefined {
  if (Array.isArray(value)) return value as Record<string, unknown>[];
  const items = (value as { items?: unknown } | null)?.items;
  return Array.isArray(items) ? (items as Record<string, unknown>[]) : undefined;
}

/** Width the table may take: the terminal's, or 120 columns when not on one. */
function terminalWidth(): number {
  return process.stdout.columns || 120;
}

function listTable(rows: Record<string, unknown>[], wanted?: readonly string[]): string {
  if (rows.length === 0) return pc.dim('(none)');
  const columns =
    wanted ??
    Object.keys(rows[0]!)
      .filter((key) => isScalar(rows[0]![key]))
      .slice(0, 6);
  const width = Math.max(8, Math.floor((terminalWidth() - columns.length * 3 - 1) / columns.length));
  const table = new Table({
    head: columns.map((column) => pc.bold(column)),
    colWidths: columns.map(() => width),
    wordWrap: true,
    wrapOnWordBoundary: false,
    style: { head: [], border: [] },
  });
  for (const row of rows) table.push(columns.map((column) => cell(row[column])));
  return table.toString();
}

function recordTable(record: Record<string, unknown>): string {
  if (record === null || typeof record !== 'object') return String(record);
  const keyWidth = Math.min(30, Math.max(...Object.keys(record).map((key) => key.length), 4) + 2);
  const table = new Table({
    colWidths: [keyWidth, Math.max(10, terminalWidth() - keyWidth - 7)],
    wordWrap: true,
    wrapOnWordBoundary: false,
    style: { head: [], border: [] },
  });
  for (const [key, value] of Object.entries(record)) table.push([pc.bold(key), cell(value)]);
  return table.toString();
}

function isScalar(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  return isScalar(value) ? String(value) : JSON.stringify(value);
}
