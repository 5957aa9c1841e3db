import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openAiStream } from '@structured-prompt/gateway/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LiveServer, startLiveServer } from '../../sdk/test/support/live-server.ts';
import { buildProgram } from '../src/program.ts';
import { sps, spsBin } from './cli-process.ts';

const run = promisify(execFile);
let live: LiveServer;
let env: Record<string, string>;
const work = mkdtempSync(join(tmpdir(), 'sps-tty-'));

beforeAll(async () => {
  live = await startLiveServer();
  env = { SPS_URL: live.baseUrl, SPS_API_KEY: live.userKey.key, SPS_CONFIG: join(work, 'config.yaml') };
});
afterAll(() => live?.stop());

/** Runs sps in a pseudo-terminal through script(1) and returns what the terminal showed. */
async function inTerminal(args: string[], extraEnv: Record<string, string> = {}): Promise<string> {
  const command = [process.execPath, spsBin, ...args].map((part) => `'${part}'`).join(' ');
  const { stdout } = await run('script', ['-qfec', command, '/dev/null'], {
    env: { PATH: process.env.PATH ?? '', TERM: 'xterm', COLUMNS: '100', ...env, ...extraEnv },
  });
  return stdout;
}

async function tmux(...args: string[]): Promise<string> {
  return (await run('tmux', args)).stdout;
}

async function screenShows(session: string, text: string): Promise<string> {
  let screen = '';
  for (let tries = 0; tries < 600; tries++) {
    screen = await tmux('capture-pane', '-p', '-t', session);
    if (screen.includes(text)) return screen;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the screen never showed "${text}":\n${screen}`);
}

// Each step starts a Node process; on a busy machine that takes seconds.
describe('sps on a terminal', { timeout: 180_000 }, () => {
  it('draws a progress bar for a batch', async () => {
    const input = join(work, 'batch.jsonl');
    writeFileSync(input, ['"Translate tty one"', '"Translate tty two"', '"Translate tty three"'].join('\n'));
    const screen = await inTerminal(['batch', input, '--out', join(work, 'out.jsonl')]);
    expect(screen).toContain('100%');
    expect(screen).toContain('3/3');
    expect(screen).toContain('3 succeeded, 0 failed');
  });

  it('redraws the partial answer live with --stream, then prints the validated answer', async () => {
    const answer = '{"number": "INV-7", "total": 120.5}';
    // Seven pieces of five characters: partials stop inside "INV-7" and "120.5", as the answer never does.
    live.fake.script(openAiStream(answer, { pieces: 7, intervalMs: 30 }));
    const schema = join(work, 'invoice.json');
    const properties = { number: { type: 'string' }, total: { type: 'number' } };
    writeFileSync(schema, JSON.stringify({ type: 'object', required: ['number'], properties }));
    const screen = await inTerminal([
      'analyze',
      'Invoice on a terminal',
      '--stream',
      '-o',
      'json',
      '-s',
      schema,
    ]);
    expect(screen).toContain('{"number":"INV"}');
    expect(screen).toContain('{"number":"INV-7","total":1}');
    expect(screen).toContain('\r\u001b[2K');
    const printed = screen.slice(screen.lastIndexOf('\u001b[2K') + '\u001b[2K'.length);
    expect(JSON.parse(printed)).toEqual({ number: 'INV-7', total: 120.5 });
  });

  it('colours tables on a terminal, and not with NO_COLOR', async () => {
    expect(await inTerminal(['keys', 'me'])).toContain('\u001b[1m');
    const plain = await inTerminal(['keys', 'me'], { NO_COLOR: '1' });
    expect(plain).toContain('sdk tests');
    expect(plain).not.toContain('\u001b[1m');
  });

  it('runs the interactive prompt and answer loop when started without arguments', async () => {
    const session = `sps-test-${process.pid}`;
    const variables = Object.entries(env).map(([name, value]) => `${name}='${value}'`);
    // The trailing sleep keeps the pane (and whatever sps printed last) until the test kills it.
    const command = `env ${variables.join(' ')} NO_COLOR=1 '${process.execPath}' '${spsBin}'; sleep 120`;
    await tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '50', command);
    try {
      await screenShows(session, 'Answer with which schema?');
      await tmux('send-keys', '-t', session, 'Enter');
      await screenShows(session, 'Prompt (empty to quit)');
      await tmux('send-keys', '-t', session, '-l', 'Translate Hello World to French');
      await tmux('send-keys', '-t', session, 'Enter');
      const screen = await screenShows(session, 'original_language');
      expect(screen).toContain('validation passed');
      expect(screen).toContain('translate');
      await screenShows(session, 'Prompt (empty to quit)');
      await tmux('send-keys', '-t', session, 'Enter');
      await screenShows(session, 'bye');
    } finally {
      await tmux('kill-session', '-t', session).catch(() => '');
    }
  });
});

/** Starts `sps args…` and resolves once its standard output shows `text`. */
async function startUntil(args: string[], extraEnv: Record<string, string>, text: string) {
  const child = spawn(process.execPath, [spsBin, ...args], {
    env: { PATH: process.env.PATH ?? '', ...extraEnv },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  for (let tries = 0; tries < 2400 && !output.includes(text) && child.exitCode === null; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(output).toContain(text);
  return { exited, output: () => output, kill: (signal: NodeJS.Signals) => child.kill(signal) };
}

describe('sps reference and processes', { timeout: 180_000 }, () => {
  it('prints a man page and a completion script covering every command', async () => {
    const program = buildProgram('0.0.0');
    const man = (await sps(['man'])).stdout;
    const completion = (await sps(['completion'])).stdout;
    for (const command of program.commands) {
      expect(man).toContain(`.SS "sps ${command.name()}`);
      expect(completion).toContain(`"${command.name()}") words=`);
      for (const sub of command.commands) expect(man).toContain(`.SS "sps ${command.name()} ${sub.name()}`);
    }
    expect(man).toContain('.SH EXIT STATUS');
    const { stdout } = await run('bash', [
      '-c',
      `${completion}\nCOMP_WORDS=(sps jobs w); COMP_CWORD=2; _sps; echo "\${COMPREPLY[*]}"`,
    ]);
    expect(stdout.trim()).toBe('wait');
  });

  it('migrates a database and serves it until SIGTERM', async () => {
    const database = { DATABASE_URL: `sqlite:${join(work, 'served.db')}`, LOG_LEVEL: 'warn' };
    const pending = await sps(['migrate', 'status'], database);
    expect(pending.stdout).toMatch(/pending/);
    const up = await sps(['migrate', 'up'], database);
    expect(up).toMatchObject({ code: 0 });
    expect((await sps(['migrate', 'status'], database)).stdout).not.toMatch(/pending/);

    const server = await startUntil(
      ['serve'],
      { ...database, PORT: '0', HOST: '127.0.0.1' },
      'is listening on',
    );
    server.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('starts a job worker with the given concurrency and stops it on SIGTERM', async () => {
    const database = { DATABASE_URL: `sqlite:${join(work, 'worker.db')}`, LOG_LEVEL: 'warn' };
    const worker = await startUntil(['worker', '--concurrency', '3'], database, 'Job worker running');
    expect(worker.output()).toMatch(/Job worker running: queue \w+, 3 items at a time/);
    worker.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  });
});
