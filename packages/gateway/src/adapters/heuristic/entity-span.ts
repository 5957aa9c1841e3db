import type { PromptAnalysis } from '@structured-prompt/contracts';

export type EntityType = PromptAnalysis['entities'][number]['type'];

/** An entity with where it was found, so extractors can avoid claiming the same characters twice. */
export interface EntitySpan {
  type: EntityType;
  value: string;
  /** UTF-16 offsets into the prompt, end exclusive. */
  start: number;
  end: number;
}

export function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && a.end > b.start;
}
