import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/support/build-app.ts';

describe('job results as a data class', () => {
  it('a deletion request for a key erases its job results but keeps their usage; retention deletes old ones', async () => {
    const test = await buildTestApp();
    const user = await test.createKey();
    const admin = await test.createKey({ scopes: ['admin'] });
    const submitted = await test.app.inject({
      method: 'POST',
      url: '/v1/jobs',
      headers: { 'x-api-key': user.key },
      payload: {
        items: [{ prompt: 'Translate Hello World to French' }, { prompt: 'Summarize the Q3 report' }],
      },
    });
    expect(submitted.statusCode, submitted.body).toBe(202);
    const { id } = submitted.json();
    const results = async () =>
      (await test.app.inject({ url: `/v1/jobs/${id}/results`, headers: { 'x-api-key': user.key } })).json();
    await expect.poll(async () => (await results()).items?.length ?? 0, { timeout: 20_000 }).toBe(2);
    await expect
      .poll(async () => (await results()).items.every((item: { result: unknown }) => item.result !== null), {
        timeout: 20_000,
      })
      .toBe(true);

    const receipt = await test.app.inject({
      method: 'POST',
      url: '/v1/data/deletions',
      headers: { 'x-api-key': admin.key },
      payload: { api_key_id: user.id },
    });
    expect(receipt.statusCode, receipt.body).toBe(200);
    expect(receipt.json().erased.job_results).toBe(2);
    const rows = await test.infra.database.db
      .selectFrom('job_items')
      .selectAll()
      .where('job_id', '=', id)
      .execute();
    expect(rows.map((row) => JSON.parse(row.request))).toEqual([{ erased: true }, { erased: true }]);
    expect(rows.every((row) => row.result === null)).toBe(true);
    expect(JSON.stringify(rows)).not.toContain('Hello World');
    expect(rows.every((row) => Number(row.tokens) >= 0)).toBe(true);

    const rule = test.deps.services.dataLifecycle.retentionRules.find(
      (entry) => entry.dataClass === 'job_results',
    );
    expect(rule).toBeDefined();
    expect(await rule!.purge(test.infra.database, new Date(Date.now() + 60_000), 100)).toBe(2);
    expect(
      await test.infra.database.db.selectFrom('job_items').selectAll().where('job_id', '=', id).execute(),
    ).toEqual([]);
  });
});
