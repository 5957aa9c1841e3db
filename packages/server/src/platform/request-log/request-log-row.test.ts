import { describe, expect, it } from 'vitest';
import { encodeSqliteParameter } from '../storage/dialect.ts';
import { fromWire, requestLogColumns, sqliteRowValues, toRow, toWire } from './request-log-row.ts';
import type { RequestLogRecord } from './request-logs.repository.ts';

describe('request log entries on the wire to the log thread', () => {
  // Every field of the record, each with a value no other field has: a field that `toWire` or
  // `fromWire` forgets or puts in the wrong place cannot come back equal. (A field added to the record
  // must be added here too, or this file does not type-check.)
  const full: RequestLogRecord = {
    id: '0190c7a2-0000-7000-8000-000000000001',
    requestId: 'req-1',
    apiKeyId: '0190c7a2-0000-7000-8000-0000000000aa',
    promptText: 'Translate this',
    promptLength: 14,
    requestParams: { provider: 'auto', options: {}, failed_attempts: [] },
    responseData: { translation: 'Traduis ceci' },
    validationStatus: 'valid',
    providerUsed: 'openai',
    model: 'gpt-4o-mini',
    processingTimeMs: 12,
    tokensUsed: 30,
    promptTokens: 20,
    completionTokens: 10,
    costUsd: 0.0001,
    confidence: 0.9,
    cached: true,
    errorMessage: 'none',
    createdAt: new Date(Date.UTC(2026, 11, 3, 16, 0, 0)),
  };

  it('comes back from a structured clone with every field in its place', () => {
    expect(fromWire(structuredClone(toWire(full)))).toEqual(full);
  });

  it('leaves the fields an entry omits undefined, so the row gets its defaults', () => {
    const minimal = { requestId: 'req-2', validationStatus: 'error' };
    const back = fromWire(structuredClone(toWire(minimal)));
    expect(back.requestId).toBe('req-2');
    expect(back.validationStatus).toBe('error');
    expect(Object.entries(back).filter(([, value]) => value !== undefined)).toHaveLength(2);
  });

  it('keeps one object shared by several entries as one object after the clone', () => {
    const answer = { translation: 'Bonjour' };
    const [first, second] = structuredClone([
      toWire({ ...full, responseData: answer }),
      toWire({ ...full, requestId: 'req-3', responseData: answer }),
    ]).map(fromWire);
    expect(first?.responseData).toEqual(answer);
    expect(first?.responseData).toBe(second?.responseData);
  });

  it('carries an answer given as JSON text as that text alone', () => {
    const { responseData: _object, ...rest } = full;
    const back = fromWire(structuredClone(toWire({ ...rest, responseDataJson: '{"translation":"Salut"}' })));
    expect(back).toEqual({ ...rest, responseData: undefined, responseDataJson: '{"translation":"Salut"}' });
    // Given both, only the text travels: it is what is stored.
    const both = fromWire(structuredClone(toWire({ ...full, responseDataJson: '"text"' })));
    expect(both.responseData).toBeUndefined();
    expect(both.responseDataJson).toBe('"text"');
  });

  it('carries request parameters given as JSON text as that text alone', () => {
    const text = '{"provider":"auto","options":{}}';
    const back = fromWire(structuredClone(toWire({ ...full, requestParamsJson: text })));
    expect(back.requestParams).toBeUndefined();
    expect(back.requestParamsJson).toBe(text);
    expect(back.responseData).toEqual(full.responseData);
  });
});

describe('request log rows for node:sqlite', () => {
  it('lists the values in the statement’s column order, encoded as the generic path encodes them', () => {
    const row = toRow({
      id: '0190c7a2-0000-7000-8000-000000000009',
      requestId: 'req-9',
      apiKeyId: '0190c7a2-0000-7000-8000-0000000000bb',
      promptText: 'p',
      promptLength: 11,
      requestParams: { provider: 'auto' },
      responseData: { ok: true },
      validationStatus: 'valid',
      providerUsed: 'heuristic',
      model: 'heuristic-v1',
      processingTimeMs: 3,
      tokensUsed: 6,
      promptTokens: 4,
      completionTokens: 2,
      costUsd: 0.5,
      confidence: 0.75,
      cached: true,
      errorMessage: 'e',
      createdAt: new Date(Date.UTC(2026, 11, 3, 17, 0, 0)),
    });
    const generic = requestLogColumns.map((column) => encodeSqliteParameter(row[column]));
    expect(sqliteRowValues(row)).toEqual(generic);
    // Every value is distinct, so a swapped pair of columns cannot pass.
    expect(new Set(generic.map(String)).size).toBe(generic.length);
  });

  it('writes the JSON columns through the given writer', () => {
    const written: unknown[] = [];
    const row = toRow({ requestId: 'r', validationStatus: 'valid', responseData: { a: 1 } }, (value) => {
      written.push(value);
      return value === undefined ? null : 'TEXT';
    });
    expect(row.response_data).toBe('TEXT');
    expect(row.request_params).toBeNull();
    expect(written).toEqual([undefined, { a: 1 }]);
  });

  it('stores an answer given as JSON text as it is, without the writer', () => {
    const written: unknown[] = [];
    const row = toRow({ requestId: 'r', validationStatus: 'valid', responseDataJson: '{"a":1}' }, (value) => {
      written.push(value);
      return 'TEXT';
    });
    expect(row.response_data).toBe('{"a":1}');
    expect(written).toEqual([undefined]);
  });

  it('stores request parameters given as JSON text as they are, without the writer', () => {
    const written: unknown[] = [];
    const entry = {
      requestId: 'r',
      validationStatus: 'valid',
      requestParamsJson: '{"b":2}',
      responseData: 1,
    };
    const row = toRow(entry, (value) => {
      written.push(value);
      return 'TEXT';
    });
    expect(row.request_params).toBe('{"b":2}');
    expect(row.response_data).toBe('TEXT');
    expect(written).toEqual([1]);
  });
});
