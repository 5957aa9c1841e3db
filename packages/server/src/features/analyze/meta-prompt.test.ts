import { defaultOutputSchema } from '@structured-prompt/contracts';
import { describe, expect, it } from 'vitest';
import {
  buildMetaPrompt,
  buildRepairMessages,
  formatValidationErrors,
  metaPromptVersion,
} from './meta-prompt.ts';

const seed = {
  prompt: 'Translate Hello World to French',
  schema: defaultOutputSchema,
  schemaName: 'default',
  language: 'en',
};

describe('meta-prompt', () => {
  it('is versioned', () => {
    expect(metaPromptVersion).toBe('v2');
  });

  it('renders the seed case with the default schema', () => {
    const prompt = buildMetaPrompt(seed);
    expect(prompt.system).toContain(JSON.stringify(defaultOutputSchema, null, 2));
    expect(prompt.messages).toEqual([{ role: 'user', content: expect.stringContaining(seed.prompt) }]);
    expect(prompt).toMatchSnapshot();
  });

  it('tells the model to keep the request language, without naming it, when the language is unknown', () => {
    const prompt = buildMetaPrompt({
      prompt: 'Book a table for 4 at Chez Paul tomorrow at 8pm',
      schema: { type: 'object', required: ['restaurant'], properties: { restaurant: { type: 'string' } } },
      schemaName: 'inline',
    });
    expect(prompt.system).not.toContain('ISO 639');
    expect(prompt.system).toContain('in the language the request is written in');
    expect(prompt).toMatchSnapshot();
  });

  it('writes one system prompt per language and schema name, whatever the request', () => {
    const french = buildMetaPrompt({ ...seed, language: 'fr' }).system;
    const english = buildMetaPrompt(seed).system;
    const unknown = buildMetaPrompt({ ...seed, language: undefined }).system;
    const renamed = buildMetaPrompt({ ...seed, schemaName: 'answer' }).system;
    expect(new Set([french, english, unknown, renamed]).size).toBe(4);
    expect(french).toContain('"fr"');
    expect(renamed).toContain('answer');
    expect(buildMetaPrompt({ ...seed, prompt: 'another request' }).system).toBe(english);
    // A schema may be a boolean (JSON Schema allows it).
    expect(buildMetaPrompt({ ...seed, schema: true }).system).toContain('true');
  });

  it('leaves placeholders in the user prompt alone', () => {
    const prompt = buildMetaPrompt({ ...seed, prompt: 'Explain {{schema}} and {{prompt}}' });
    expect(prompt.messages[0]?.content).toContain('Explain {{schema}} and {{prompt}}');
  });

  it('re-asks with the validation errors listed by JSON path', () => {
    const messages = buildRepairMessages(seed, '{"intent": "dance"}', {
      errors: [
        { path: '/intent', message: 'must be one of "translate", "other"', keyword: 'enum' },
        { path: '/subject', message: 'is required but missing', keyword: 'required' },
      ],
    });
    expect(messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(messages[1]?.content).toBe('{"intent": "dance"}');
    expect(messages[2]?.content).toContain('- /intent: must be one of');
    expect(messages[2]?.content).toContain('- /subject: is required but missing');
    expect(messages).toMatchSnapshot();
  });

  it('re-asks after an answer that was not JSON', () => {
    const messages = buildRepairMessages(seed, 'I think it is "Bonjour le monde".', {
      parseFailure: 'no JSON value found in the answer',
    });
    expect(messages[2]?.content).toMatchSnapshot();
  });

  it('quotes at most 8000 characters of a long rejected answer', () => {
    const messages = buildRepairMessages(seed, 'x'.repeat(9000), {
      errors: [{ path: '', message: 'must be object' }],
    });
    expect(messages[1]?.content).toHaveLength(8000 + '… [1000 more characters]'.length);
    expect(messages[2]?.content).toContain('- (root): must be object');
  });

  it('lists at most 20 errors', () => {
    const errors = Array.from({ length: 25 }, (_, index) => ({
      path: `/${index}`,
      message: 'must be string',
    }));
    const text = formatValidationErrors(errors);
    expect(text.split('\n')).toHaveLength(21);
    expect(text).toContain('… and 5 more');
  });
});
