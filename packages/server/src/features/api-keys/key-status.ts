import type { ApiKeyRecord } from './api-keys.repository.ts';

/** Whether a key works right now, and if not, why. */
export type KeyStatus = 'active' | 'revoked' | 'expired';

/**
 * The one rule authentication applies to a stored key, shared by everything that shows a key's state,
 * so a listing never calls a key active that requests are refused with.
 */
export function keyStatus(
  key: Pick<ApiKeyRecord, 'isActive' | 'revokedAt' | 'expiresAt'>,
  now: Date,
): KeyStatus {
  if (!key.isActive || key.revokedAt !== null) return 'revoked';
  if (key.expiresAt !== null && key.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'active';
}
