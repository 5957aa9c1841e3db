/**
 * What a property name most likely asks for, and the value the analysis has for it. Names are
 * split into lower-case words (`startDate`, `start_date`, `start-date` → start, date) and matched
 * against small vocabularies; the first vocabulary that matches decides.
 */
import type { PromptAnalysis } from '@structured-prompt/contracts';
import type { EntitySpan, EntityType } from './entity-span.ts';
import { languageCodeOfName } from './language-names.ts';

export interface FillContext {
  prompt: string;
  analysis: PromptAnalysis;
  spans: readonly EntitySpan[];
}

export type Semantic =
  | { kind: 'entity'; type: EntityType; pick: 'first' | 'last' }
  | { kind: 'currency' }
  | { kind: 'language'; which: 'source' | 'target' }
  | { kind: 'field'; field: 'intent' | 'subject' | 'output_format' }
  | { kind: 'text'; which: 'prompt' | 'summary' }
  | { kind: 'flag'; flag: 'question' | 'urgent' };

export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

const vocabularies: ReadonlyArray<readonly [readonly string[], Semantic]> = [
  [['email', 'mail', 'emails'], { kind: 'entity', type: 'email', pick: 'first' }],
  [
    ['phone', 'telephone', 'tel', 'mobile', 'cell', 'phones'],
    { kind: 'entity', type: 'phone', pick: 'first' },
  ],
  [
    ['url', 'uri', 'link', 'website', 'homepage', 'urls', 'links'],
    { kind: 'entity', type: 'url', pick: 'first' },
  ],
  [['currency'], { kind: 'currency' }],
  [['time', 'hour', 'times'], { kind: 'entity', type: 'time', pick: 'first' }],
  [
    ['date', 'day', 'deadline', 'due', 'when', 'birthday', 'dates', 'checkin', 'arrival'],
    { kind: 'entity', type: 'date', pick: 'first' },
  ],
  [['checkout', 'departure', 'until'], { kind: 'entity', type: 'date', pick: 'last' }],
  [
    ['percent', 'percentage', 'rate', 'discount', 'ratio'],
    { kind: 'entity', type: 'percentage', pick: 'first' },
  ],
  [
    ['amount', 'price', 'cost', 'total', 'budget', 'money', 'salary', 'fee', 'payment', 'amounts', 'prices'],
    { kind: 'entity', type: 'money', pick: 'first' },
  ],
  [['target', 'destination', 'to', 'output'], { kind: 'language', which: 'target' }],
  [['language', 'lang', 'locale', 'languages'], { kind: 'language', which: 'source' }],
  [
    [
      'company',
      'organization',
      'organisation',
      'org',
      'employer',
      'business',
      'brand',
      'vendor',
      'merchant',
      'organizations',
      'companies',
    ],
    { kind: 'entity', type: 'organization', pick: 'first' },
  ],
  [['origin', 'from'], { kind: 'entity', type: 'place', pick: 'first' }],
  [
    [
      'place',
      'location',
      'city',
      'destination',
      'address',
      'country',
      'venue',
      'where',
      'places',
      'locations',
      'cities',
    ],
    { kind: 'entity', type: 'place', pick: 'last' },
  ],
  [
    [
      'name',
      'person',
      'customer',
      'contact',
      'author',
      'recipient',
      'attendee',
      'user',
      'client',
      'people',
      'names',
      'persons',
      'attendees',
      'guest',
    ],
    { kind: 'entity', type: 'person', pick: 'first' },
  ],
  [['quote', 'quoted', 'quotes', 'phrase'], { kind: 'entity', type: 'quote', pick: 'first' }],
  [
    ['quantity', 'count', 'number', 'guests', 'size', 'age', 'numbers', 'party'],
    { kind: 'entity', type: 'number', pick: 'first' },
  ],
  [['intent', 'action', 'task', 'operation'], { kind: 'field', field: 'intent' }],
  [['format'], { kind: 'field', field: 'output_format' }],
  [
    ['subject', 'topic', 'title', 'about', 'theme', 'product', 'item', 'keywords', 'tags'],
    { kind: 'field', field: 'subject' },
  ],
  [['summary', 'abstract', 'gist', 'tldr'], { kind: 'text', which: 'summary' }],
  [
    [
      'description',
      'text',
      'content',
      'message',
      'body',
      'prompt',
      'query',
      'request',
      'details',
      'notes',
      'input',
      'instructions',
    ],
    { kind: 'text', which: 'prompt' },
  ],
  [['urgent', 'urgency', 'asap', 'priority'], { kind: 'flag', flag: 'urgent' }],
  [['question'], { kind: 'flag', flag: 'question' }],
];

// A language property named "target"/"to" is the target language; other "target" names are not.
const languageWords = new Set(['language', 'lang', 'locale', 'languages']);

export function semanticOf(name: string): Semantic | undefined {
  const words = nameWords(name);
  if (words.some((word) => languageWords.has(word))) {
    const target = words.some((word) => ['target', 'destination', 'to', 'output', 'into'].includes(word));
    return { kind: 'language', which: target ? 'target' : 'source' };
  }
  for (const [vocabulary, semantic] of vocabularies) {
    if (semantic.kind === 'language') continue;
    if (words.some((word) => vocabulary.includes(word))) return semantic;
  }
  return undefined;
}

const urgentWords =
  /(?<!\p{L})(?:urgent\p{L}*|asap|immediately|right away|dringend|sofort|urgente|subito|緊急|至急|紧急)(?!\p{L})/iu;

/** Every value the context offers for a semantic, best first (arrays take them all). */
export function valuesFor(semantic: Semantic, context: FillContext): unknown[] {
  const { analysis, spans, prompt } = context;
  switch (semantic.kind) {
    case 'entity': {
      const values = spans.filter((span) => span.type === semantic.type).map((span) => span.value);
      return semantic.pick === 'last' ? values.reverse() : values;
    }
    case 'currency':
      return spans.filter((span) => span.type === 'money').map((span) => span.value.split(' ')[1]);
    case 'language': {
      if (semantic.which === 'target') {
        return spans
          .filter((span) => span.type === 'language')
          .map((span) => languageCodeOfName(span.value) ?? span.value);
      }
      return analysis.original_language === 'und' ? [] : [analysis.original_language];
    }
    case 'field':
      return analysis[semantic.field] ? [analysis[semantic.field]] : [];
    case 'text': {
      if (!prompt) return [];
      if (semantic.which === 'prompt') return [prompt];
      // The analyzer cannot summarise; the first sentence is the honest stand-in.
      return [/^[^.!?。！？\n]*[.!?。！？]?/u.exec(prompt)?.[0].trim() || prompt];
    }
    case 'flag':
      if (semantic.flag === 'question') return [analysis.intent === 'question'];
      return urgentWords.test(prompt) ? [true] : [];
  }
}
