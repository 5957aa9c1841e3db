/**
 * Step 5 of the analyze pipeline (DESIGN.md §4): normalize the prompt, detect its language and,
 * when asked, find or redact personal data before the prompt leaves the service.
 *
 * Language detection runs on the normalized text *before* redaction: it is local, and placeholders
 * such as `[EMAIL_1]` would pull short prompts towards English.
 */
import {
  type LanguageDetection,
  type LanguageDetector,
  type LanguageSource,
  type PiiFinding,
  scanPii,
} from '@structured-prompt/gateway';
import { normalizePrompt } from './normalize-prompt.ts';

type PiiMode = 'off' | 'detect' | 'redact';

export interface PreprocessOptions {
  /** `auto` to detect, or an ISO 639-1 code (a region such as `pt-BR` is dropped). */
  language?: string;
  pii?: PiiMode;
}

export interface PreprocessedPrompt {
  /** What the pipeline sends on: normalized, and redacted when `pii` is `redact`. */
  text: string;
  /** ISO 639-1 code, or `und` when the prompt carries no language (no letters, only a link). */
  language: string;
  languageConfidence: number;
  languageSource: LanguageSource;
  pii: {
    /** Offsets refer to the normalized (unredacted) prompt; values are never included. */
    findings: PiiFinding[];
    /** True when `text` had at least one value replaced by a placeholder. */
    redacted: boolean;
  };
  warnings: string[];
}

/** The prompt ready for the cache key and the model: normalized, redacted when asked. */
export interface PreparedPrompt {
  text: string;
  /** Normalized but never redacted: what language detection reads. */
  normalized: string;
  pii: PreprocessedPrompt['pii'];
  warnings: string[];
}

/**
 * Normalization and PII handling only. Language detection is separate so that a request answered
 * from the cache (whose answer already carries its language) does not pay for it.
 */
export function preparePrompt(prompt: string, options: Pick<PreprocessOptions, 'pii'> = {}): PreparedPrompt {
  const normalized = normalizePrompt(prompt);
  const mode = options.pii ?? 'off';
  const scan = mode === 'off' ? { findings: [], redactedText: normalized } : scanPii(normalized);
  const redacted = mode === 'redact' && scan.findings.length > 0;
  const warnings: string[] = [];
  if (scan.findings.length > 0) {
    const types = [...new Set(scan.findings.map((finding) => finding.type))].join(', ');
    warnings.push(
      redacted
        ? `personal data redacted before generation (${types})`
        : `prompt contains personal data (${types})`,
    );
  }
  return {
    text: redacted ? scan.redactedText : normalized,
    normalized,
    pii: { findings: scan.findings, redacted },
    warnings,
  };
}

const detectionSampleChars = 512;

/** Detects (or takes the forced) language of a prepared prompt, with a warning for a bad forced code. */
export function detectPromptLanguage(
  detector: LanguageDetector,
  prepared: Pick<PreparedPrompt, 'normalized'>,
  requestedLanguage = 'auto',
): { detection: LanguageDetection; warnings: string[] } {
  // The opening of a prompt tells its language as well as the whole of it does, and detection time
  // grows with length: long prompts (up to 10,000 characters) are judged on their first 512.
  const detection = detector.detect(prepared.normalized.slice(0, detectionSampleChars), requestedLanguage);
  const warnings =
    requestedLanguage !== 'auto' && detection.source !== 'forced'
      ? [`language "${requestedLanguage}" is not a language code; the language was detected instead`]
      : [];
  return { detection, warnings };
}

export function preprocessPrompt(
  detector: LanguageDetector,
  prompt: string,
  options: PreprocessOptions = {},
): PreprocessedPrompt {
  const prepared = preparePrompt(prompt, options);
  const { detection, warnings } = detectPromptLanguage(detector, prepared, options.language ?? 'auto');
  return {
    text: prepared.text,
    language: detection.language,
    languageConfidence: detection.confidence,
    languageSource: detection.source,
    pii: prepared.pii,
    warnings: [...warnings, ...prepared.warnings],
  };
}
