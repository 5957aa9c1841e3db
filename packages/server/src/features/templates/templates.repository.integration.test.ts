import { v7 as uuidv7 } from 'uuid';
import { expect, it } from 'vitest';
import { describeEachDialect, useTestDatabase } from '../../../test/support/test-databases.ts';
import type { VersionContent } from './template-versioning.ts';
import { type TemplateRecord, TemplatesRepository } from './templates.repository.ts';

const content = (template: string, extra: Partial<VersionContent> = {}): VersionContent => ({
  template,
  parameters: [{ name: 'text', type: 'string', required: true, description: 'The input' }],
  schema: null,
  defaults: {},
  ...extra,
});

/** TemplatesRepository behaves the same on SQLite and PostgreSQL. */
describeEachDialect('TemplatesRepository', (dialect) => {
  const fixture = useTestDatabase(dialect);
  const repo = () => new TemplatesRepository(fixture().database);
  const alice = uuidv7();
  const bob = uuidv7();

  it('creates a template with its first version and reads both back by id and by name', async () => {
    const first = content('Summarize {{ text }}', {
      schema: { id: 'invoice', version: '2.1.0' },
      defaults: { provider: 'openai', model: 'gpt-4o-mini', temperature: 0.2 },
    });
    const { template, version } = await repo().create({
      name: 'summary',
      description: 'Short summaries',
      isPublic: true,
      tags: ['text', 'summary'],
      ownerKeyId: alice,
      version: '1.0.0',
      content: first,
    });
    expect(template).toMatchObject({
      name: 'summary',
      description: 'Short summaries',
      isPublic: true,
      tags: ['text', 'summary'],
      ownerKeyId: alice,
      isLibrary: false,
      latestVersion: '1.0.0',
      deletedAt: null,
    });
    expect(version).toMatchObject({
      templateId: template.id,
      version: '1.0.0',
      content: first,
      createdBy: alice,
    });
    expect(await repo().findLive(template.id)).toEqual(template);
    expect(await repo().findLive('summary')).toEqual(template);
    expect(await repo().getVersion(template.id, '1.0.0')).toEqual(version);
    expect(await repo().getVersion(template.id, '9.9.9')).toBeNull();
    expect(await repo().findLive('nothing-here')).toBeNull();
  });

  it('refuses a second live template with the same name, and frees the name on delete', async () => {
    const { template } = await repo().create({
      name: 'dup',
      ownerKeyId: alice,
      version: '1.0.0',
      content: content('a {{ text }}'),
    });
    await expect(
      repo().create({ name: 'dup', ownerKeyId: bob, version: '1.0.0', content: content('b {{ text }}') }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(await repo().softDelete(template.id)).toMatchObject({ id: template.id });
    expect(await repo().softDelete(template.id)).toBeNull();
    expect(await repo().findLive('dup')).toBeNull();
    const again = await repo().create({
      name: 'dup',
      ownerKeyId: bob,
      version: '1.0.0',
      content: content('c {{ text }}'),
    });
    expect(again.template.id).not.toBe(template.id);
    // The deleted template's versions stay readable.
    expect((await repo().getVersion(template.id, '1.0.0'))?.content.template).toBe('a {{ text }}');
  });

  it('publishes versions against the expected latest one and lists them newest first', async () => {
    const { template } = await repo().create({
      name: 'v',
      ownerKeyId: alice,
      version: '1.0.0',
      content: content('one {{ text }}'),
    });
    const later = new Date(template.createdAt.getTime() + 1000);
    const second = await repo().addVersion({
      templateId: template.id,
      expectedLatest: '1.0.0',
      version: '1.1.0',
      content: content('two {{ text }}'),
      createdBy: alice,
      createdAt: later,
    });
    expect(second.version).toBe('1.1.0');
    expect((await repo().findLive(template.id))?.latestVersion).toBe('1.1.0');
    // A publisher that read 1.0.0 as the latest loses.
    await expect(
      repo().addVersion({
        templateId: template.id,
        expectedLatest: '1.0.0',
        version: '2.0.0',
        content: content('three {{ text }}'),
        createdBy: bob,
      }),
    ).rejects.toMatchObject({ code: 'conflict' });
    const other = await repo().create({
      name: 'other',
      ownerKeyId: bob,
      version: '3.0.0',
      content: content('other {{ text }}'),
    });
    const latest = await repo().latestVersions([(await repo().findLive(template.id))!, other.template]);
    expect([...latest.entries()].map(([id, version]) => [id, version.version]).sort()).toEqual(
      [
        [template.id, '1.1.0'],
        [other.template.id, '3.0.0'],
      ].sort(),
    );
    expect((await repo().latestVersions([])).size).toBe(0);
    const versions = await repo().listVersions(template.id);
    expect(versions.map((version) => version.version)).toEqual(['1.1.0', '1.0.0']);
    expect(await repo().listVersions('not-a-uuid')).toEqual([]);
  });

  it('updates metadata only, and refuses a taken name', async () => {
    const { template } = await repo().create({
      name: 'meta',
      ownerKeyId: alice,
      version: '1.0.0',
      content: content('x {{ text }}'),
    });
    await repo().create({
      name: 'taken',
      ownerKeyId: alice,
      version: '1.0.0',
      content: content('y {{ text }}'),
    });
    const updated = await repo().updateMetadata(template.id, {
      description: 'now described',
      isPublic: true,
      tags: ['new'],
    });
    expect(updated).toMatchObject({
      name: 'meta',
      description: 'now described',
      isPublic: true,
      tags: ['new'],
      latestVersion: '1.0.0',
    });
    await expect(repo().updateMetadata(template.id, { name: 'taken' })).rejects.toMatchObject({
      code: 'conflict',
    });
    expect(await repo().updateMetadata(uuidv7(), { description: 'x' })).toBeNull();
  });

  it('lists what a key may see, with search, tag, visibility and owner filters, page by page', async () => {
    const base = Date.UTC(2026, 0, 1);
    const made: TemplateRecord[] = [];
    const specs = [
      { name: 'alice-private', ownerKeyId: alice, isPublic: false, tags: ['finance'] },
      { name: 'alice-public', ownerKeyId: alice, isPublic: true, tags: ['finance', 'public'] },
      {
        name: 'bob-private',
        ownerKeyId: bob,
        isPublic: false,
        tags: ['finance'],
        description: 'Invoices of Bob',
      },
      { name: 'bob-public', ownerKeyId: bob, isPublic: true, tags: [], description: 'INVOICE helper' },
      { name: 'library-one', ownerKeyId: null, isPublic: true, isLibrary: true, tags: ['library'] },
    ];
    for (const [index, spec] of specs.entries()) {
      const { template } = await repo().create({
        ...spec,
        version: '1.0.0',
        content: content('t {{ text }}'),
        createdAt: new Date(base + index * 1000),
      });
      made.push(template);
    }
    const names = async (filter: Parameters<TemplatesRepository['list']>[0]) =>
      (await repo().list(filter)).items.map((template) => template.name);

    expect(await names({ visibleTo: { keyId: alice, isAdmin: false } })).toEqual([
      'library-one',
      'bob-public',
      'alice-public',
      'alice-private',
    ]);
    expect(await names({ visibleTo: { keyId: alice, isAdmin: true } })).toHaveLength(5);
    expect(await names({ ownerKeyId: bob })).toEqual(['bob-public', 'bob-private']);
    expect(await names({ library: true })).toEqual(['library-one']);
    expect(await names({ isPublic: false, visibleTo: { keyId: bob, isAdmin: false } })).toEqual([
      'bob-private',
    ]);
    expect(await names({ tag: 'finance', visibleTo: { keyId: alice, isAdmin: false } })).toEqual([
      'alice-public',
      'alice-private',
    ]);
    expect(await names({ search: 'invoice' })).toEqual(['bob-public', 'bob-private']);
    expect(await names({ search: '100%_' })).toEqual([]);

    await repo().softDelete(made[3]!.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<TemplatesRepository['list']>> = await repo().list(
        {},
        { limit: 2, cursor },
      );
      seen.push(...page.items.map((template) => template.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['library-one', 'bob-private', 'alice-public', 'alice-private']);
  });
});
