import { afterAll } from 'vitest';
import { redisAvailable, testRedisClient, uniquePrefix } from '../../../test/support/redis-services.ts';
import { budgetLedgerConformance } from './budget-ledger.conformance.ts';
import { createMemoryBudgetLedger, createRedisBudgetLedger } from './budget-ledger.ts';
import { rateLimitStoreConformance } from './rate-limit-store.conformance.ts';
import { createMemoryRateLimitStore, createRedisRateLimitStore } from './rate-limit-store.ts';

const prefix = uniquePrefix('limits');
const key = (name: string) => `${name}-${Math.random().toString(36).slice(2)}`;

rateLimitStoreConformance('memory', () => createMemoryRateLimitStore(), key);
budgetLedgerConformance('memory', () => createMemoryBudgetLedger(), key);

if (await redisAvailable()) {
  const client = testRedisClient();
  afterAll(async () => {
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(...keys);
    client.disconnect();
  });
  rateLimitStoreConformance('redis', () => createRedisRateLimitStore(client, prefix), key);
  budgetLedgerConformance('redis', () => createRedisBudgetLedger(client, `${prefix}:budget`), key);
}
