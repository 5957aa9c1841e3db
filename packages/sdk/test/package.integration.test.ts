import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LiveServer, startLiveServer } from './support/live-server.ts';

const packageDir = resolve(import.meta.dirname, '..');
const tsc = resolve(packageDir, '../../node_modules/.bin/tsc');
const run = (command: string, args: string[], cwd: string, env: Record<string, string> = {}) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });

let live: LiveServer;
let consumer: string;
let installed: string;

/**
 * The other runtimes the SDK promises to work in. Bun and Deno come from their official npm packages
 * (optional dependencies of the repository, Linux x64 only); the system Node.js is the oldest one
 * supported (20) where the machine has it. Each is skipped, with the reason in its title, when absent.
 */
const repoModules = resolve(packageDir, '../../node_modules');
const runtimes = [
  {
    name: 'Node.js 20 (the system node)',
    command: '/usr/bin/node',
    args: (file: string) => [file],
    present:
      existsSync('/usr/bin/node') &&
      /^v2\d\./.test(execFileSync('/usr/bin/node', ['--version'], { encoding: 'utf8' })),
  },
  {
    name: 'Bun',
    command: join(repoModules, '@oven/bun-linux-x64/bin/bun'),
    args: (file: string) => [file],
  },
  {
    name: 'Deno',
    command: join(repoModules, '@deno/linux-x64-glibc/deno'),
    args: (file: string) => ['run', '--allow-net', '--allow-env', '--allow-read', file],
  },
].map((runtime) => ({ ...runtime, present: runtime.present ?? existsSync(runtime.command) }));
beforeAll(async () => {
  live = await startLiveServer();
  consumer = mkdtempSync(join(tmpdir(), 'sps-sdk-consumer-'));
});
afterAll(async () => {
  await live?.stop();
  rmSync(consumer, { recursive: true, force: true });
});

// A consumer's view of the declarations: typed answers, typed errors, nothing from the workspace.
const consumerSource = `
import { StructuredPromptClient, RateLimitedError, type Job } from '@structured-prompt/sdk';
const client = new StructuredPromptClient({ baseUrl: 'http://localhost:3000' });
export async function status(id: string): Promise<Job['status']> {
  const job = await client.jobs.get(id);
  for await (const result of client.jobs.results(id)) console.log(result.index);
  return job.status;
}
export function wait(error: unknown): number | undefined {
  return error instanceof RateLimitedError ? error.retryAfter : undefined;
}
`;

describe('the packed SDK', () => {
  it('packs, installs into a fresh folder, type-checks a consumer and runs its example', async () => {
    run(process.execPath, [join(packageDir, 'scripts/build.ts')], packageDir);
    const packed = JSON.parse(
      run('npm', ['pack', './dist', '--json', '--pack-destination', consumer], packageDir),
    );
    const files = (packed[0].files as Array<{ path: string }>).map((file) => file.path);
    expect(files).toEqual(expect.arrayContaining(['index.js', 'index.d.ts', 'types.d.ts', 'example.mjs']));
    expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
    const tarball = readdirSync(consumer).find((file) => file.endsWith('.tgz'))!;

    writeFileSync(
      join(consumer, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    run('npm', ['install', `./${tarball}`, '--no-audit', '--no-fund', '--ignore-scripts'], consumer);
    installed = join(consumer, 'node_modules/@structured-prompt/sdk');
    expect(readdirSync(join(consumer, 'node_modules')).filter((name) => !name.startsWith('.'))).toEqual([
      '@structured-prompt',
    ]);

    writeFileSync(join(consumer, 'consumer.ts'), consumerSource);
    const tsconfig = {
      compilerOptions: { strict: true, module: 'nodenext', noEmit: true, lib: ['es2022', 'dom'], types: [] },
    };
    writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify({ ...tsconfig, files: ['consumer.ts'] }));
    run(tsc, ['-p', 'tsconfig.json'], consumer);

    live.answer(JSON.stringify({ number: 'INV-7', total: 120.5 }));
    // Not execFileSync: the fake provider answers from this process, which must keep running.
    const { stdout } = await promisify(execFile)(process.execPath, [join(installed, 'example.mjs')], {
      cwd: consumer,
      env: { ...process.env, SPS_URL: live.baseUrl, SPS_API_KEY: live.userKey.key },
    });
    expect(JSON.parse(stdout)).toMatchObject({ data: { number: 'INV-7', total: 120.5 } });
  });
});

describe('the packed SDK in other runtimes', () => {
  for (const runtime of runtimes) {
    const title = runtime.present
      ? `runs its example in ${runtime.name}`
      : `runs its example in ${runtime.name} (skipped: ${runtime.command} is not installed)`;
    it.skipIf(!runtime.present)(title, async () => {
      expect(installed, 'the package test above installs the tarball first').toBeTruthy();
      const { stdout } = await promisify(execFile)(
        runtime.command,
        runtime.args(join(installed, 'example.mjs')),
        {
          cwd: consumer,
          env: { ...process.env, SPS_URL: live.baseUrl, SPS_API_KEY: live.userKey.key, NO_COLOR: '1' },
        },
      );
      // The example's prompt is fixed, so the service answers it from its cache after the first run:
      // the same validated object, fetched and decoded by this runtime.
      expect(JSON.parse(stdout)).toMatchObject({ data: { number: 'INV-7', total: 120.5 } });
    });
  }
});
