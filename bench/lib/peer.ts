import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { nodeBinary, repoRoot } from './bench-stack.ts';
import { type BenchChild, freePort, startChild } from './child-processes.ts';

/**
 * The peer the realistic scenarios are compared with: the Portkey gateway from its npm package
 * (a devDependency), started by the harness.
 *
 * Its Node entry listens on every interface and takes no host option. So that nothing outside this
 * machine can reach it, the whole benchmark (service, fake provider, peer and load generator) runs
 * in a private network namespace holding only a loopback interface: `run.ts` re-executes itself
 * under `unshare --net` before it starts anything.
 */

const namespaceMarker = 'BENCH_PRIVATE_NETWORK';

export type NamespaceOutcome =
  | { kind: 'inside' }
  | { kind: 'ran'; exitCode: number }
  | { kind: 'unavailable'; reason: string };

/**
 * Runs this process again in a new network namespace with loopback up, and reports its exit code;
 * `inside` when this process already is that re-run. As root `unshare --net` suffices; otherwise a
 * user namespace maps the caller to root inside it (`unshare --user --map-root-user --net`).
 */
export function runInPrivateNetwork(argv: readonly string[]): NamespaceOutcome {
  if (process.env[namespaceMarker] === '1') return { kind: 'inside' };
  const script = 'ip link set lo up && exec "$@"';
  const attempts = process.getuid?.() === 0 ? [['--net']] : [['--user', '--map-root-user', '--net']];
  const reasons: string[] = [];
  for (const flags of attempts) {
    const probe = spawnSync('unshare', [...flags, 'sh', '-c', 'ip link set lo up'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      reasons.push(`unshare ${flags.join(' ')}: ${(probe.stderr || String(probe.error ?? '')).trim()}`);
      continue;
    }
    const run = spawnSync('unshare', [...flags, 'sh', '-c', script, 'bench', process.execPath, ...argv], {
      stdio: 'inherit',
      env: { ...process.env, [namespaceMarker]: '1' },
    });
    return { kind: 'ran', exitCode: run.status ?? 1 };
  }
  return { kind: 'unavailable', reason: reasons.join('; ') };
}

export interface Peer {
  child: BenchChild;
  baseUrl: string;
  /** Headers of every request: the provider and where it is (the fake). */
  headers: Record<string, string>;
}

/** Starts the Portkey gateway, its requests sent to the fake provider's `/realistic/v1`. */
export async function startPeer(providerBaseUrl: string): Promise<Peer> {
  const port = await freePort();
  const child = await startChild({
    name: 'peer (Portkey gateway)',
    command: nodeBinary,
    args: [
      join(repoRoot, 'node_modules', '@portkey-ai', 'gateway', 'build', 'start-server.js'),
      `--port=${port}`,
      '--headless',
    ],
    // Production mode: no console UI routes.
    env: { NODE_ENV: 'production' },
    readyPattern: /Ready for connections/,
    port,
  });
  return {
    child,
    baseUrl: `http://127.0.0.1:${port}`,
    headers: {
      'x-portkey-provider': 'openai',
      'x-portkey-custom-host': `${providerBaseUrl}/realistic/v1`,
      authorization: 'Bearer sk-bench',
    },
  };
}
