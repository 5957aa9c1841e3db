import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repositoryRoot = resolve(import.meta.dirname, '../../../..');
const serverEntry = join(repositoryRoot, 'packages/server/src/main.ts');

export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  port: number;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

/**
 * Starts the real process entry (`npm start` runs the same file) on a free port with a temporary data
 * directory, and waits until it prints where it listens. A `dataDir` the caller brings (to restart a
 * server on the same data) is the caller's to remove.
 */
export async function spawnServer(
  env: Record<string, string> = {},
  options: { dataDir?: string; startTimeoutMs?: number } = {},
): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'sps-server-'));
  const child = spawn(process.execPath, [serverEntry], {
    cwd: dataDir,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DATABASE_URL: `sqlite:${join(dataDir, 'sps.db')}`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolveExit) =>
    child.on('exit', (code) => {
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
      resolveExit(code);
    }),
  );

  const waitForOutput = (pattern: RegExp, timeoutMs = 20_000) =>
    new Promise<string>((resolveWait, rejectWait) => {
      const started = Date.now();
      const poll = setInterval(() => {
        const match = out.match(pattern) ?? err.match(pattern);
        if (match) {
          clearInterval(poll);
          resolveWait(match[0]);
        } else if (child.exitCode !== null || Date.now() - started > timeoutMs) {
          clearInterval(poll);
          rejectWait(new Error(`never printed ${pattern}; stdout:\n${out}\nstderr:\n${err}`));
        }
      }, 20);
    });

  const server: ServerProcess = {
    child,
    baseUrl: '',
    port: 0,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForOutput,
  };
  if (env.__EXPECT_FAILURE === '1') return server;
  const line = await waitForOutput(/is listening on http:\/\/127\.0\.0\.1:(\d+)/, options.startTimeoutMs);
  server.port = Number(line.split(':').at(-1));
  server.baseUrl = `http://127.0.0.1:${server.port}`;
  return server;
}
