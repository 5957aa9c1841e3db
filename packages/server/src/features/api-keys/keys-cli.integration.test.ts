import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/test-databases.ts';
import { createLocalInvalidationBus } from '../../platform/key-bus/key-invalidation-bus.ts';
import { AuditService } from '../audit-logs/audit.service.ts';
import { AuditLogsRepository } from '../audit-logs/audit-logs.repository.ts';
import { ApiKeyUsageRepository } from './api-key-usage.repository.ts';
import { ApiKeysRepository } from './api-keys.repository.ts';
import { ApiKeysService } from './api-keys.service.ts';

const run = promisify(execFile);
const cli = join(import.meta.dirname, 'keys-cli.ts');
const actor = { keyId: null, ip: null, requestId: null };

describe('npm run keys -- list', () => {
  it('shows each key as authentication sees it: active, revoked or expired', async () => {
    const fixture = await createTestDatabase('sqlite');
    try {
      const repository = new ApiKeysRepository(fixture.database);
      const audit = new AuditService(new AuditLogsRepository(fixture.database), pino({ level: 'silent' }));
      const service = new ApiKeysService({
        repository,
        usage: new ApiKeyUsageRepository(fixture.database),
        audit,
        bus: createLocalInvalidationBus(),
        defaultRateLimitPerHour: 1000,
      });
      const active = await service.create(
        { name: 'still-good', scopes: ['user'], expires_in_days: 30 },
        actor,
      );
      const revoked = await service.create({ name: 'withdrawn', scopes: ['user'] }, actor);
      await service.revoke(revoked.record.id, actor);
      const expired = await service.create({ name: 'lapsed', scopes: ['user'] }, actor);
      await repository.update(expired.record.id, { expiresAt: new Date(Date.now() - 1000) });
      await audit.drain();

      const { stdout } = await run(process.execPath, [cli, 'list'], {
        cwd: dirname(fixture.config.url.slice('sqlite:'.length)),
        env: { PATH: process.env.PATH ?? '', DATABASE_URL: fixture.config.url },
      });
      const statusOf = (id: string) =>
        stdout
          .split('\n')
          .find((line) => line.startsWith(id))
          ?.split(/\s+/)[2];
      expect(statusOf(active.record.id)).toBe('active');
      expect(statusOf(revoked.record.id)).toBe('revoked');
      expect(statusOf(expired.record.id)).toBe('expired');
    } finally {
      await fixture.destroy();
    }
  });
});
