import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The newest Debian PostgreSQL server binaries (`/usr/lib/postgresql/<major>/bin`). */
function serverBinaries(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((name) => existsSync(join(root, name, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = majors[0];
  if (newest === undefined) throw new Error(`no PostgreSQL server binaries under ${root}`);
  return join(root, newest, 'bin');
}

/**
 * A PostgreSQL cluster of the test's own (initdb in a temporary directory, its own loopback port),
 * so the test can restart a real server without touching the one other tests share. PostgreSQL
 * refuses to run as root, so as root the binaries run as the `postgres` user.
 */
export class PrivatePostgres {
  readonly port: number;
  readonly #directory: string;
  readonly #binaries: string;

  private constructor(port: number, directory: string, binaries: string) {
    this.port = port;
    this.#directory = directory;
    this.#binaries = binaries;
  }

  static async start(port: number): Promise<PrivatePostgres> {
    const directory = mkdtempSync(join(tmpdir(), 'sps-scale-pg-'));
    const server = new PrivatePostgres(port, directory, serverBinaries());
    if (userInfo().uid === 0) {
      const { stdout } = await run('id', ['-u', 'postgres']);
      const { stdout: group } = await run('id', ['-g', 'postgres']);
      chownSync(directory, Number(stdout.trim()), Number(group.trim()));
    }
    await server.#binary('initdb', [
      '-D',
      server.#dataDirectory,
      '-A',
      'trust',
      '-U',
      'postgres',
      '--no-sync',
    ]);
    await server.#control('start');
    return server;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** `pg_ctl restart -m fast`: every connection is closed, the server is down, then up again. */
  async restart(): Promise<void> {
    await this.#control('restart', ['-m', 'fast']);
  }

  async stop(): Promise<void> {
    await this.#binary('pg_ctl', ['-D', this.#dataDirectory, '-m', 'immediate', '-w', 'stop']).catch(
      () => {},
    );
    rmSync(this.#directory, { recursive: true, force: true });
  }

  get #dataDirectory(): string {
    return join(this.#directory, 'data');
  }

  #control(action: 'start' | 'restart', extra: string[] = []): Promise<unknown> {
    const options = `-p ${this.port} -k ${this.#directory} -c listen_addresses=127.0.0.1 -c fsync=off`;
    const log = join(this.#directory, 'server.log');
    return this.#binary('pg_ctl', [
      '-D',
      this.#dataDirectory,
      '-o',
      options,
      '-l',
      log,
      '-w',
      ...extra,
      action,
    ]);
  }

  #binary(name: string, args: string[]): Promise<unknown> {
    const path = join(this.#binaries, name);
    if (userInfo().uid === 0) return run('runuser', ['-u', 'postgres', '--', path, ...args]);
    return run(path, args);
  }
}
