import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';

/**
 * haproxy in front of the API replicas, as a production load balancer would be: round robin, the
 * readiness endpoint as health check, a replica taken out after three failed checks, and a request
 * whose connection was refused sent to another replica (`retry-on conn-failure` with `redispatch`:
 * safe, as such a request never reached a process). Each answer names the replica that served it.
 */
export function haproxyConfig(
  port: number,
  replicas: ReadonlyArray<{ name: string; port: number }>,
  statsSocket: string,
): string {
  return [
    'global',
    '  maxconn 512',
    `  stats socket ${statsSocket} mode 600`,
    'defaults',
    '  mode http',
    '  timeout connect 1s',
    '  timeout client 30s',
    '  timeout server 30s',
    // Without it a check times out after `inter`: a loaded machine would mark a healthy replica down.
    '  timeout check 3s',
    '  retries 3',
    '  option redispatch 1',
    '  retry-on conn-failure',
    'frontend api',
    `  bind 127.0.0.1:${port}`,
    '  default_backend replicas',
    'backend replicas',
    '  balance roundrobin',
    '  option httpchk GET /v1/health/ready',
    '  http-check expect status 200',
    '  default-server inter 500ms fall 3 rise 1',
    '  http-response set-header X-Replica %s',
    ...replicas.map((replica) => `  server ${replica.name} 127.0.0.1:${replica.port} check`),
    '',
  ].join('\n');
}

export class Haproxy {
  readonly #child: ChildProcess;

  private constructor(child: ChildProcess) {
    this.#child = child;
  }

  /** Writes the configuration to `directory`, checks it with `haproxy -c`, then runs it in the foreground. */
  static async start(directory: string, config: string): Promise<Haproxy> {
    const file = join(directory, 'haproxy.cfg');
    writeFileSync(file, config);
    const check = spawn('haproxy', ['-c', '-q', '-f', file], { stdio: 'inherit' });
    const [code] = await once(check, 'exit');
    if (code !== 0) throw new Error(`haproxy -c rejected ${file}`);
    const child = spawn('haproxy', ['-db', '-f', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.off('exit', killOnExit));
    return new Haproxy(child);
  }

  /** Requests each server of the backend is serving right now (`scur` of haproxy's `show stat`). */
  static async currentSessions(statsSocket: string): Promise<Record<string, number>> {
    const socket = createConnection(statsSocket);
    socket.end('show stat\n');
    let text = '';
    for await (const chunk of socket) text += String(chunk);
    const [header = '', ...rows] = text.replace(/^# /, '').trim().split('\n');
    const columns = header.split(',');
    const sessions: Record<string, number> = {};
    for (const row of rows) {
      const cells = row.split(',');
      if (cells[0] !== 'replicas' || cells[1] === 'BACKEND') continue;
      sessions[cells[1] ?? ''] = Number(cells[columns.indexOf('scur')]);
    }
    return sessions;
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = once(this.#child, 'exit');
    this.#child.kill('SIGTERM');
    await exited;
  }
}
