import { randomBytes } from 'node:crypto';

export interface Answer {
  status: number;
  /** The replica haproxy sent the request to (`X-Replica`), empty when called directly. */
  replica: string;
  body: Record<string, unknown>;
}

/** Every request the test sent and how many did not get the answer expected, for the closing figures. */
export const tally = { requests: 0, errors: 0 };

export async function send(
  url: string,
  path: string,
  options: { key: string; method?: string; body?: unknown },
): Promise<Answer> {
  tally.requests += 1;
  const response = await fetch(`${url}${path}`, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers: {
      'x-api-key': options.key,
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  const body = text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {};
  return { status: response.status, replica: response.headers.get('x-replica') ?? '', body };
}

export function uniquePrompt(label: string): string {
  return `Translate ${label}-${randomBytes(4).toString('hex')} to French`;
}

/** What the clients of a steady load saw: answers by status (0: no HTTP answer at all) and by replica. */
export interface LoadOutcome {
  sent: number;
  succeeded: number;
  failed: number;
  byStatus: Record<string, number>;
  byReplica: Record<string, number>;
  /** Requests sent while the mark was set, e.g. after a replica was killed. */
  sentAfterMark: number;
  servedAfterMark: Record<string, number>;
  /** Requests sent after the mark that got no 200: a replica killed before the mark must not cause any. */
  failedAfterMark: number;
  /** The first failures: status, replica ('-' when the load balancer answered itself), body. */
  failureSamples: string[];
}

/**
 * `concurrency` clients, each sending one analyze request after another through `url` until
 * `stop()` says so. `inFlight()` tells how many are open right now; `mark()` starts counting the
 * requests sent from then on separately.
 */
export function steadyLoad(url: string, key: string, concurrency: number) {
  const outcome: LoadOutcome = {
    sent: 0,
    succeeded: 0,
    failed: 0,
    byStatus: {},
    byReplica: {},
    sentAfterMark: 0,
    servedAfterMark: {},
    failedAfterMark: 0,
    failureSamples: [],
  };
  let open = 0;
  let stopped = false;
  let marked = false;
  const client = async () => {
    while (!stopped) {
      const afterMark = marked;
      outcome.sent += 1;
      if (afterMark) outcome.sentAfterMark += 1;
      open += 1;
      const body = { prompt: uniquePrompt('load'), provider: 'openai' };
      const answer = await send(url, '/v1/analyze', { key, body }).catch((error: Error) => {
        if (outcome.failureSamples.length < 5) outcome.failureSamples.push(`no answer: ${error.message}`);
        return undefined;
      });
      open -= 1;
      const status = String(answer?.status ?? 0);
      outcome.byStatus[status] = (outcome.byStatus[status] ?? 0) + 1;
      if (answer?.status === 200) {
        outcome.succeeded += 1;
        outcome.byReplica[answer.replica] = (outcome.byReplica[answer.replica] ?? 0) + 1;
        if (afterMark)
          outcome.servedAfterMark[answer.replica] = (outcome.servedAfterMark[answer.replica] ?? 0) + 1;
      } else {
        outcome.failed += 1;
        if (afterMark) outcome.failedAfterMark += 1;
        if (answer && outcome.failureSamples.length < 5) {
          outcome.failureSamples.push(
            `${answer.status} ${answer.replica || '-'} ${JSON.stringify(answer.body).slice(0, 160)}`,
          );
        }
        tally.errors += 1;
      }
    }
  };
  const clients = Array.from({ length: concurrency }, () => client());
  return {
    outcome,
    inFlight: () => open,
    mark: () => {
      marked = true;
    },
    async stop(): Promise<LoadOutcome> {
      stopped = true;
      await Promise.all(clients);
      return outcome;
    },
  };
}
