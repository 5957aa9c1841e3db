import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const spsBin = resolve(import.meta.dirname, '../bin/sps.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `sps` binary with a private settings file, without a terminal, and resolves with its
 * exit code and output (asynchronously: the fake provider answers from the test's own process).
 */
export function sps(args: string[], env: Record<string, string> = {}, stdin?: string): Promise<RunResult> {
  return new Promise((resolvePromise) => {
    const child = execFile(
      process.execPath,
      [spsBin, ...args],
      { env: { PATH: process.env.PATH ?? '', SPS_CONFIG: join(settingsDir, 'config.yaml'), ...env } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolvePromise({ code, stdout, stderr });
      },
    );
    child.stdin?.end(stdin ?? '');
  });
}

const settingsDir = mkdtempSync(join(tmpdir(), 'sps-cli-settings-'));
