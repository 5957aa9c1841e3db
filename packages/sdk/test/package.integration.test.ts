import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
    const installed = join(consumer, 'node_modules/@structured-prompt/sdk');
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
