/**
 * The offline analysis of one prompt into the default schema's shape. Pure and deterministic for a
 * given prompt, language and clock.
 */
import type { PromptAnalysis } from '@structured-prompt/contracts';
import type { LanguageDetector } from '../../text/language-detector.ts';
import { matchIntent } from './classify-intent.ts';
import { detectOutputFormat } from './detect-output-format.ts';
import type { EntitySpan } from './entity-span.ts';
import { extractEntitySpans } from './extract-entities.ts';
import { findSubject } from './find-subject.ts';

export interface AnalyzeOptions {
  /** ISO 639-1 code when the pipeline already knows it; detected otherwise. */
  language?: string;
  now: Date;
  /** The service's language detector, loaded once at start. */
  languageDetector: LanguageDetector;
}

export interface HeuristicAnalysis {
  analysis: PromptAnalysis;
  /** Entities with their offsets, for the custom-schema filler. */
  spans: EntitySpan[];
  languageConfidence: number;
}

/** Bounds the work on huge prompts; the pipeline caps prompts at 10,000 characters anyway. */
const maximumAnalyzedLength = 20_000;

export function analyzePrompt(prompt: string, options: AnalyzeOptions): HeuristicAnalysis {
  const text = prompt.length > maximumAnalyzedLength ? prompt.slice(0, maximumAnalyzedLength) : prompt;
  // `und` from preprocessing is re-detected here: the best guess still picks date parsers and keywords.
  const known = options.language && options.language !== 'auto' && options.language !== 'und';
  const detector = options.languageDetector;
  const detection = known ? detector.detect(text, options.language) : detector.detect(text);
  const language = detection.language;
  // Undetermined short prompts are still searched with the best guess's date parser and keywords.
  const workingLanguage = language === 'und' ? (detection.candidate ?? 'und') : language;
  const { intent, verbEnd } = matchIntent(text, workingLanguage);
  const spans = extractEntitySpans(text, {
    language: workingLanguage,
    now: options.now,
    translating: intent === 'translate',
  });
  const subject = findSubject(text, { intent, verbEnd, entities: spans });
  return {
    analysis: {
      intent,
      subject,
      entities: spans.map(({ type, value }) => ({ type, value })),
      output_format: detectOutputFormat(text, intent),
      original_language: language,
    },
    spans,
    languageConfidence: detection.confidence,
  };
}
