import type { FieldError } from '@structured-prompt/contracts';
import { loadOnFirstUse } from '@structured-prompt/gateway';
import type { Liquid, Template as LiquidTemplate } from 'liquidjs';
import { AppError } from '../../lib/app-error.ts';

/** LiquidJS, loaded when the first template is parsed: a process that never renders one never loads it. */
const loadLiquid = loadOnFirstUse<typeof import('liquidjs')>('liquidjs', import.meta.url);

export interface RenderLimits {
  /** Longest template text accepted, in characters. */
  maxTemplateChars: number;
  /** A render that runs longer is stopped (checked between template nodes by LiquidJS). */
  renderTimeoutMs: number;
  /** Longest rendered prompt, in characters. */
  maxOutputChars: number;
}

/** Tags that read other templates: nothing may be read from the file system or anywhere else. */
const blockedTags = ['include', 'render', 'layout'];

/**
 * Liquid for templates written by API users: strict variables and filters (a typo is an error, not an
 * empty string), own properties only, no file system (an empty in-memory template set, and the tags
 * that load templates refused when parsed), and caps on template size, render time and memory.
 */
export class TemplateRenderer {
  #engine: Liquid | undefined;
  readonly #limits: RenderLimits;

  constructor(limits: RenderLimits) {
    this.#limits = limits;
  }

  get #liquid(): Liquid {
    if (this.#engine) return this.#engine;
    const limits = this.#limits;
    const engine = new (loadLiquid().Liquid)({
      strictVariables: true,
      strictFilters: true,
      ownPropertyOnly: true,
      templates: {},
      cache: false,
      parseLimit: limits.maxTemplateChars,
      renderLimit: limits.renderTimeoutMs,
      // Bytes of strings and arrays a render may allocate: a few times the output cap.
      memoryLimit: Math.max(limits.maxOutputChars * 8, 1_000_000),
    });
    for (const tag of blockedTags) engine.registerTag(tag, refusedTag(tag));
    this.#engine = engine;
    return engine;
  }

  /**
   * Parses `text` and returns the variables it reads from outside itself (loop and `assign` variables
   * excluded). Throws a 400 naming the syntax error.
   */
  variablesOf(text: string): string[] {
    this.#checkLength(text);
    try {
      return this.#liquid.globalVariablesSync(this.#liquid.parse(text));
    } catch (error) {
      throw templateError(error, 'The template cannot be parsed');
    }
  }

  /** Renders `text` with `values`; throws a 400 for render errors, the time cap and the output cap. */
  async render(text: string, values: Record<string, unknown>): Promise<string> {
    this.#checkLength(text);
    let parsed: LiquidTemplate[];
    try {
      parsed = this.#liquid.parse(text);
    } catch (error) {
      throw templateError(error, 'The template cannot be parsed');
    }
    let output: string;
    try {
      output = String(await this.#liquid.render(parsed, values));
    } catch (error) {
      throw templateError(error, 'The template cannot be rendered');
    }
    if (output.length > this.#limits.maxOutputChars) {
      throw new AppError(
        'validation_error',
        `The rendered prompt has ${output.length} characters; templates may render at most ${this.#limits.maxOutputChars}.`,
        { errors: [{ path: '/body/template', message: 'renders too much text', keyword: 'maxLength' }] },
      );
    }
    return output;
  }

  #checkLength(text: string): void {
    if (text.length <= this.#limits.maxTemplateChars) return;
    throw new AppError(
      'validation_error',
      `The template has ${text.length} characters; the limit is ${this.#limits.maxTemplateChars}.`,
      { errors: [{ path: '/body/template', message: 'is too long', keyword: 'maxLength' }] },
    );
  }
}

function refusedTag(name: string): Parameters<Liquid['registerTag']>[1] {
  return {
    parse() {
      throw new Error(`the "${name}" tag is not available: templates cannot load other templates or files`);
    },
    *render() {},
  };
}

/** A Liquid error as a 400; anything else (a bug) is rethrown as it is. */
function templateError(error: unknown, what: string): unknown {
  if (!(error instanceof loadLiquid().LiquidError)) return error;
  const message = error.message.replace(/, file:[^,]*/, '');
  const field: FieldError = { path: '/body/template', message, keyword: 'template' };
  return new AppError('validation_error', `${what}: ${message}`, { errors: [field], cause: error });
}
