import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const suiteRoot = join(import.meta.dirname, '..', 'fixtures', 'json-schema-test-suite');

export interface SuiteDraft {
  /** Folder of the vendored suite. */
  folder: string;
  /** The meta-schema URI a user of that draft puts in `$schema`. */
  metaSchema: string;
}

export const suiteDrafts: readonly SuiteDraft[] = [
  { folder: 'draft4', metaSchema: 'http://json-schema.org/draft-04/schema#' },
  { folder: 'draft6', metaSchema: 'http://json-schema.org/draft-06/schema#' },
  { folder: 'draft7', metaSchema: 'http://json-schema.org/draft-07/schema#' },
  { folder: 'draft2019-09', metaSchema: 'https://json-schema.org/draft/2019-09/schema' },
  { folder: 'draft2020-12', metaSchema: 'https://json-schema.org/draft/2020-12/schema' },
];

export interface SuiteCase {
  /** `file.json / group description / test description`, unique within a draft. */
  id: string;
  file: string;
  group: string;
  /** Index of the group's schema within the draft, so cases of one schema can be counted together. */
  schemaIndex: number;
  schema: unknown;
  data: unknown;
  valid: boolean;
}

interface SuiteGroup {
  description: string;
  schema: unknown;
  tests: Array<{ description: string; data: unknown; valid: boolean }>;
}

/** Every case of one draft, in file order. */
export function loadSuiteCases(draft: SuiteDraft): SuiteCase[] {
  const folder = join(suiteRoot, draft.folder);
  const cases: SuiteCase[] = [];
  let schemaIndex = 0;
  for (const file of readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .sort()) {
    const groups = JSON.parse(readFileSync(join(folder, file), 'utf8')) as SuiteGroup[];
    for (const group of groups) {
      for (const test of group.tests) {
        cases.push({
          id: `${file} / ${group.description} / ${test.description}`,
          file,
          group: group.description,
          schemaIndex,
          schema: group.schema,
          data: test.data,
          valid: test.valid,
        });
      }
      schemaIndex += 1;
    }
  }
  return cases;
}

/**
 * The schema as a user of the draft sends it: declaring the draft in `$schema` when the suite leaves
 * it implicit (its draft-04 to -07 cases take the dialect from the folder). Boolean schemas stay.
 */
export function declaringDraft(schema: unknown, draft: SuiteDraft): unknown {
  if (schema === null || typeof schema !== 'object' || '$schema' in schema) return schema;
  return { $schema: draft.metaSchema, ...schema };
}
