import * as contracts from '@structured-prompt/contracts';
import { compile, type JSONSchema } from 'json-schema-to-typescript';

const options = {
  bannerComment: '',
  additionalProperties: false,
  format: false,
  strictIndexSignatures: false,
};

/**
 * TypeScript declarations of the named contract schemas, generated from the same TypeBox schemas that
 * validate the service's requests and answers, so the published SDK carries its API types without
 * depending on the workspace's contracts package.
 */
export async function contractDeclarations(names: readonly string[]): Promise<string> {
  const schemas = contracts as unknown as Record<string, JSONSchema>;
  const missing = names.filter((name) => typeof schemas[name] !== 'object');
  if (missing.length > 0) throw new Error(`no contract schema named ${missing.join(', ')}`);
  const definitions = Object.fromEntries(names.map((name) => [name, schemas[name]!]));
  let text = await compile({ definitions } as JSONSchema, 'ApiContracts', {
    ...options,
    unreachableDefinitions: true,
  });
  // A schema that is structurally another one's is emitted once; declare its name as well.
  for (const name of names) {
    if (new RegExp(`^export (type|interface) ${name}\\b`, 'm').test(text)) continue;
    text += await compile(schemas[name]!, name, { ...options, declareExternallyReferenced: false });
  }
  return `// Generated from the service's contract schemas; do not edit.\n${text}`;
}
