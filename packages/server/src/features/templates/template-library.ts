import type { Logger } from 'pino';
import { toAppError } from '../../lib/app-error.ts';
import { libraryTemplates } from './template-library-data.ts';
import { changeLevel, nextVersion, type VersionContent } from './template-versioning.ts';
import type { TemplatesRepository } from './templates.repository.ts';

export interface LibraryTemplate {
  name: string;
  description: string;
  tags: string[];
  content: VersionContent;
}

/**
 * Puts the built-in templates in place at start: public, owned by the service, versioned like any
 * other. Idempotent: a template already there with the same content is left alone, changed content
 * becomes a new version, and replicas starting together race harmlessly (the loser's insert is a
 * conflict, ignored). A name a key already took is left to that key. Never stops the start: an entry
 * that cannot be written is logged and tried again at the next start.
 */
export async function seedTemplateLibrary(
  repository: TemplatesRepository,
  logger: Logger,
  entries: readonly LibraryTemplate[] = libraryTemplates,
): Promise<void> {
  for (const entry of entries) {
    try {
      await seedOne(repository, entry);
    } catch (error) {
      if (toAppError(error)?.code === 'conflict') continue;
      logger.warn({ err: error, template: entry.name }, 'library template not seeded; retried at next start');
    }
  }
}

async function seedOne(repository: TemplatesRepository, entry: LibraryTemplate): Promise<void> {
  const existing = await repository.findLive(entry.name);
  if (!existing) {
    await repository.create({
      name: entry.name,
      description: entry.description,
      isPublic: true,
      tags: entry.tags,
      ownerKeyId: null,
      isLibrary: true,
      version: '1.0.0',
      content: entry.content,
    });
    return;
  }
  if (!existing.isLibrary) return;
  const latest = await repository.getVersion(existing.id, existing.latestVersion);
  const level = latest ? changeLevel(latest.content, entry.content) : 'minor';
  if (level === 'none') return;
  await repository.addVersion({
    templateId: existing.id,
    expectedLatest: existing.latestVersion,
    version: nextVersion(existing.latestVersion, level),
    content: entry.content,
    createdBy: null,
  });
}
