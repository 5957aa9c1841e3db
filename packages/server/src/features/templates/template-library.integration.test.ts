import pino from 'pino';
import { expect, it } from 'vitest';
import { describeEachDialect, useTestDatabase } from '../../../test/support/test-databases.ts';
import { type LibraryTemplate, seedTemplateLibrary } from './template-library.ts';
import { libraryTemplates } from './template-library-data.ts';
import { TemplatesRepository } from './templates.repository.ts';

const silent = pino({ level: 'silent' });

/** Seeding is idempotent and race-free on both dialects. */
describeEachDialect('template library seeding', (dialect) => {
  const fixture = useTestDatabase(dialect);

  async function library(repository: TemplatesRepository) {
    const page = await repository.list({ library: true }, { limit: 200 });
    return page.items.map((item) => `${item.name}@${item.latestVersion}`).sort();
  }

  it('puts every library template in place once, however many replicas seed at the same time', async () => {
    const expected = libraryTemplates.map((entry) => `${entry.name}@1.0.0`).sort();
    const replicas =
      dialect === 'postgres'
        ? [fixture().database, fixture().openAnother(), fixture().openAnother()]
        : [fixture().database];
    await Promise.all(
      replicas.map((database) => seedTemplateLibrary(new TemplatesRepository(database), silent)),
    );
    const repository = new TemplatesRepository(fixture().database);
    expect(await library(repository)).toEqual(expected);
    await seedTemplateLibrary(repository, silent);
    expect(await library(repository)).toEqual(expected);
    for (const item of (await repository.list({ library: true }, { limit: 200 })).items) {
      expect(await repository.listVersions(item.id)).toHaveLength(1);
      expect(item).toMatchObject({ isPublic: true, ownerKeyId: null });
    }
  });

  it('publishes a new version when a release changes a library template, and leaves a taken name alone', async () => {
    const repository = new TemplatesRepository(fixture().database);
    const [first, second] = libraryTemplates as [LibraryTemplate, LibraryTemplate];
    await repository.create({
      name: second.name,
      ownerKeyId: '0190a5c4-7b1e-7c3d-9f00-5a1b2c3d4e5f',
      version: '1.0.0',
      content: { ...second.content, template: 'a key took this name first {{ text }}' },
    });
    await seedTemplateLibrary(repository, silent, [first, second]);
    const changed = {
      ...first,
      content: { ...first.content, template: `${first.content.template}\nAnswer briefly.` },
    };
    await seedTemplateLibrary(repository, silent, [changed, second]);
    expect(await library(repository)).toEqual([`${first.name}@1.1.0`]);
    const taken = await repository.findLive(second.name);
    expect(taken).toMatchObject({ isLibrary: false, latestVersion: '1.0.0' });
  });
});
