import type {
  AnalyzeRequest,
  AnalyzeResponse,
  ReplayDiff,
  ReplayRequest,
} from '@structured-prompt/contracts';
import { AppError } from '../../lib/app-error.ts';
import type { RequestLogRecord } from '../../platform/request-log/request-logs.repository.ts';
import type { AnalyzeService } from '../analyze/analyze.service.ts';
import type { AnalyzeContext } from '../analyze/analyze-context.ts';
import type { Caller, HistoryService } from './history.service.ts';
import { replayDiff } from './replay-diff.ts';

export interface ReplayResult {
  original: RequestLogRecord;
  replay: AnalyzeResponse;
  diff: ReplayDiff;
}

interface StoredOptions {
  provider?: string;
  model?: string;
  temperature?: number;
  max_tokens?: number;
  options?: AnalyzeRequest['options'];
  schema?: AnalyzeRequest['schema'];
  schema_id?: string;
}

/** The stored request as a new analyze body, with the overrides; always past the cache. */
function replayBody(record: RequestLogRecord, prompt: string, overrides: ReplayRequest): AnalyzeRequest {
  const stored = (record.requestOptions ?? {}) as StoredOptions;
  const body: AnalyzeRequest = {
    prompt,
    options: { ...stored.options, bypass_cache: true },
  };
  const provider = overrides.provider ?? stored.provider;
  // A pinned model belongs to the stored provider: asking another provider drops it unless given anew.
  const model = overrides.model ?? (overrides.provider === undefined ? stored.model : undefined);
  if (provider !== undefined) body.provider = provider;
  if (model !== undefined) body.model = model;
  if (stored.temperature !== undefined) body.temperature = stored.temperature;
  if (stored.max_tokens !== undefined) body.max_tokens = stored.max_tokens;
  if (overrides.schema !== undefined && overrides.schema_id !== undefined) {
    throw new AppError(
      'validation_error',
      'Replay with either another `schema` or a `schema_id`, not both.',
      {
        errors: [{ path: '/body/schema_id', message: 'must not be given together with schema' }],
      },
    );
  }
  // A schema given for the replay replaces the stored one, whichever kind either is.
  const given = overrides.schema !== undefined || overrides.schema_id !== undefined;
  const schema = given ? overrides.schema : stored.schema;
  // The stored request is replayed against the version it was answered with, not today's latest.
  const schemaId = given ? overrides.schema_id : (record.schemaRef ?? stored.schema_id);
  if (schema !== undefined) body.schema = schema as AnalyzeRequest['schema'];
  if (schemaId !== undefined) body.schema_id = schemaId;
  return body;
}

/**
 * Runs a stored request again (optionally on another provider, model or schema) as a new request of
 * the calling key — its limits and budget apply, and it is logged like any other — and compares the
 * answers.
 */
export class ReplayService {
  readonly #history: HistoryService;
  readonly #analyze: AnalyzeService;

  constructor(history: HistoryService, analyze: AnalyzeService) {
    this.#history = history;
    this.#analyze = analyze;
  }

  async replay(
    caller: Caller,
    requestId: string,
    overrides: ReplayRequest,
    context: AnalyzeContext,
  ): Promise<ReplayResult> {
    const original = await this.#history.get(caller, requestId);
    if (original.promptText === null) {
      throw new AppError(
        'conflict',
        'This request cannot be replayed: its prompt is not stored (prompt storage was off, it was erased, ' +
          'or the request failed before its prompt was prepared).',
      );
    }
    const replay = await this.#analyze.analyze(replayBody(original, original.promptText, overrides), context);
    return { original, replay, diff: replayDiff(original, replay) };
  }
}
