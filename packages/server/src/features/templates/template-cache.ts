import { LRUCache } from 'lru-cache';
import type { KeyInvalidationBus } from '../../platform/key-bus/key-invalidation-bus.ts';
import type { TemplateRecord, TemplateVersionRecord } from './templates.repository.ts';

export interface ResolvedTemplate {
  template: TemplateRecord;
  version: TemplateVersionRecord;
}

export interface TemplateCacheOptions {
  /** Carries "a template changed" to every replica (Redis pub/sub when scaled out). */
  bus: KeyInvalidationBus;
  /** Upper bound on staleness should an invalidation message be missed while Redis is away. */
  ttlMs: number;
  maxEntries?: number;
}

/**
 * Templates as the analyze path reads them, by the reference the caller wrote (`name`, `id`,
 * `name@1.2.0`). Every change anywhere empties the cache on every replica: changes are rare, reads
 * are many, and a reference by name or to "the latest" can move with any change.
 */
export class TemplateCache {
  readonly #entries: LRUCache<string, ResolvedTemplate>;
  readonly #bus: KeyInvalidationBus;
  /** Bumped by every invalidation, so a lookup that started before one does not store its result. */
  #generation = 0;

  constructor(options: TemplateCacheOptions) {
    this.#entries = new LRUCache({ max: options.maxEntries ?? 1000, ttl: Math.max(options.ttlMs, 1) });
    this.#bus = options.bus;
    options.bus.subscribe(() => {
      this.#generation++;
      this.#entries.clear();
    });
  }

  async get(
    reference: string,
    load: () => Promise<ResolvedTemplate | null>,
  ): Promise<ResolvedTemplate | null> {
    const hit = this.#entries.get(reference);
    if (hit) return hit;
    const generation = this.#generation;
    const loaded = await load();
    if (loaded && generation === this.#generation) this.#entries.set(reference, loaded);
    return loaded;
  }

  /** After a change: this replica at once, the others through the bus. */
  async changed(templateId: string): Promise<void> {
    await this.#bus.publish(templateId);
  }
}
