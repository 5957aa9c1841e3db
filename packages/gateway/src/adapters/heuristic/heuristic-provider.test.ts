import { defaultOutputSchema, type PromptAnalysis } from '@structured-prompt/contracts';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GenerateRequest } from '../../spec/provider.ts';
import { ProviderError } from '../../spec/provider-error.ts';
import { HeuristicProvider } from './heuristic-provider.ts';

// Thursday 1 January 2026, noon UTC: relative dates below are computed from it.
const now = new Date('2026-01-01T12:00:00Z');
const provider = new HeuristicProvider({ now: () => now });
const validateDefault = new Ajv2020({ allErrors: true, strict: false }).compile(defaultOutputSchema);

function request(prompt: string, overrides: Partial<GenerateRequest> = {}): GenerateRequest {
  return {
    system: '',
    messages: [{ role: 'user', content: prompt }],
    schema: defaultOutputSchema,
    schemaName: 'default',
    prompt,
    ...overrides,
  };
}

async function analyze(prompt: string, language?: string): Promise<PromptAnalysis> {
  const result = await provider.generate(request(prompt, { language }), {
    signal: new AbortController().signal,
  });
  return JSON.parse(result.text) as PromptAnalysis;
}

const entityValues = (analysis: PromptAnalysis, type: string) =>
  analysis.entities.filter((entity) => entity.type === type).map((entity) => entity.value);

describe('HeuristicProvider', () => {
  it('answers the seed case: subject "Hello World", a French language entity, English prompt', async () => {
    const analysis = await analyze('Translate Hello World to French');
    expect(analysis).toMatchObject({
      intent: 'translate',
      subject: 'Hello World',
      output_format: 'text',
      original_language: 'en',
    });
    expect(analysis.entities).toContainEqual({ type: 'language', value: 'French' });
  });

  it('reports itself, its usage estimate and a documented confidence cap', async () => {
    const prompt = 'Translate Hello World to French';
    const result = await provider.generate(request(prompt), { signal: new AbortController().signal });
    expect(provider).toMatchObject({ name: 'heuristic', kind: 'heuristic', defaultModel: 'heuristic-v1' });
    expect(result.model).toBe('heuristic-v1');
    expect(result.finishReason).toBe('stop');
    expect(result.confidenceCap).toBe(0.6);
    expect(result.usage).toEqual({ promptTokens: 8, completionTokens: Math.ceil(result.text.length / 4) });
    expect(validateDefault(JSON.parse(result.text))).toBe(true);
  });

  it('English: dates, time, e-mail and money', async () => {
    const analysis = await analyze(
      'Book a table for 4 at Chez Panisse next Friday at 7pm, budget $250, and email the confirmation to john.doe@example.com',
    );
    expect(analysis.intent).toBe('book');
    expect(analysis.original_language).toBe('en');
    expect(entityValues(analysis, 'date')).toEqual(['2026-01-09']);
    expect(entityValues(analysis, 'time')).toEqual(['19:00']);
    expect(entityValues(analysis, 'money')).toEqual(['250 USD']);
    expect(entityValues(analysis, 'email')).toEqual(['john.doe@example.com']);
  });

  it('French: booking with a date, a place and an e-mail', async () => {
    const analysis = await analyze(
      'Réserve une chambre d’hôtel à Marseille pour le 12 mars et envoie la confirmation à marie.dupont@exemple.fr',
    );
    expect(analysis).toMatchObject({ intent: 'book', original_language: 'fr' });
    expect(analysis.subject).toContain('chambre');
    expect(entityValues(analysis, 'date')).toEqual(['2026-03-12']);
    expect(entityValues(analysis, 'place')).toContain('Marseille');
    expect(entityValues(analysis, 'email')).toEqual(['marie.dupont@exemple.fr']);
  });

  it('German: money written with a thousands dot, and a quoted subject', async () => {
    const analysis = await analyze('Berechne die Mehrwertsteuer auf 1.200 Euro für das Projekt „Sonnenhof“');
    expect(analysis).toMatchObject({ intent: 'calculate', original_language: 'de', output_format: 'number' });
    expect(entityValues(analysis, 'money')).toEqual(['1200 EUR']);
    expect(analysis.subject).toBe('Sonnenhof');
  });

  it('Spanish: loan amount, rate and date', async () => {
    const analysis = await analyze(
      'Calcula el interés de un préstamo de 10.000 euros al 5 % hasta el 14 de marzo',
    );
    expect(analysis).toMatchObject({ intent: 'calculate', original_language: 'es' });
    expect(entityValues(analysis, 'money')).toEqual(['10000 EUR']);
    expect(entityValues(analysis, 'percentage')).toEqual(['5%']);
    expect(entityValues(analysis, 'date')).toEqual(['2026-03-14']);
  });

  it('Japanese: date, time, quoted subject and yen', async () => {
    const analysis = await analyze(
      '3月15日の午後3時に「新製品発表会」の会議を設定してください。費用は5000円です',
    );
    expect(analysis).toMatchObject({ intent: 'schedule', original_language: 'ja', subject: '新製品発表会' });
    expect(entityValues(analysis, 'date')).toEqual(['2026-03-15']);
    expect(entityValues(analysis, 'time')).toEqual(['15:00']);
    expect(entityValues(analysis, 'money')).toEqual(['5000 JPY']);
  });

  it('uses the language the pipeline already detected', async () => {
    expect((await analyze('ok', 'fr')).original_language).toBe('fr');
    // Without it the analyzer detects; `und` only when the prompt carries no language.
    expect((await analyze('Merci beaucoup pour ton aide')).original_language).toBe('fr');
    expect((await analyze('12345 + 678')).original_language).toBe('und');
  });

  it('rejects with an aborted ProviderError when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('deadline'));
    const call = provider.generate(request('Translate Hello World to French'), { signal: controller.signal });
    await expect(call).rejects.toBeInstanceOf(ProviderError);
    await expect(call).rejects.toMatchObject({ kind: 'aborted', isRetryable: false });
  });

  it('fills a custom schema and lowers its cap when it had to use placeholders', async () => {
    const schema = {
      type: 'object',
      required: ['email', 'amount', 'invoice_number'],
      properties: {
        email: { type: 'string', format: 'email' },
        amount: { type: 'number' },
        invoice_number: { type: 'string' },
      },
    };
    const result = await provider.generate(
      request('Send a reminder to billing@acme.io about the unpaid 1,250.50 USD', {
        schema,
        schemaName: 'inline',
      }),
      { signal: new AbortController().signal },
    );
    expect(JSON.parse(result.text)).toEqual({ email: 'billing@acme.io', amount: 1250.5, invoice_number: '' });
    expect(result.warnings).toEqual([
      'heuristic: /invoice_number not found in the prompt; a placeholder was used',
    ]);
    expect(result.confidenceCap).toBeCloseTo(0.4, 5);
  });

  it('always returns default-schema-valid JSON, whatever the prompt (property)', async () => {
    const fragments = fc.constantFrom(
      'Translate "',
      '” to French',
      ' tomorrow at 7pm ',
      ' $1,000.50 ',
      ' 15% ',
      ' jane@example.com ',
      ' https://example.com/a?b=1 ',
      ' +33 6 12 34 56 78 ',
      '「',
      '」を翻訳して',
      '¿Cuánto cuesta? ',
      '\n\n',
      ' Barack Obama in Paris ',
      'ü\u0308',
      '\uD800',
      '🙂‍↔️',
    );
    const prompts = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.string({ unit: 'grapheme', maxLength: 300 }),
      fc
        .array(fc.oneof(fragments, fc.string({ maxLength: 20 })), { maxLength: 30 })
        .map((parts) => parts.join('')),
    );
    await fc.assert(
      fc.asyncProperty(prompts, async (prompt) => {
        const result = await provider.generate(request(prompt), { signal: new AbortController().signal });
        const parsed: unknown = JSON.parse(result.text);
        expect(validateDefault(parsed), JSON.stringify(validateDefault.errors)).toBe(true);
        expect(result.confidenceCap).toBeLessThanOrEqual(0.6);
      }),
      { numRuns: 300 },
    );
  });

  it('stays valid on an empty and on a huge prompt', async () => {
    const empty = JSON.parse(
      (await provider.generate(request(''), { signal: new AbortController().signal })).text,
    );
    expect(validateDefault(empty)).toBe(true);
    expect(empty).toMatchObject({ intent: 'other', subject: '', entities: [], original_language: 'und' });
    const huge = 'Book a flight to Paris on March 3 for 450 EUR and email me at a@b.co. '.repeat(200);
    const result = await provider.generate(request(huge), { signal: new AbortController().signal });
    const parsed = JSON.parse(result.text) as PromptAnalysis;
    expect(validateDefault(parsed)).toBe(true);
    expect(parsed.intent).toBe('book');
    expect(parsed.entities.length).toBeLessThanOrEqual(50);
  });
});

describe('custom schema dates', () => {
  it('picks the date a property name points at, not just the first date in the prompt', async () => {
    const provider = new HeuristicProvider({ now: () => new Date('2027-01-10T12:00:00Z') });
    const schema = {
      type: 'object',
      required: ['due_date', 'start_date'],
      properties: {
        due_date: { type: 'string', format: 'date' },
        start_date: { type: 'string', format: 'date' },
      },
    };
    const prompt = 'Invoice the March work, start 2027-02-01, due 2027-04-30';
    const result = await provider.generate(
      { system: '', messages: [{ role: 'user', content: prompt }], schema, schemaName: 'invoice', prompt },
      { signal: new AbortController().signal },
    );
    expect(JSON.parse(result.text)).toEqual({ due_date: '2027-04-30', start_date: '2027-02-01' });
  });
});
