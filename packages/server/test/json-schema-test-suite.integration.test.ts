import { isDeepStrictEqual } from 'node:util';
import { compileSchema, type JsonSchema } from '@structured-prompt/gateway';
import { afterAll, describe, expect, it } from 'vitest';
import { AnswerBookGateway } from './support/answer-book-gateway.ts';
import { buildTestApp } from './support/build-app.ts';
import {
  declaringDraft,
  loadSuiteCases,
  type SuiteCase,
  type SuiteDraft,
  suiteDrafts,
} from './support/json-schema-test-suite.ts';
import { suiteDifferences } from './support/json-schema-test-suite-differences.ts';

type Verdict = 'valid' | 'invalid' | 'refused' | `status ${number}`;
interface Result {
  suiteCase: SuiteCase;
  schema: unknown;
  verdict: Verdict;
}

/** Cases sent at once: enough to overlap the in-process work, few enough to keep memory flat. */
const concurrency = 16;
const targets = ['openai', 'anthropic', 'gemini', 'local'] as const;
/** Differences that explained at least one mismatch, to catch entries that went stale. */
const usedDifferences = new Set<(typeof suiteDifferences)[number]>();

/** Every case of one draft through `POST /v1/analyze`, the model answering the case's instance. */
async function runDraft(draft: SuiteDraft): Promise<Result[]> {
  const gateway = new AnswerBookGateway();
  const { app, createKey } = await buildTestApp({ infra: { gateway } });
  const { key } = await createKey({ rate_limit_per_hour: 1_000_000 });
  const verdictOf = async (suiteCase: SuiteCase, index: number): Promise<Result> => {
    const prompt = `case ${draft.folder} ${index}`;
    const schema = declaringDraft(suiteCase.schema, draft);
    gateway.answer(prompt, JSON.stringify(suiteCase.data));
    const response = await app.inject({
      method: 'POST',
      url: '/v1/analyze',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      payload: JSON.stringify({
        prompt,
        schema,
        options: { validation: 'strict', max_repair_attempts: 0, bypass_cache: true },
      }),
    });
    const { statusCode } = response;
    // A 200 whose data differs from the instance accepted a coerced value (with a warning), not the
    // instance as written: for the suite's question, that is an "invalid".
    const acceptedAsWritten =
      statusCode === 200 && isDeepStrictEqual(response.json<{ data: unknown }>().data, suiteCase.data);
    const verdict: Verdict =
      statusCode === 200
        ? acceptedAsWritten
          ? 'valid'
          : 'invalid'
        : statusCode === 422
          ? 'invalid'
          : statusCode === 400
            ? 'refused'
            : `status ${statusCode}`;
    return { suiteCase, schema, verdict };
  };
  const cases = loadSuiteCases(draft);
  const results: Result[] = [];
  for (let start = 0; start < cases.length; start += concurrency) {
    const batch = cases.slice(start, start + concurrency);
    results.push(...(await Promise.all(batch.map((item, offset) => verdictOf(item, start + offset)))));
  }
  return results;
}

function explains(result: Result): boolean {
  const { file, group } = result.suiteCase;
  const outcome = result.verdict === 'refused' ? 'refused' : 'opposite';
  if (result.verdict.startsWith('status')) return false;
  const difference = suiteDifferences.find(
    (entry) => entry.file === file && entry.outcome === outcome && entry.groups.includes(group),
  );
  if (difference !== undefined) usedDifferences.add(difference);
  return difference !== undefined;
}

describe('JSON-Schema-Test-Suite through POST /v1/analyze (validation: strict)', () => {
  afterAll(() => {
    const stale = suiteDifferences.filter((entry) => !usedDifferences.has(entry));
    expect(stale.map((entry) => `${entry.file}: ${entry.groups.join(', ')}`)).toEqual([]);
  });

  it.each(suiteDrafts)('$folder: verdicts match the labels except the listed differences', async (draft) => {
    const results = await runDraft(draft);
    const mismatches = results.filter(
      ({ suiteCase, verdict }) => verdict !== (suiteCase.valid ? 'valid' : 'invalid'),
    );
    const unexplained = mismatches.filter((result) => !explains(result));
    expect(unexplained.map(({ suiteCase, verdict }) => `${verdict}: ${suiteCase.id}`)).toEqual([]);

    const schemas = new Set(results.map(({ suiteCase }) => suiteCase.schemaIndex));
    const refused = new Set(
      results.filter(({ verdict }) => verdict === 'refused').map(({ suiteCase }) => suiteCase.schemaIndex),
    );
    const judged = results.filter(({ verdict }) => verdict !== 'refused');
    const judgedRight = judged.filter(
      ({ suiteCase, verdict }) => verdict === (suiteCase.valid ? 'valid' : 'invalid'),
    );
    console.info(
      `JSON-Schema-Test-Suite ${draft.folder}: ${results.length - mismatches.length}/${results.length} ` +
        `verdicts match (${judgedRight.length}/${judged.length} of the cases whose schema is accepted); ` +
        `${schemas.size - refused.size}/${schemas.size} schemas accepted`,
    );
  });

  it.each(suiteDrafts)(
    '$folder: every schema of the suite compiles for every target without throwing',
    async (draft) => {
      const seen = new Set<number>();
      for (const suiteCase of loadSuiteCases(draft)) {
        if (seen.has(suiteCase.schemaIndex)) continue;
        seen.add(suiteCase.schemaIndex);
        const schema = declaringDraft(suiteCase.schema, draft) as JsonSchema;
        for (const target of targets) {
          expect(
            () => compileSchema(schema, target),
            `${target}: ${suiteCase.file} / ${suiteCase.group}`,
          ).not.toThrow();
        }
      }
    },
  );
});
