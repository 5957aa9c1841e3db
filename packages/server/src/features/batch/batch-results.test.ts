import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/app-error.ts';
import { itemProblem } from './batch-results.ts';

describe('itemProblem', () => {
  it('shapes an item error as its own problem document, field paths inside the batch body', () => {
    const error = new AppError('validation_error', 'The prompt is empty after normalization.', {
      errors: [{ path: '/body/prompt', message: 'must contain visible characters', keyword: 'minLength' }],
    });
    expect(itemProblem(error, 'req:3', 3, '/v1/analyze/batch')).toEqual({
      type: 'urn:structured-prompt:problem:validation_error',
      title: 'Request validation failed',
      status: 400,
      detail: 'The prompt is empty after normalization.',
      code: 'validation_error',
      request_id: 'req:3',
      instance: '/v1/analyze/batch',
      errors: [
        { path: '/body/items/3/prompt', message: 'must contain visible characters', keyword: 'minLength' },
      ],
    });
  });

  it('keeps public members and turns Retry-After into retry_after_seconds', () => {
    const error = new AppError('rate_limited', 'Too many tokens.', {
      headers: { 'retry-after': '42' },
      extensions: { limit: 3000 },
      context: { secret: 'never shown' },
    });
    const problem = itemProblem(error, 'r', 0, '/v1/analyze/batch');
    expect(problem).toMatchObject({ status: 429, retry_after_seconds: 42, limit: 3000 });
    expect(JSON.stringify(problem)).not.toContain('never shown');
  });

  it('answers anything else as a 500 that says nothing about it', () => {
    const problem = itemProblem(new Error('db password is hunter2'), 'r', 0, '/v1/analyze/batch');
    expect(problem).toMatchObject({ status: 500, code: 'internal_error' });
    expect(JSON.stringify(problem)).not.toContain('hunter2');
  });
});
