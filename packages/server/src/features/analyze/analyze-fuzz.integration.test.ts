import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/support/build-app.ts';

/**
 * Generated bodies through the whole app, in process: random JSON, random requests, and schemas
 * carrying huge numeric constraints and pathological patterns. Whatever arrives, the answer is a
 * 2xx or a 4xx problem — never a 5xx — the process stays up and its memory stays bounded.
 */

const bodies = 20_000;
/**
 * Growth of the resident set over the run that would mean something was built from a schema's
 * numbers (one such request used to ask for gigabytes). The response and validator caches fill up
 * during the run and account for a few hundred megabytes at most.
 */
const rssGrowthLimit = 640 * 1024 * 1024;

const huge = fc.constantFrom(1e5, 1e6, 3e8, 1e9, 2 ** 31, Number.MAX_SAFE_INTEGER, 1e308);
const count = fc.oneof(fc.nat(12), huge);
const pathologicalPatterns = [
  '^(a|a)+$',
  '^(a+)+$',
  '(.*a){20}',
  '^(\\w+\\s?)*$',
  '(a|aa)+b',
  '(x+x+)+y',
  '(a)\\1',
  '(?=a)a',
  '(?<!b)a',
  'x{0,5000}',
  '\\p{Script=Greek}+',
  '[',
  '',
];
const pattern = fc.oneof(
  fc.constantFrom(...pathologicalPatterns),
  fc.stringMatching(/^\^?[a-z\\.+*?|()[\]{}0-9]{0,10}\$?$/),
);

const leaf = fc.oneof(
  fc.record(
    {
      type: fc.constant('string'),
      minLength: count,
      maxLength: count,
      pattern,
      format: fc.constantFrom('email', 'date', 'uri'),
    },
    { requiredKeys: ['type'] },
  ),
  fc.record(
    {
      type: fc.constantFrom('integer', 'number'),
      minimum: fc.integer(),
      maximum: huge,
      multipleOf: fc.constantFrom(0.1, 3, 1e-9),
    },
    { requiredKeys: ['type'] },
  ),
  fc.constantFrom({ type: 'boolean' }, { type: 'null' }, true, false, { enum: ['a', 'b'] }, { const: 'x' }),
);

const schema = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record(
      {
        type: fc.constant('array'),
        items: tie('node'),
        minItems: count,
        maxItems: count,
        uniqueItems: fc.boolean(),
      },
      { requiredKeys: ['type'] },
    ),
    fc
      .record({
        properties: fc.dictionary(
          fc.constantFrom('names', 'subject', 'email', 'date', 'list', 'a'),
          tie('node'),
          {
            maxKeys: 4,
          },
        ),
        minProperties: fc.option(count, { nil: undefined }),
        patternProperties: fc.option(fc.dictionary(pattern, tie('node'), { maxKeys: 1 }), { nil: undefined }),
      })
      .map(({ properties, ...rest }) => ({
        type: 'object',
        properties,
        required: Object.keys(properties),
        ...Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)),
      })),
    fc.tuple(tie('node'), tie('node')).map(([a, b]) => ({ anyOf: [a, b] })),
    fc.tuple(tie('node'), tie('node')).map(([a, b]) => ({ allOf: [a, b] })),
  ),
})).node;

const prompt = fc.oneof(
  {
    weight: 20,
    arbitrary: fc.constantFrom(
      'list some names',
      'Translate Hello World to French',
      `${'a'.repeat(32)}b`,
      "admin'; DROP TABLE users; --",
      'Book a table for 4 in Chicago next Friday at 7pm, contact michelle@example.com',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('<'.repeat(10_000), '‹'.repeat(10_000), `${'a'.repeat(9999)}b`) },
  { weight: 20, arbitrary: fc.string({ minLength: 1, maxLength: 60 }) },
  { weight: 10, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }) },
);
/** Mostly values the request schema accepts, so that bodies reach the pipeline; some it refuses. */
const mostly = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>) =>
  fc.oneof({ weight: 9, arbitrary: valid }, { weight: 1, arbitrary: invalid });
/** Usually absent (left out of the JSON), so that equal prompts and schemas meet the response cache. */
const rarely = <T>(value: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: value });

/**
 * Schemas and prompts are drawn from pools generated once: a schema is compiled once and an answer
 * computed once, then cached, as in production, so the run spends its time on the bodies rather
 * than on the compiler and the offline analyzer.
 */
const names = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9'];
/** The reproductions, always among the generated ones. */
const knownHostile = [
  {
    type: 'object',
    properties: { names: { type: 'array', items: { type: 'string' }, minItems: 1_000_000_000 } },
    required: ['names'],
  },
  { type: 'object', properties: { s: { type: 'string', minLength: 3e8 } }, required: ['s'] },
  { type: 'array', minItems: 100_000, items: { type: 'array', minItems: 100_000 } },
  { type: 'object', properties: { subject: { type: 'string', pattern: '^(a|a)+$' } }, required: ['subject'] },
  {
    $defs: Object.fromEntries(
      Array.from({ length: 12 }, (_, level) => [
        `d${level}`,
        {
          type: 'object',
          required: names,
          properties: Object.fromEntries(
            names.map((name) => [
              name,
              level === 11 ? { type: 'string' } : { $ref: `#/$defs/d${level + 1}` },
            ]),
          ),
        },
      ]),
    ),
    $ref: '#/$defs/d0',
  },
];
const schemaPool = [...knownHostile, ...fc.sample(schema, { numRuns: 150, seed: 7 })];
const promptPool = fc.sample(prompt, { numRuns: 10, seed: 11 });

const request = fc.record({
  prompt: fc.constantFrom(...promptPool),
  provider: rarely(mostly(fc.constantFrom('heuristic', 'auto'), fc.constantFrom('nonexistent', ''))),
  schema: fc.constantFrom(...schemaPool),
  max_tokens: rarely(mostly(fc.constantFrom(256, 200_000), fc.oneof(fc.integer({ min: -1, max: 0 }), huge))),
  // Re-asks repeat the whole generation; the default (two) would triple the cost of every 422.
  options: fc.record({
    validation: rarely(mostly(fc.constantFrom('strict', 'relaxed', 'off'), fc.constant('bogus'))),
    max_repair_attempts: mostly(fc.constantFrom(0, 0, 0, 1), fc.constantFrom(-1, 12)),
    bypass_cache: rarely(fc.boolean()),
  }),
});

/** A body as text: mostly well-formed requests, some arbitrary JSON, some not JSON at all. */
const body = fc.oneof(
  { weight: 6, arbitrary: request.map((value) => JSON.stringify(value)) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
);

describe('POST /v1/analyze under generated bodies', () => {
  // A few seconds per thousand bodies on an idle core; the timeout leaves room for a loaded machine.
  it(`answers ${bodies} generated bodies without a 5xx, a crash or unbounded memory`, {
    timeout: 240_000,
  }, async () => {
    const { app, createKey } = await buildTestApp({
      env: { IP_REQUESTS_PER_MINUTE: '10000000', AUTH_FAILURES_PER_MINUTE: '10000000' },
    });
    const { key } = await createKey({ rate_limit_per_hour: 10_000_000 });
    const samples = fc.sample(body, { numRuns: bodies, seed: 20_261_207 });
    expect(samples).toHaveLength(bodies);
    const post = (payload: string) =>
      app.inject({
        method: 'POST',
        url: '/v1/analyze',
        headers: { 'x-api-key': key, 'content-type': 'application/json' },
        payload,
      });
    // The first analysis loads the offline analyzer's language data: that is not growth.
    expect((await post(JSON.stringify({ prompt: 'Translate Hello World to French' }))).statusCode).toBe(200);

    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const statuses = new Map<number, number>();
    for (const [index, payload] of samples.entries()) {
      const response = await post(payload);
      statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
      if (response.statusCode >= 500) {
        expect.fail(`${response.statusCode} for ${payload.slice(0, 400)}: ${response.body}`);
      }
      if (response.statusCode >= 400) {
        expect(response.headers['content-type']).toContain('application/problem+json');
        expect(response.json().request_id).toBeTypeOf('string');
      }
      if (index % 250 === 0) rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);

    expect(rssPeak - rssBefore).toBeLessThan(rssGrowthLimit);
    // The mix reached the pipeline as well as the refusals.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(bodies / 50);
    expect(statuses.get(422) ?? 0).toBeGreaterThan(bodies / 100);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(bodies / 50);
    const live = await app.inject({ method: 'GET', url: '/v1/health/live' });
    expect(live.statusCode).toBe(200);
  });
});
