import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAiStream } from '@structured-prompt/gateway/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAnswer, type LiveServer, startLiveServer } from '../../sdk/test/support/live-server.ts';
import { sps } from './cli-process.ts';

let live: LiveServer;
let env: Record<string, string>;
let adminEnv: Record<string, string>;
const work = mkdtempSync(join(tmpdir(), 'sps-cli-'));
const file = (name: string, content: string) => {
  writeFileSync(join(work, name), content);
  return join(work, name);
};
const invoiceSchema = { type: 'object', required: ['number'], properties: { number: { type: 'string' } } };

beforeAll(async () => {
  live = await startLiveServer();
  env = { SPS_URL: live.baseUrl, SPS_API_KEY: live.userKey.key };
  adminEnv = { SPS_URL: live.baseUrl, SPS_API_KEY: live.adminKey };
});
afterAll(() => live?.stop());

// Every check starts the sps binary, a Node process of its own; on a busy machine that takes seconds.
describe('sps against the running service', { timeout: 180_000 }, () => {
  it('analyzes a prompt from the argument or standard input, with a schema file', async () => {
    live.answer(JSON.stringify({ number: 'INV-1' }));
    const schema = file('invoice.json', JSON.stringify(invoiceSchema));
    const fromArgument = await sps(['analyze', 'Invoice INV-1 please', '--schema', schema], env);
    expect(fromArgument).toMatchObject({ code: 0 });
    expect(JSON.parse(fromArgument.stdout)).toEqual({ number: 'INV-1' });
    const fromStdin = await sps(
      ['analyze', '-o', 'yaml', '--schema', schema],
      env,
      'Invoice INV-1 from stdin',
    );
    expect(fromStdin.stdout.trim()).toBe('number: INV-1');
  });

  it('streams with --stream: only the validated answer on stdout when piped, re-asks noted on stderr', async () => {
    live.answer(JSON.stringify({ number: 'INV-2' }));
    live.fake.script(openAiStream('{"total": 2}', { pieces: 3 }));
    const schema = file('invoice-stream.json', JSON.stringify(invoiceSchema));
    const result = await sps(
      ['analyze', 'Invoice INV-2 streamed', '--stream', '--full', '--schema', schema],
      env,
    );
    expect(result).toMatchObject({ code: 0 });
    const answer = JSON.parse(result.stdout) as { data: unknown; validation: { attempts: number } };
    expect(answer.data).toEqual({ number: 'INV-2' });
    expect(answer.validation.attempts).toBe(2);
    expect(result.stderr).toContain('re-asking (attempt 2): /number is required but missing');
    expect(result.stderr).not.toContain('\u001b[2K');
  });

  it('exits 1 on a usage error, 2 on an API error and 3 when the answer does not validate', async () => {
    expect((await sps(['analyze', '--no-such-flag'], env)).code).toBe(1);
    const unauthorized = await sps(['analyze', 'hello there'], { ...env, SPS_API_KEY: 'sp_wrong' });
    expect(unauthorized.code).toBe(2);
    expect(unauthorized.stderr).toContain('401 unauthorized');
    live.answer(JSON.stringify({ total: 1 }));
    const schema = file('strict.json', JSON.stringify({ ...invoiceSchema, additionalProperties: false }));
    const invalid = await sps(['analyze', 'Invoice without number', '--schema', schema], env);
    expect(invalid.code).toBe(3);
    expect(invalid.stderr).toContain('validation failed');
  });

  it('runs a JSONL batch into a results file and resumes where it stopped', async () => {
    live.answer(defaultAnswer);
    const lines = (count: number) =>
      Array.from({ length: count }, (_, index) => JSON.stringify(`Translate batch line ${index}`));
    const out = join(work, 'results.jsonl');
    const first = await sps(
      ['batch', file('three.jsonl', lines(3).join('\n')), '--out', out, '-c', '2'],
      env,
    );
    expect(first.code).toBe(0);
    const before = live.providerCalls().length;
    const resumed = await sps(
      ['batch', file('five.jsonl', lines(5).join('\n')), '--out', out, '--resume'],
      env,
    );
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain('2 of 5 items');
    expect(live.providerCalls().length - before).toBe(2);
    const results = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(results.map((result) => result.index).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(results.every((result) => result.status === 'succeeded')).toBe(true);
  });

  it('reads a CSV batch and reports failed items with exit 2', async () => {
    const csv = file('prompts.csv', 'prompt\n"Translate CSV row, one"\n\n');
    const ok = await sps(['batch', csv], env);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout.trim()).data).toEqual(JSON.parse(defaultAnswer));
    const bad = await sps(['batch', file('bad.jsonl', '{"prompt": ""}')], env);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout.trim())).toMatchObject({
      index: 0,
      status: 'failed',
      error: { status: 400 },
    });
  });

  it('submits a job, waits for it, prints its results and refuses to cancel it once done', async () => {
    const input = file('job.jsonl', ['"Translate job one"', '"Translate job two"'].join('\n'));
    const submitted = await sps(['jobs', 'submit', input, '--wait'], env);
    expect(submitted.code).toBe(0);
    const job = JSON.parse(submitted.stdout);
    expect(job.status).toBe('completed');
    const results = await sps(['jobs', 'results', job.id], env);
    expect(
      results.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).index),
    ).toEqual([0, 1]);
    expect(JSON.parse((await sps(['jobs', 'status', job.id], env)).stdout).id).toBe(job.id);
    expect((await sps(['jobs', 'list', '-o', 'json'], env)).stdout).toContain(job.id);
    expect((await sps(['jobs', 'cancel', job.id], env)).code).toBe(2);
  });

  it('registers schemas and templates, publishes versions and diffs them', async () => {
    const create = await sps(
      ['schemas', 'create', '-f', file('s.yaml', `name: cli-invoice\nschema:\n  type: object\n`)],
      env,
    );
    expect(create.code).toBe(0);
    const next = file(
      's2.json',
      JSON.stringify({ type: 'object', properties: { number: { type: 'string' } } }),
    );
    const publish = await sps(['schemas', 'publish', 'cli-invoice', '-f', next], env);
    expect(publish).toMatchObject({ code: 0 });
    const published = JSON.parse(publish.stdout);
    const diff = await sps(['schemas', 'diff', 'cli-invoice', '1.0.0', published.version], env);
    expect(diff.stdout).toContain('+  "properties": {');
    expect((await sps(['schemas', 'list', '-o', 'json'], env)).stdout).toContain('cli-invoice');
    expect((await sps(['schemas', 'get', 'no-such-schema'], env)).code).toBe(2);

    const templateFile = file(
      't.json',
      JSON.stringify({ name: 'cli-t', template: 'Say {{ a }}', parameters: [{ name: 'a' }] }),
    );
    const createTemplate = await sps(['templates', 'create', '-f', templateFile], env);
    expect(createTemplate).toMatchObject({ code: 0 });
    const template = JSON.parse(createTemplate.stdout);
    await sps(
      [
        'templates',
        'update',
        template.id,
        '-f',
        file('t2.json', JSON.stringify({ template: 'Shout {{ a }}' })),
      ],
      env,
    );
    const versions = JSON.parse((await sps(['templates', 'get', template.id], env)).stdout);
    const templateDiff = await sps(['templates', 'diff', template.id, '1.0.0', versions.latest_version], env);
    expect(templateDiff.stdout).toMatch(/-Say \{\{ a \}\}[\s\S]*\+Shout \{\{ a \}\}/);
  });

  it('manages keys as an admin, lists and replays requests, and reports usage', async () => {
    const created = JSON.parse((await sps(['keys', 'create', '--name', 'cli-made'], adminEnv)).stdout);
    expect(created.key).toMatch(/^sp_/);
    expect((await sps(['keys', 'list', '-o', 'json'], adminEnv)).stdout).toContain(created.id);
    expect((await sps(['keys', 'list'], env)).code).toBe(2);
    expect(JSON.parse((await sps(['keys', 'revoke', created.id], adminEnv)).stdout).id).toBe(created.id);

    const listed = JSON.parse((await sps(['requests', 'list', '-n', '1'], env)).stdout);
    expect(listed).toHaveLength(1);
    const shown = JSON.parse((await sps(['requests', 'show', listed[0].request_id], env)).stdout);
    expect(shown.request_id).toBe(listed[0].request_id);
    expect((await sps(['requests', 'replay', listed[0].request_id], env)).code).toBe(0);
    expect(JSON.parse((await sps(['usage'], env)).stdout).totals.requests).toBeGreaterThan(0);
  });

  it('keeps profiles in the settings file, with environment variables overriding them', async () => {
    const settings = { SPS_CONFIG: join(work, 'profiles.yaml') };
    await sps(['config', 'set', 'staging', '--url', live.baseUrl, '--key', live.userKey.key], settings);
    const shown = JSON.parse((await sps(['config', 'show'], settings)).stdout);
    expect(shown).toMatchObject({ profile: 'staging', url: live.baseUrl });
    expect(readFileSync(settings.SPS_CONFIG, 'utf8')).toContain('current: staging');
    const viaProfile = await sps(['keys', 'me'], settings);
    expect(JSON.parse(viaProfile.stdout).name).toBe('sdk tests');
    const overridden = JSON.parse(
      (await sps(['config', 'show'], { ...settings, SPS_URL: 'http://127.0.0.1:1' })).stdout,
    );
    expect(overridden.url).toBe('http://127.0.0.1:1');
    expect((await sps(['keys', 'me'], { ...settings, SPS_URL: 'http://127.0.0.1:1' })).code).toBe(2);
    expect((await sps(['config', 'use', 'nowhere'], settings)).code).toBe(1);
  });
});
