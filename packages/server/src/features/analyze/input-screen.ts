import type { Config } from '../../config/index.ts';
import { AppError } from '../../lib/app-error.ts';
import type { AuditService } from '../audit-logs/audit.service.ts';
import type { PromptRequest } from '../templates/template-expansion.ts';
import type { AnalyzeContext } from './analyze-context.ts';
import type { AnalyzeObserver } from './analyze-observer.ts';
import { type PreparedPrompt, preparePrompt } from './preprocess/preprocess.ts';
import { detectSuspiciousInput } from './suspicious-input.ts';

export interface InputScreenDeps {
  config: Pick<Config, 'limits' | 'auth'>;
  audit: AuditService;
  observer?: AnalyzeObserver;
}

export interface ScreenedInput {
  prepared: PreparedPrompt;
  /** Flagged input and personal data found, for the response's warnings. */
  warnings: string[];
}

/**
 * The prompt's way in: its length limit, the suspicious-input policy, then normalization and PII
 * handling. Refuses a prompt that is too long, blocked by policy, or empty once normalized.
 */
export class InputScreen {
  readonly #deps: InputScreenDeps;

  constructor(deps: InputScreenDeps) {
    this.#deps = deps;
  }

  screen(body: PromptRequest, context: AnalyzeContext): ScreenedInput {
    this.#checkLength(body.prompt);
    const warnings = this.#screenSuspicious(body.prompt, context);
    const prepared = preparePrompt(body.prompt, { pii: body.options?.pii ?? 'off' });
    if (prepared.text.length === 0) {
      throw new AppError('validation_error', 'The prompt is empty after normalization.', {
        errors: [{ path: '/body/prompt', message: 'must contain visible characters', keyword: 'minLength' }],
      });
    }
    return { prepared, warnings: [...warnings, ...prepared.warnings] };
  }

  #checkLength(prompt: string): void {
    const limit = this.#deps.config.limits.maxPromptChars;
    if (prompt.length <= limit) return;
    throw new AppError(
      'validation_error',
      `The prompt has ${prompt.length} characters; the limit is ${limit}.`,
      {
        errors: [
          {
            path: '/body/prompt',
            message: `must NOT have more than ${limit} characters`,
            keyword: 'maxLength',
          },
        ],
      },
    );
  }

  /** Flags (or, by policy, blocks) input shaped like an attack on whatever consumes the output. */
  #screenSuspicious(prompt: string, context: AnalyzeContext): string[] {
    const findings = detectSuspiciousInput(prompt);
    if (findings.length === 0) return [];
    const policy = context.key.suspiciousInputPolicy ?? this.#deps.config.auth.suspiciousInputPolicy;
    const kinds = findings.map((finding) => finding.kind);
    this.#deps.audit.record({
      eventType: 'input.suspicious',
      result: policy === 'block' ? 'denied' : 'flagged',
      actorKeyId: context.key.id,
      ip: context.ip,
      requestId: context.requestId,
      details: { kinds, excerpts: findings.map((finding) => finding.excerpt) },
    });
    for (const kind of kinds) this.#deps.observer?.onSuspiciousInput(kind);
    if (policy === 'block') {
      throw new AppError(
        'suspicious_input',
        `The prompt was blocked by policy: it looks like ${kinds.join(', ').replaceAll('_', ' ')}.`,
      );
    }
    return [`suspicious input flagged: ${kinds.join(', ')}`];
  }
}
