import type {
  AnalyzeRequest,
  BatchItemResult,
  BatchRequest,
  BatchResponse,
} from '@structured-prompt/contracts';
import pMap from 'p-map';
import type { Logger } from 'pino';
import { AppError, toAppError } from '../../lib/app-error.ts';
import { type LimitsService, rateLimitHeaders } from '../../platform/limits/limits.service.ts';
import type { AnalyzeService } from '../analyze/analyze.service.ts';
import type { AnalyzeContext, PreparedAnalyze } from '../analyze/analyze-context.ts';
import type { CachedAnswer } from '../analyze/answer-generator.ts';
import type { CacheOutcome, ResponseCacheService } from '../cache/response-cache.service.ts';
import { groupIdentical, type ItemGroup, leadersOf, mergeDefaults } from './batch-items.ts';
import { itemProblem, SummaryTally } from './batch-results.ts';

export interface BatchServiceDeps {
  analyze: Pick<AnalyzeService, 'prepare' | 'generate' | 'finish' | 'recordFailure'>;
  cache: Pick<ResponseCacheService, 'getMany'>;
  limits: Pick<LimitsService, 'consumeKeyRequest'>;
  /** Cache misses of one batch computed at the same time. */
  concurrency: number;
  logger: Pick<Logger, 'error'>;
}

/** The answer and the rate-limit headers of the key's hour after the batch was counted. */
export interface BatchAnswer {
  body: BatchResponse;
  headers: Record<string, string>;
}

/** One item's request once the defaults are merged in, its own identity, and how far it got. */
interface Item {
  request: AnalyzeRequest;
  context: AnalyzeContext;
  prepared: PreparedAnalyze | undefined;
  /** Why the item was refused before the cache (invalid schema, blocked input, …). */
  refusal?: unknown;
}

type Settled = { outcome: CacheOutcome<CachedAnswer> } | { error: unknown };

/** What every item's result is measured against and counted in. */
interface BatchProgress {
  started: number;
  instance: string;
  tally: SummaryTally;
}

const hourSeconds = 3600;

/**
 * `POST /v1/analyze/batch`: every item is an analyze request. The batch counts one request per item
 * against the key's hour, up front and all or nothing; identical items are computed once; the cache
 * is read for every distinct item in one lookup; misses run under a concurrency cap, each reserving
 * tokens and budget like a single request, so an item over those limits gets its own 429 or 402.
 */
export class BatchService {
  readonly #deps: BatchServiceDeps;

  constructor(deps: BatchServiceDeps) {
    this.#deps = deps;
  }

  async run(body: BatchRequest, context: AnalyzeContext, instance: string): Promise<BatchAnswer> {
    const started = performance.now();
    const headers = await this.#admit(context, body.items.length);
    const items = await Promise.all(
      body.items.map((item, index) =>
        this.#prepare(mergeDefaults(body.defaults, item), {
          ...context,
          requestId: `${context.requestId}:${index}`,
        }),
      ),
    );
    const groups = groupIdentical(items.map((item) => item.prepared));
    const settled = await this.#settle(groups, items);
    const leaders = leadersOf(groups);
    const batch: BatchProgress = { started, instance, tally: new SummaryTally(items.length) };
    const results = items.map((item, index): BatchItemResult => {
      const leader = leaders.get(index);
      if (leader === undefined) return this.#result(item, index, { error: item.refusal }, false, batch);
      return this.#result(item, index, settled.get(leader)!, leader !== index, batch);
    });
    const summary = batch.tally.finish(performance.now() - started);
    return { body: { request_id: context.requestId, results, summary }, headers };
  }

  /**
   * The batch's items against the key's hourly limit: the request itself was counted as one when it
   * was authenticated, the other items are taken now, all or none.
   */
  async #admit(context: AnalyzeContext, count: number): Promise<Record<string, string>> {
    if (count <= 1) return {};
    const decision = await this.#deps.limits.consumeKeyRequest(context.key, count - 1);
    const headers = rateLimitHeaders('hourly', hourSeconds, decision);
    if (decision.allowed) return headers;
    const retrySeconds = Number(headers['retry-after']);
    throw new AppError(
      'rate_limited',
      `This batch counts as ${count} requests, one per item, and only ${decision.remaining + 1} of the key's ` +
        `${decision.limit} requests per hour are left. Send fewer items, or retry in ${retrySeconds} s.`,
      { headers, extensions: { retry_after_seconds: retrySeconds } },
    );
  }

  async #prepare(request: AnalyzeRequest, context: AnalyzeContext): Promise<Item> {
    try {
      return { request, context, prepared: await this.#deps.analyze.prepare(request, context) };
    } catch (refusal) {
      return { request, context, prepared: undefined, refusal };
    }
  }

  /** Each group's outcome by its leader: cache hits from one lookup, the misses computed concurrently. */
  async #settle(groups: readonly ItemGroup[], items: readonly Item[]): Promise<Map<number, Settled>> {
    const looked = groups.filter((group) => !group.fresh);
    const hits = await this.#deps.cache.getMany<CachedAnswer>(looked.map((group) => group.prepared.cacheKey));
    const settled = new Map<number, Settled>();
    const misses: ItemGroup[] = [];
    for (const group of groups) {
      const hit = group.fresh ? undefined : hits.get(group.prepared.cacheKey.text);
      if (hit) settled.set(group.leader, { outcome: hit });
      else misses.push(group);
    }
    await pMap(
      misses,
      async (group) => {
        const { context } = items[group.leader]!;
        try {
          settled.set(group.leader, { outcome: await this.#deps.analyze.generate(group.prepared, context) });
        } catch (error) {
          settled.set(group.leader, { error });
        }
      },
      { concurrency: this.#deps.concurrency },
    );
    return settled;
  }

  #result(
    item: Item,
    index: number,
    settled: Settled,
    duplicate: boolean,
    batch: BatchProgress,
  ): BatchItemResult {
    const { analyze } = this.#deps;
    if ('outcome' in settled && item.prepared) {
      // A repeat shares the first item's answer and, like a request that waited for an identical one
      // in flight, is billed nothing for it.
      const outcome = duplicate
        ? { ...settled.outcome, coalesced: settled.outcome.coalesced || !settled.outcome.cached }
        : settled.outcome;
      const response = analyze.finish(item.prepared, item.context, outcome, batch.started);
      batch.tally.answered(response, outcome, duplicate);
      return response;
    }
    const error = 'error' in settled ? settled.error : undefined;
    if (!toAppError(error))
      this.#deps.logger.error({ err: error, request_id: item.context.requestId }, 'batch item failed');
    analyze.recordFailure(item.request, item.context, error, batch.started);
    batch.tally.failed(error, duplicate);
    return itemProblem(error, item.context.requestId, index, batch.instance);
  }
}
