import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadLanguageDetector } from './language-detector.ts';

// Short user utterances in 17 languages and dialects, kept outside the repository (next to it).
const devFile = new URL('../../../../../shared/eval/language-dev.jsonl', import.meta.url);
const present = existsSync(devFile);

/** A dialect's parent language counts as right. */
const parentOf: Record<string, string> = { 'de-ba': 'de', 'de-st': 'de', gsw: 'de', nap: 'it' };

describe.skipIf(!present)(
  `Language detection on short utterances${present ? '' : ` (skipped: ${devFile.pathname} is absent)`}`,
  () => {
    it('is right on at least 90% overall and on at least 80% for every language', async () => {
      const detector = await loadLanguageDetector();
      const lines = readFileSync(devFile, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '');
      const tally: Record<string, { right: number; total: number }> = {};
      for (const line of lines) {
        const { text, lang } = JSON.parse(line) as { text: string; lang: string };
        const answer = detector.detect(text).language;
        tally[lang] ??= { right: 0, total: 0 };
        const entry = tally[lang];
        entry.total++;
        if (answer === lang || answer === parentOf[lang]) entry.right++;
      }
      const entries = Object.entries(tally);
      expect(entries.length).toBe(17);
      const right = entries.reduce((sum, [, entry]) => sum + entry.right, 0);
      expect(right / lines.length).toBeGreaterThanOrEqual(0.9);
      for (const [label, entry] of entries) {
        expect(entry.right / entry.total, label).toBeGreaterThanOrEqual(0.8);
      }
    });
  },
);
