import type { AnalyzeRequest, BatchDefaults, BatchItem } from '@structured-prompt/contracts';
import type { PreparedAnalyze } from '../analyze/analyze-context.ts';

/**
 * An item with the batch's defaults under it: what the item sets wins, `options` are merged member
 * by member, and an item that names a provider (either spelling) ignores the defaults' provider, so
 * a default `provider` cannot override an item's `llm_provider`.
 */
export function mergeDefaults(defaults: BatchDefaults | undefined, item: BatchItem): AnalyzeRequest {
  if (defaults === undefined) return item;
  const { provider, llm_provider, options, ...shared } = defaults;
  const namesProvider = item.provider !== undefined || item.llm_provider !== undefined;
  const merged: AnalyzeRequest = {
    ...shared,
    ...(namesProvider ? {} : definedOnly({ provider, llm_provider })),
    ...item,
  };
  if (options !== undefined || item.options !== undefined) merged.options = { ...options, ...item.options };
  return merged;
}

function definedOnly<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as Partial<T>;
}

/** Items that are the same request (same cache key, same cache bypass): computed once, by the first. */
export interface ItemGroup {
  /** Index of the first item of the group, the one whose answer is computed or looked up. */
  leader: number;
  /** Later items of the batch identical to the leader. */
  followers: number[];
  prepared: PreparedAnalyze;
  /** `bypass_cache`: the group is computed afresh, never looked up. */
  fresh: boolean;
}

/** Groups prepared items by what makes them the same request; item order decides the leaders. */
export function groupIdentical(prepared: ReadonlyArray<PreparedAnalyze | undefined>): ItemGroup[] {
  const groups = new Map<string, ItemGroup>();
  for (const [index, item] of prepared.entries()) {
    if (item === undefined) continue;
    const fresh = item.request.body.options?.bypass_cache === true;
    const identity = `${fresh ? 'fresh' : 'cached'}\n${item.cacheKey.text}`;
    const group = groups.get(identity);
    if (group) group.followers.push(index);
    else groups.set(identity, { leader: index, followers: [], prepared: item, fresh });
  }
  return [...groups.values()];
}

/** Each grouped item's leader, by item index (the leader is its own). */
export function leadersOf(groups: readonly ItemGroup[]): Map<number, number> {
  const leaders = new Map<number, number>();
  for (const group of groups) {
    for (const index of [group.leader, ...group.followers]) leaders.set(index, group.leader);
  }
  return leaders;
}
