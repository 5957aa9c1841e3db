import { Allow, parse } from 'partial-json';

/**
 * One provider call's answer as it streams in, read as the best-effort object so far: text before
 * the first `{` or `[` (prose, a code fence) is skipped, unfinished strings, numbers and containers are
 * closed. `add` returns the object only when it changed, so unchanged events are not sent again.
 */
export class PartialAnswer {
  #text = '';
  #last = '';

  /** A new call starts (re-ask, retry, fallback): what came before is void. */
  reset(): void {
    this.#text = '';
    this.#last = '';
  }

  get text(): string {
    return this.#text;
  }

  add(delta: string): unknown {
    this.#text += delta;
    const start = this.#text.search(/[{[]/);
    if (start < 0) return undefined;
    let value: unknown;
    try {
      value = parse(this.#text.slice(start), Allow.ALL);
    } catch {
      // Not JSON (yet): the lenient parser judges the whole answer at the end.
      return undefined;
    }
    const serialized = JSON.stringify(value);
    if (serialized === this.#last) return undefined;
    this.#last = serialized;
    return value;
  }
}
