import { describe, expect, it } from 'vitest';
import { PromptTemplatesRepository } from '../../modules/prompt-templates/prompt-templates.repository.ts';
import { SchemasRepository } from '../../modules/schemas/schemas.repository.ts';
import type { TestDatabase } from '../testing/test-databases.ts';

const owner = '0190a000-0000-7000-8000-0000000000aa';
const stranger = '0190a000-0000-7000-8000-0000000000bb';
const personV1 = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
const personV2 = { ...personV1, properties: { ...personV1.properties, age: { type: 'integer' } } };

export function registryConformance(fixture: () => TestDatabase): void {
  describe('schemas', () => {
    const repo = () => new SchemasRepository(fixture().database);

    it('registers a name with version 1 and appends immutable versions', async () => {
      const { schema, version } = await repo().create({
        name: 'person',
        definition: personV1,
        createdBy: owner,
      });
      expect(schema).toMatchObject({ name: 'person', latestVersion: 1, isPublic: false, createdBy: owner });
      expect(version).toMatchObject({ name: 'person', version: 1, definition: personV1 });
      const v2 = await repo().addVersion('person', { definition: personV2, description: 'adds age' });
      expect(v2).toMatchObject({ version: 2, definition: personV2, description: 'adds age' });
      expect((await repo().getVersion('person'))?.version).toBe(2);
      expect((await repo().getVersion('person', 1))?.definition).toEqual(personV1);
      expect(await repo().getVersion('person', 3)).toBeNull();
      expect((await repo().listVersions('person')).map((v) => v.version)).toEqual([2, 1]);
      expect((await repo().getByName('person'))?.latestVersion).toBe(2);
      expect(await repo().getById(schema.id)).toMatchObject({ name: 'person' });
      expect(await repo().addVersion('nobody', { definition: {} })).toBeNull();
    });

    it('gives concurrent writers distinct version numbers', async () => {
      await repo().create({ name: 'busy', definition: { n: 0 } });
      const versions = await Promise.all(
        [1, 2, 3, 4, 5].map((n) => repo().addVersion('busy', { definition: { n } })),
      );
      expect(versions.map((v) => v?.version).sort()).toEqual([2, 3, 4, 5, 6]);
    });

    it('refuses a taken name, frees it on soft delete, and updates metadata only', async () => {
      await repo().create({ name: 'thing', definition: personV1 });
      await expect(repo().create({ name: 'thing', definition: personV2 })).rejects.toMatchObject({
        code: 'conflict',
      });
      expect(await repo().update('thing', { description: 'described', isPublic: true })).toMatchObject({
        description: 'described',
        isPublic: true,
      });
      expect(await repo().softDelete('thing')).toBe(true);
      expect(await repo().softDelete('thing')).toBe(false);
      expect(await repo().getByName('thing')).toBeNull();
      expect(await repo().getVersion('thing')).toBeNull();
      const again = await repo().create({ name: 'thing', definition: personV2 });
      expect(again.version.definition).toEqual(personV2);
    });

    it('lists by visibility and name, newest first', async () => {
      await repo().create({
        name: 'mine',
        definition: {},
        createdBy: owner,
        createdAt: new Date(Date.UTC(2026, 0, 1)),
      });
      await repo().create({
        name: 'shared',
        definition: {},
        isPublic: true,
        createdAt: new Date(Date.UTC(2026, 0, 2)),
      });
      await repo().create({
        name: 'theirs',
        definition: {},
        createdBy: stranger,
        createdAt: new Date(Date.UTC(2026, 0, 3)),
      });
      const names = async (filter: Parameters<SchemasRepository['list']>[0]) =>
        (await repo().list(filter)).items.map((s) => s.name);
      expect(await names({})).toEqual(['theirs', 'shared', 'mine']);
      expect(await names({ visibleTo: owner })).toEqual(['shared', 'mine']);
      expect(await names({ createdBy: stranger })).toEqual(['theirs']);
      expect(await names({ isPublic: true })).toEqual(['shared']);
      expect(await names({ nameContains: 'HAR' })).toEqual(['shared']);
      expect(await names({ nameContains: '%' })).toEqual([]);
    });
  });

  describe('prompt templates', () => {
    const repo = () => new PromptTemplatesRepository(fixture().database);

    it('creates versions of a name and reads latest or a given version', async () => {
      const v1 = await repo().create('greet', {
        templateText: 'Hello {{ name }}',
        parameters: [{ name: 'name', type: 'string' }],
        exampleUsage: { name: 'Ada' },
        createdBy: owner,
      });
      expect(v1).toMatchObject({ name: 'greet', version: 1, parameters: [{ name: 'name', type: 'string' }] });
      const v2 = await repo().addVersion('greet', { templateText: 'Hi {{ name }}!' });
      expect(v2).toMatchObject({
        version: 2,
        templateText: 'Hi {{ name }}!',
        exampleUsage: null,
        parameters: [],
      });
      expect((await repo().getByName('greet'))?.version).toBe(2);
      expect((await repo().getByName('greet', 1))?.templateText).toBe('Hello {{ name }}');
      expect(await repo().getById(v1.id)).toEqual(v1);
      expect((await repo().listVersions('greet')).map((t) => t.version)).toEqual([2, 1]);
      await expect(repo().create('greet', { templateText: 'x' })).rejects.toMatchObject({ code: 'conflict' });
      expect(await repo().addVersion('missing', { templateText: 'x' })).toBeNull();
    });

    it('gives concurrent writers distinct version numbers', async () => {
      await repo().create('race', { templateText: 'v1' });
      const results = await Promise.all(
        [2, 3, 4].map((n) => repo().addVersion('race', { templateText: `v${n}` })),
      );
      expect(results.map((t) => t?.version).sort()).toEqual([2, 3, 4]);
    });

    it('lists latest versions by default, updates metadata and soft-deletes by name', async () => {
      await repo().create('a', { templateText: 'a1', isPublic: true });
      await repo().addVersion('a', { templateText: 'a2', isPublic: true });
      await repo().create('b', { templateText: 'b1', createdBy: stranger });
      const latest = (await repo().list()).items.map((t) => `${t.name}@${t.version}`).sort();
      expect(latest).toEqual(['a@2', 'b@1']);
      expect((await repo().list({ latestOnly: false })).items).toHaveLength(3);
      expect((await repo().list({ visibleTo: owner })).items.map((t) => t.name)).toEqual(['a']);
      expect((await repo().update('b', { isPublic: true }))?.isPublic).toBe(true);
      expect(await repo().softDelete('a')).toBe(true);
      expect(await repo().getByName('a')).toBeNull();
      expect((await repo().list()).items.map((t) => t.name)).toEqual(['b']);
      // A re-created name continues the numbering, so `a@1` never means two different texts.
      expect((await repo().create('a', { templateText: 'a3' })).version).toBe(3);
    });
  });
}
