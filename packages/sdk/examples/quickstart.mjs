// Runs against a Structured Prompt Service: SPS_URL (default http://127.0.0.1:8000) and SPS_API_KEY.
import { StructuredPromptClient, ValidationFailedError } from '@structured-prompt/sdk';

const client = new StructuredPromptClient({
  baseUrl: process.env.SPS_URL ?? 'http://127.0.0.1:8000',
  apiKey: process.env.SPS_API_KEY,
});

const invoice = {
  type: 'object',
  required: ['number', 'total'],
  properties: { number: { type: 'string' }, total: { type: 'number' } },
};

try {
  const answer = await client.analyze({ prompt: 'Invoice INV-7 totals 120.50 EUR', schema: invoice });
  console.log(
    JSON.stringify({ data: answer.data, provider: answer.provider, request_id: answer.request_id }),
  );
} catch (error) {
  if (error instanceof ValidationFailedError) console.error('no valid answer:', error.errors);
  throw error;
}
