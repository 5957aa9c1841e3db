import type { Logger } from 'pino';
import { seedLibrary } from './features/schemas/library/seed-library.ts';
import type { Services } from './services.ts';

/** Entries an earlier process journaled but never stored go to the database before any request is served. */
export async function replayJournal(services: Services, logger: Logger): Promise<void> {
  const entries = services.logWriter.stats().queued;
  if (entries === 0) return;
  const stored = await services.logWriter.flush();
  logger.info(
    { entries, stored },
    stored ? 'request logs replayed from the journal' : 'journal replay waits for the database',
  );
}

/** The common schema library, brought up to date; a failure is logged, not a reason to refuse to start. */
export async function seedSchemaLibrary(services: Services, logger: Logger): Promise<void> {
  try {
    const seeded = await seedLibrary(services.schemasRepository, services.schemaRegistry, logger);
    if (seeded.created.length + seeded.updated.length > 0) logger.info(seeded, 'schema library seeded');
  } catch (error) {
    logger.error({ err: error }, 'could not seed the schema library; it is retried at the next start');
  }
}
