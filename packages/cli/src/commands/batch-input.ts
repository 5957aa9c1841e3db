import { existsSync, readFileSync } from 'node:fs';
import type { AnalyzeInput } from '@structured-prompt/sdk';
import { parse as parseCsv } from 'csv-parse/sync';
import { UsageError } from '../exit-codes.ts';

/**
 * The items of a batch file: JSON lines (each an analyze request, or a bare string prompt) or CSV
 * with a header row (a `prompt` column; `template_id`, `schema_id` columns; any other column is a
 * template parameter).
 */
export function readBatchItems(path: string): AnalyzeInput[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
  return path.toLowerCase().endsWith('.csv') ? csvItems(text) : jsonLineItems(text, path);
}

function jsonLineItems(text: string, path: string): AnalyzeInput[] {
  return text
    .split('\n')
    .map((line, number) => ({ line: line.trim(), number: number + 1 }))
    .filter(({ line }) => line !== '')
    .map(({ line, number }) => {
      try {
        const value = JSON.parse(line) as unknown;
        return (typeof value === 'string' ? { prompt: value } : value) as AnalyzeInput;
      } catch {
        throw new UsageError(`${path}:${number} is not JSON`);
      }
    });
}

function csvItems(text: string): AnalyzeInput[] {
  const rows = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<
    string,
    string
  >[];
  return rows.map((row) => {
    const { prompt, template_id, schema_id, ...rest } = row;
    const item: Record<string, unknown> = {};
    if (prompt) item.prompt = prompt;
    if (template_id) item.template_id = template_id;
    if (schema_id) item.schema_id = schema_id;
    if (Object.keys(rest).length > 0 && template_id) item.parameters = rest;
    return item as AnalyzeInput;
  });
}

/** Indexes already in an output file, so that `--resume` sends only the rest. */
export function finishedIndexes(outputPath: string): Set<number> {
  const done = new Set<number>();
  if (!existsSync(outputPath)) return done;
  for (const line of readFileSync(outputPath, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const index = (JSON.parse(line) as { index?: unknown }).index;
      if (typeof index === 'number') done.add(index);
    } catch {
      // A line cut short by an interruption: that item runs again.
    }
  }
  return done;
}
