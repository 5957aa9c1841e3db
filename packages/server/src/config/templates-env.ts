import type { EnvSetting } from './env-mapping.ts';

/** Prompt-template limits and cache (docs/templates.md). */
export const templateEnvSettings: readonly EnvSetting[] = [
  {
    env: 'TEMPLATE_MAX_CHARS',
    path: 'templates.maxTemplateChars',
    description: 'Longest accepted prompt-template text',
  },
  {
    env: 'TEMPLATE_RENDER_TIMEOUT_MS',
    path: 'templates.renderTimeoutMs',
    description: 'A template render that runs longer is stopped (400)',
  },
  {
    env: 'TEMPLATE_MAX_OUTPUT_CHARS',
    path: 'templates.maxOutputChars',
    description: 'Longest prompt a template may render to',
  },
  {
    env: 'TEMPLATE_CACHE_TTL_MS',
    path: 'templates.cacheTtlMs',
    description: 'Longest a replica keeps a template it was not told has changed',
  },
];
