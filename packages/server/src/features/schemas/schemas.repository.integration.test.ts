import pino from 'pino';
import { expect, it } from 'vitest';
import { describeEachDialect, useTestDatabase } from '../../../test/support/test-databases.ts';
import { schemaHash } from '../../lib/canonical-json.ts';
import { schemaLibrary, seedLibrary } from './library/seed-library.ts';
import type { NewSchema } from './schema-records.ts';
import { SchemasRepository } from './schemas.repository.ts';

const owner = '0190a5c4-7b1e-7c3d-9f00-5a1b2c3d4e5f';
const other = '0190a5c4-7b1e-7c3d-9f00-000000000002';
const silent = pino({ level: 'silent' });

/** Properties in a deliberate, non-alphabetical order: the order models answer in must survive storage. */
const body = {
  type: 'object',
  properties: { zeta: { type: 'string' }, alpha: { type: 'number' } },
  required: ['zeta'],
};

function newSchema(name: string, overrides: Partial<NewSchema> = {}): NewSchema {
  return {
    name,
    description: `${name} description`,
    tags: ['finance', 'extraction'],
    ownerKeyId: owner,
    first: {
      version: '1.0.0',
      schema: body,
      schemaHash: schemaHash(body),
      examples: [{ prompt: 'p', output: { zeta: 'z' } }],
      createdBy: owner,
    },
    ...overrides,
  };
}

/** SchemasRepository behaves the same on SQLite and PostgreSQL. */
describeEachDialect('SchemasRepository', (dialect) => {
  const fixture = useTestDatabase(dialect);
  const repo = () => new SchemasRepository(fixture().database);

  it('creates a schema with its first version and reads both back, the body as written', async () => {
    const { record, version } = await repo().create(newSchema('invoice', { isPublic: true }));
    expect(record).toMatchObject({
      name: 'invoice',
      isPublic: true,
      isLibrary: false,
      tags: ['finance', 'extraction'],
      ownerKeyId: owner,
      latestVersion: '1.0.0',
      latestSequence: 1,
      deletedAt: null,
    });
    expect(await repo().getById(record.id)).toEqual(record);
    expect(await repo().getByName('invoice')).toEqual(record);
    const stored = await repo().getVersion(record.id, '1.0.0');
    expect(stored).toEqual(version);
    expect(JSON.stringify(stored?.schema)).toBe(JSON.stringify(body));
    expect(stored?.examples).toEqual([{ prompt: 'p', output: { zeta: 'z' } }]);
  });

  it('refuses a second live schema of the same name with a conflict, and frees the name on delete', async () => {
    const { record } = await repo().create(newSchema('dup'));
    await expect(repo().create(newSchema('dup'))).rejects.toMatchObject({ code: 'conflict' });
    const deleted = await repo().softDelete(record.id);
    expect(deleted?.deletedAt).toBeInstanceOf(Date);
    expect(await repo().getByName('dup')).toBeNull();
    const again = await repo().create(newSchema('dup'));
    expect(again.record.id).not.toBe(record.id);
    // The deleted one and its versions stay readable by id.
    expect((await repo().getById(record.id))?.deletedAt).toBeInstanceOf(Date);
    expect(await repo().getVersion(record.id, '1.0.0')).not.toBeNull();
  });

  it('adds versions in order, refuses a stale or duplicate one, and lists them newest first', async () => {
    const { record } = await repo().create(newSchema('versioned'));
    const v2body = { ...body, required: ['zeta', 'alpha'] };
    const changes = [{ path: '/required', level: 'major' as const, message: '"alpha" is now required' }];
    const second = await repo().addVersion(record.id, 1, {
      version: '2.0.0',
      schema: v2body,
      schemaHash: schemaHash(v2body),
      changes,
    });
    expect(second).toMatchObject({ sequence: 2, version: '2.0.0', changes });
    await expect(
      repo().addVersion(record.id, 1, { version: '3.0.0', schema: body, schemaHash: 'x' }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(await repo().getById(record.id)).toMatchObject({ latestVersion: '2.0.0', latestSequence: 2 });
    const page = await repo().listVersions(record.id, { limit: 1 });
    expect(page.items.map((v) => v.version)).toEqual(['2.0.0']);
    const rest = await repo().listVersions(record.id, { limit: 1, cursor: page.nextCursor });
    expect(rest.items.map((v) => v.version)).toEqual(['1.0.0']);
    expect(rest.nextCursor).toBeNull();
  });

  it('lists what a key may see, and filters by text, tag, visibility, owner and library', async () => {
    await repo().create(newSchema('mine-private'));
    await repo().create(newSchema('theirs-private', { ownerKeyId: other }));
    await repo().create(newSchema('theirs-public', { ownerKeyId: other, isPublic: true, tags: ['hr'] }));
    await repo().create(newSchema('library-one', { ownerKeyId: null, isPublic: true, isLibrary: true }));
    const names = async (filter: Parameters<SchemasRepository['list']>[0]) =>
      (await repo().list(filter)).items.map((item) => item.name).sort();

    expect(await names({ visibleTo: owner })).toEqual(['library-one', 'mine-private', 'theirs-public']);
    expect(await names({})).toHaveLength(4);
    expect(await names({ visibleTo: owner, tag: 'hr' })).toEqual(['theirs-public']);
    expect(await names({ visibleTo: owner, text: 'PUBLIC' })).toEqual(['theirs-public']);
    expect(await names({ visibleTo: owner, isPublic: false })).toEqual(['mine-private']);
    expect(await names({ ownerKeyId: null })).toEqual(['library-one']);
    expect(await names({ ownerKeyId: other })).toEqual(['theirs-private', 'theirs-public']);
    expect(await names({ isLibrary: true })).toEqual(['library-one']);
  });

  it('updates metadata only of live schemas', async () => {
    const { record } = await repo().create(newSchema('meta'));
    const updated = await repo().update(record.id, { description: null, isPublic: true, tags: ['x'] });
    expect(updated).toMatchObject({ description: null, isPublic: true, tags: ['x'], latestVersion: '1.0.0' });
    await repo().softDelete(record.id);
    expect(await repo().update(record.id, { tags: ['y'] })).toBeNull();
    expect(await repo().getById('not-a-uuid')).toBeNull();
  });

  it('seeds the library once: a second run changes nothing, a changed shipped body becomes a new version', async () => {
    const registry = {
      invalidated: [] as string[],
      invalidate: async (id: string) => void registry.invalidated.push(id),
    };
    const first = await seedLibrary(repo(), registry, silent);
    expect(first.created.sort()).toEqual(schemaLibrary.map((entry) => entry.name).sort());
    expect(await seedLibrary(repo(), registry, silent)).toEqual({ created: [], updated: [] });
    expect((await repo().list({ isLibrary: true }, { limit: 200 })).items).toHaveLength(schemaLibrary.length);

    const [invoice, ...others] = schemaLibrary;
    const changed = { ...invoice!, schema: { ...invoice!.schema, required: ['invoice_number'] } };
    const result = await seedLibrary(repo(), registry, silent, [changed, ...others]);
    expect(result).toEqual({ created: [], updated: [invoice!.name] });
    const record = await repo().getByName(invoice!.name);
    // Fewer required properties only accepts more: a minor version, and the cache on every replica is told.
    expect(record).toMatchObject({
      latestVersion: '1.1.0',
      ownerKeyId: null,
      isPublic: true,
      isLibrary: true,
    });
    expect(registry.invalidated).toEqual([record!.id]);

    // A version published after the shipped one (an admin's) stays latest over restarts.
    const own = { ...changed.schema, required: [] };
    await repo().addVersion(record!.id, record!.latestSequence, {
      version: '1.2.0',
      schema: own,
      schemaHash: schemaHash(own),
    });
    expect(await seedLibrary(repo(), registry, silent, [changed, ...others])).toEqual({
      created: [],
      updated: [],
    });
    expect((await repo().getByName(invoice!.name))?.latestVersion).toBe('1.2.0');
  });
});
