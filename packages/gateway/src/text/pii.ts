/**
 * Finds personal data in a prompt and, on request, replaces it with typed placeholders
 * (`[EMAIL_1]`, `[CARD_1]` …) before the prompt leaves the service.
 *
 * Each detector proposes spans; checksums (Luhn, IBAN mod 97, SSN rules, `net.isIP`) reject
 * look-alikes. Overlaps are resolved by detector order (most specific first), and nothing inside a
 * URL is reported except an e-mail address, so `/orders/555-123-4567` in a link stays intact.
 * The same value always gets the same placeholder, so the model can still tell "the same person
 * twice" from "two people". Findings carry offsets into the input, never the value itself, so they
 * are safe to log.
 */
import { isIP } from 'node:net';
import { isPlausibleSsn, passesIbanCheck, passesLuhn } from './pii-checksums.ts';

type PiiType = 'email' | 'card' | 'iban' | 'national_id' | 'ip' | 'phone';

export interface PiiFinding {
  type: PiiType;
  /** UTF-16 offsets into the text that was scanned, end exclusive. */
  start: number;
  end: number;
  /** Placeholder that replaces (or would replace) the value, e.g. `[EMAIL_1]`. */
  placeholder: string;
}

export interface PiiScan {
  findings: PiiFinding[];
  /** The text with every finding replaced by its placeholder. */
  redactedText: string;
}

interface Detector {
  type: PiiType;
  pattern: RegExp;
  /** Returns the accepted span inside the match (relative offsets), or undefined to reject it. */
  accept(match: RegExpExecArray): { offset: number; length: number } | undefined;
}

const whole = (match: RegExpExecArray) => ({ offset: 0, length: match[0].length });
const digitsOf = (text: string) => text.replace(/\D/g, '');

const detectors: Detector[] = [
  {
    type: 'email',
    // The lookbehind starts a match only at the start of a token: without it a long run of letters
    // is rescanned from every position (quadratic on a 10,000-character prompt).
    pattern: /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu,
    accept: whole,
  },
  {
    // 13–19 digits in groups split by single spaces or hyphens; Luhn decides.
    type: 'card',
    pattern: /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g,
    accept: (match) => (passesLuhn(digitsOf(match[0])) ? whole(match) : undefined),
  },
  {
    // A greedy match may swallow the next short word ("… 3000 TO"): try shorter prefixes until
    // the checksum holds.
    type: 'iban',
    pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{1,4}){3,8}\b/gi,
    accept: (match) => {
      const groups = match[0].split(' ');
      for (let count = groups.length; count >= 1; count--) {
        const candidate = groups.slice(0, count).join(' ');
        if (passesIbanCheck(candidate.replace(/ /g, ''))) return { offset: 0, length: candidate.length };
      }
      return undefined;
    },
  },
  {
    type: 'national_id',
    // US Social Security number, always written with its separators (bare 9 digits are too common).
    pattern: /(?<![\d-])(\d{3})[- ](\d{2})[- ](\d{4})(?![\d-])/g,
    accept: (match) => (isPlausibleSsn(match[1]!, match[2]!, match[3]!) ? whole(match) : undefined),
  },
  {
    type: 'national_id',
    // UK National Insurance number: two prefix letters (D, F, I, Q, U, V never used), six digits, A–D.
    pattern: /\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/gi,
    accept: whole,
  },
  {
    type: 'ip',
    pattern: /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])/g,
    accept: (match) => (isIP(match[0]) === 4 ? whole(match) : undefined),
  },
  {
    type: 'ip',
    pattern: /(?<![\w:])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?:%\w+)?(?![\w:])/gi,
    accept: (match) => (isIP(match[0].replace(/%\w+$/, '')) === 6 ? whole(match) : undefined),
  },
  {
    // International (+CC …, grouped or compact) or grouped national numbers; 9–15 digits so dates, years and
    // amounts do not qualify. Commas are not phone separators, so "1,234,567,890" is a number.
    type: 'phone',
    pattern:
      /(?<![\w+])(?:\+\d{8,15}|(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{1,5}(?:[ .-]\d{1,5}){1,5})(?![\w-])/g,
    accept: (match) => {
      const digits = digitsOf(match[0]).length;
      const international = match[0].startsWith('+');
      return digits >= (international ? 8 : 9) && digits <= 15 ? whole(match) : undefined;
    },
  },
];

const urlPattern = /\b(?:https?:\/\/|www\.)[^\s<>"']+/gi;
const placeholderNames: Record<PiiType, string> = {
  email: 'EMAIL',
  card: 'CARD',
  iban: 'IBAN',
  national_id: 'NATIONAL_ID',
  ip: 'IP',
  phone: 'PHONE',
};

interface Span {
  type: PiiType;
  start: number;
  end: number;
}

function findSpans(text: string): Span[] {
  const urls = [...text.matchAll(urlPattern)].map((m) => [m.index, m.index + m[0].length] as const);
  const insideUrl = (span: Span) => urls.some(([start, end]) => span.start < end && span.end > start);
  const taken: Span[] = [];
  const overlaps = (span: Span) => taken.some((other) => span.start < other.end && span.end > other.start);
  for (const detector of detectors) {
    for (const match of text.matchAll(detector.pattern)) {
      const accepted = detector.accept(match);
      if (!accepted) continue;
      const start = match.index + accepted.offset;
      const span = { type: detector.type, start, end: start + accepted.length };
      if (overlaps(span) || (span.type !== 'email' && insideUrl(span))) continue;
      taken.push(span);
    }
  }
  return taken.sort((a, b) => a.start - b.start);
}

/** Finds personal data and builds the redacted text; `findings` is empty when there is none. */
export function scanPii(text: string): PiiScan {
  const spans = findSpans(text);
  const counters = new Map<PiiType, number>();
  const placeholderByValue = new Map<string, string>();
  const findings: PiiFinding[] = [];
  let redactedText = '';
  let cursor = 0;
  for (const span of spans) {
    const value = text.slice(span.start, span.end);
    const key = `${span.type}\u0000${span.type === 'email' ? value.toLowerCase() : digitsOrSelf(value)}`;
    let placeholder = placeholderByValue.get(key);
    if (!placeholder) {
      const next = (counters.get(span.type) ?? 0) + 1;
      counters.set(span.type, next);
      placeholder = `[${placeholderNames[span.type]}_${next}]`;
      placeholderByValue.set(key, placeholder);
    }
    findings.push({ ...span, placeholder });
    redactedText += text.slice(cursor, span.start) + placeholder;
    cursor = span.end;
  }
  redactedText += text.slice(cursor);
  return { findings, redactedText };
}

// "+33 6 12 34 56 78" and "+33612345678" are the same number and share a placeholder.
function digitsOrSelf(value: string): string {
  const compact = value.replace(/[\s().-]/g, '').toUpperCase();
  return compact || value;
}
