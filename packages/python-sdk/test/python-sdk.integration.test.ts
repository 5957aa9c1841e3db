import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  type CapturedRequest,
  FakeVendorServer,
  openAiCompletion,
  openAiStream,
} from '@structured-prompt/gateway/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, spawnServer } from '../../server/test/support/spawn-server.ts';

// The Python SDK's own unittest suite, run against the real service process (embedded mode) whose
// OpenAI provider is a fake on 127.0.0.1; then its wheel, built and installed into a fresh venv.
const sdkRoot = resolve(import.meta.dirname, '..');
const python = findPython('python3');
// Debian's interpreter carries python3-build and python3-venv; pyenv interpreters usually do not.
const buildPython = ['/usr/bin/python3', 'python3'].find((candidate) => canImport(candidate, 'build, venv'));
const mypyPython = ['/usr/bin/python3', 'python3'].find((candidate) => canImport(candidate, 'mypy'));

/** A skipped test says why in its name; a test that runs does not. */
const unless = (available: unknown, reason: string) => (available ? '' : ` (skipped: ${reason})`);

function findPython(command: string): string | undefined {
  return spawnSync(command, ['--version']).status === 0 ? command : undefined;
}

function canImport(command: string, modules: string): boolean {
  return spawnSync(command, ['-c', `import ${modules}`]).status === 0;
}

const invoiceAnswer = {
  customer_email: 'jane@example.com',
  total: 1250,
  currency: 'EUR',
  due_date: '2027-04-30',
};
const defaultAnswer = {
  intent: 'translate',
  subject: 'Hello World',
  entities: [{ type: 'language', value: 'French' }],
  output_format: 'text',
  original_language: 'en',
};

/** The fake OpenAI answers by a marker in the prompt, so Python tests choose the answer they need. */
function reply(request: CapturedRequest) {
  const sent = JSON.stringify(request.body);
  if (sent.includes('FAILHARD'))
    return { status: 400, body: { error: { message: 'refused', type: 'invalid_request_error' } } };
  const answer = JSON.stringify(sent.includes('invoice') ? invoiceAnswer : defaultAnswer);
  if ((request.body as { stream?: boolean }).stream) return streamedReply(sent, answer);
  return {
    ...openAiCompletion(answer, { promptTokens: 30, completionTokens: 20 }),
    delayMs: sent.includes('SLOW') ? 1500 : 0,
  };
}

/**
 * Streamed answers (the service streams from the provider when its client streams): REASK answers
 * invalid JSON until the service re-asks (a re-ask carries the previous answer as an assistant
 * message), LONGSTREAM trickles in for minutes, so only a client that goes away ends it early.
 */
function streamedReply(sent: string, answer: string) {
  if (sent.includes('REASK') && !sent.includes('"role":"assistant"'))
    return openAiStream('{"intent": "translate", "subject": 42}', { pieces: 4 });
  if (sent.includes('LONGSTREAM')) return openAiStream(answer, { pieces: answer.length, intervalMs: 1000 });
  return { ...openAiStream(answer, { pieces: 8 }), delayMs: sent.includes('SLOW') ? 1500 : 0 };
}

function run(command: string, args: string[], env: Record<string, string>, cwd = sdkRoot) {
  return new Promise<{ code: number | null; output: string }>((resolveRun) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.on('close', (code) => resolveRun({ code, output }));
  });
}

describe.skipIf(!python)(`Python SDK against the service${unless(python, 'no python3 on PATH')}`, () => {
  const adminKey = `sp_${randomBytes(32).toString('hex')}`;
  let fake: FakeVendorServer;
  let server: ServerProcess;

  beforeAll(async () => {
    fake = await FakeVendorServer.start(reply);
    server = await spawnServer({
      SPS_ADMIN_KEY: adminKey,
      OPENAI_API_KEY: 'sk-test-not-a-real-key',
      OPENAI_BASE_URL: `${fake.url}/v1`,
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32',
      WEBHOOK_POLL_INTERVAL_MS: '100',
      // A failing job item reaches the dead letters after one quick retry.
      JOB_MAX_RETRIES: '1',
      JOB_RETRY_BASE_MS: '50',
    });
  });

  afterAll(async () => {
    if (server?.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    await fake?.close();
  });

  it('passes the unittest suite of the sync and async clients', async () => {
    const { code, output } = await run(python!, ['-m', 'unittest', 'discover', '-s', 'test', '-v'], {
      PYTHONPATH: join(sdkRoot, 'src'),
      PYTHONDONTWRITEBYTECODE: '1',
      SPS_TEST_BASE_URL: server.baseUrl,
      SPS_TEST_ADMIN_KEY: adminKey,
    });
    expect(output, output).toMatch(/\nOK/);
    // Every server test ran: a skipped one would mean the server settings did not reach Python.
    expect(output).not.toMatch(/skipped/);
    expect(code, output).toBe(0);
    // The stream the Python client left early: the service cancelled its provider call.
    const longStreams = fake.requests.filter((request) =>
      JSON.stringify(request.body).includes('LONGSTREAM'),
    );
    expect(longStreams.length).toBeGreaterThan(0);
    expect(longStreams.every((request) => request.abortedByClient)).toBe(true);
  }, 240_000);

  it.skipIf(!buildPython)(
    `builds a wheel and an sdist that install into a fresh venv and run the quick start${unless(buildPython, 'no python3 with the build and venv modules, e.g. Debian python3-build and python3-venv')}`,
    async () => {
      const work = mkdtempSync(join(tmpdir(), 'sps-python-sdk-'));
      try {
        const dist = join(work, 'dist');
        // Built from a copy, so setuptools' build folders never land in the work tree.
        const source = join(work, 'source');
        const skip = /__pycache__|\.egg-info|\.mypy_cache|\/(build|dist)$/;
        cpSync(sdkRoot, source, { recursive: true, filter: (path) => !skip.test(path) });
        // No isolation: the build backend (setuptools) comes from the system, as nothing is downloaded.
        const built = await run(
          buildPython!,
          ['-m', 'build', '--no-isolation', '--outdir', dist, source],
          {},
        );
        expect(built.code, built.output).toBe(0);
        const files = readdirSync(dist);
        const wheel = files.find((file) => file.endsWith('-py3-none-any.whl'));
        expect(
          files.some((file) => file.endsWith('.tar.gz')),
          files.join(', '),
        ).toBe(true);
        expect(wheel, files.join(', ')).toBeDefined();

        const venv = join(work, 'venv');
        const created = await run(buildPython!, ['-m', 'venv', venv], {});
        expect(created.code, created.output).toBe(0);
        const venvPython = join(venv, 'bin', 'python');
        const installed = await run(
          venvPython,
          ['-m', 'pip', 'install', '--no-index', join(dist, wheel!)],
          {},
        );
        expect(installed.code, installed.output).toBe(0);

        const key = await createKey(server.baseUrl, adminKey);
        // Run from the temporary folder, so only the installed wheel can be imported.
        const example = join(sdkRoot, 'examples', 'quickstart.py');
        const quickStart = await run(
          venvPython,
          [example],
          { SPS_BASE_URL: server.baseUrl, SPS_API_KEY: key },
          work,
        );
        expect(quickStart.code, quickStart.output).toBe(0);
        expect(quickStart.output).toContain('intent: translate');
        expect(quickStart.output).toContain('invoice: jane@example.com owes 1250.0 EUR');

        // The installed distribution: typed, without dependencies, and its sdist carries the sources.
        const inspect = [
          'import importlib.metadata as m, importlib.resources as r, sys, tarfile',
          "print(r.files('structured_prompt').joinpath('py.typed').is_file(), m.requires('structured-prompt-sdk'))",
          'names = tarfile.open(sys.argv[1]).getnames()',
          "print(all(any(n.endswith(p) for n in names) for p in ('py.typed', 'README.md', 'LICENSE', 'pyproject.toml')))",
        ].join('\n');
        const sdist = join(dist, files.find((file) => file.endsWith('.tar.gz'))!);
        const metadata = await run(venvPython, ['-c', inspect, sdist], {}, work);
        expect(metadata.output.trim().split('\n'), metadata.output).toEqual(['True None', 'True']);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    },
    240_000,
  );
});

describe.skipIf(!mypyPython)(
  `Python SDK type hints${unless(mypyPython, 'no python3 with mypy, e.g. Debian python3-mypy')}`,
  () => {
    it('pass mypy --strict, for the package and the quick start', async () => {
      const checked = await run(
        mypyPython!,
        ['-m', 'mypy', '--strict', '--cache-dir=/dev/null', 'src/structured_prompt', 'examples'],
        {
          MYPYPATH: join(sdkRoot, 'src'),
        },
      );
      expect(checked.output).toMatch(/Success: no issues found/);
      expect(checked.code, checked.output).toBe(0);
    }, 120_000);
  },
);

async function createKey(baseUrl: string, adminKey: string): Promise<string> {
  const response = await fetch(`${baseUrl}/v1/api-keys`, {
    method: 'POST',
    headers: { 'x-api-key': adminKey, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'python-quick-start' }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { key: string }).key;
}
