/**
 * Step 5 of the analyze pipeline (DESIGN.md §4): normalize the prompt, detect its language and,
 * when asked, find or redact personal data before the prompt leaves the service.
 *
 * Language detection runs on the normalized text *before* redaction: it is local, and placeholders
 * such as `[EMAIL_1]` would pull short prompts towards English.
 */
import { detectLanguage, type LanguageSource } from './language-detector.ts';
import { normalizePrompt } from './normalize-prompt.ts';
import { type PiiFinding, scanPii } from './pii.ts';

export type PiiMode = 'off' | 'detect' | 'redact';

export interface PreprocessOptions {
  /** `auto` to detect, or an ISO 639-1 code (a region such as `pt-BR` is dropped). */
  language?: string;
  pii?: PiiMode;
}

export interface PreprocessedPrompt {
  /** What the pipeline sends on: normalized, and redacted when `pii` is `redact`. */
  text: string;
  /** ISO 639-1 code, or `und` when the prompt is too short or ambiguous to tell. */
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

export function preprocessPrompt(prompt: string, options: PreprocessOptions = {}): PreprocessedPrompt {
  const normalized = normalizePrompt(prompt);
  const requestedLanguage = options.language ?? 'auto';
  const detection = detectLanguage(normalized, requestedLanguage);
  const warnings: string[] = [];
  if (requestedLanguage !== 'auto' && detection.source !== 'forced') {
    warnings.push(
      `language "${requestedLanguage}" is not a language code; the language was detected instead`,
    );
  }
  const mode = options.pii ?? 'off';
  const scan = mode === 'off' ? { findings: [], redactedText: normalized } : scanPii(normalized);
  const redacted = mode === 'redact' && scan.findings.length > 0;
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
    language: detection.language,
    languageConfidence: detection.confidence,
    languageSource: detection.source,
    pii: { findings: scan.findings, redacted },
    warnings,
  };
}
