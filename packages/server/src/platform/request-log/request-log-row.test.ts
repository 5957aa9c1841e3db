import { describe, expect, it } from 'vitest';
import { isUuid } from '../storage/dialect.ts';
import { requestLogColumns, sqliteRowValues, toRow } from './request-log-row.ts';

describe('request log rows', () => {
  it('fills what an entry leaves out: a time-ordered id of its creation time, counts, nulls', () => {
    const createdAt = new Date(Date.UTC(2026, 11, 3, 17, 0, 0, 5));
    const row = toRow({
      requestId: 'req-1',
      validationStatus: 'passed',
      promptText: 'Translate this',
      promptTokens: 20,
      completionTokens: 10,
      processingTimeMs: 12.6,
      createdAt,
    });
    expect(isUuid(String(row.id))).toBe(true);
    // UUIDv7: the first 48 bits are the millisecond the row was created.
    const id = String(row.id);
    expect(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(createdAt.getTime());
    expect(row).toMatchObject({
      request_id: 'req-1',
      api_key_id: null,
      prompt_length: 'Translate this'.length,
      request_params: null,
      response_data: null,
      processing_time_ms: 13,
      tokens_used: 30,
      cost_usd: 0,
      confidence: null,
      cached: false,
      error_message: null,
      created_at: createdAt,
    });
  });

  it('writes the JSON columns as JSON text of any shape', () => {
    const row = toRow({
      requestId: 'req-2',
      validationStatus: 'passed',
      requestParams: { provider: 'auto', options: {}, failed_attempts: [] },
      responseData: ['an', 'array', { at: 'the top' }],
    });
    expect(JSON.parse(String(row.request_params))).toEqual({
      provider: 'auto',
      options: {},
      failed_attempts: [],
    });
    expect(JSON.parse(String(row.response_data))).toEqual(['an', 'array', { at: 'the top' }]);
  });

  it('encodes a row for node:sqlite in the statement’s column order', () => {
    const createdAt = new Date(Date.UTC(2026, 11, 3, 17, 0, 0));
    const row = toRow({
      requestId: 'req-3',
      validationStatus: 'passed',
      cached: true,
      confidence: 0.75,
      createdAt,
    });
    const values = sqliteRowValues(row);
    expect(values).toHaveLength(requestLogColumns.length);
    const at = (column: (typeof requestLogColumns)[number]) => values[requestLogColumns.indexOf(column)];
    expect(at('request_id')).toBe('req-3');
    expect(at('cached')).toBe(1);
    expect(at('confidence')).toBe(0.75);
    expect(at('created_at')).toBe('2026-12-03T17:00:00.000Z');
    expect(at('api_key_id')).toBeNull();
  });
});
