import type { TemplateDefaults, TemplateParameter, TemplateSchemaRef } from '@structured-prompt/contracts';
import semver from 'semver';
import { AppError } from '../../lib/app-error.ts';
import { canonicalJson } from '../../lib/canonical-json.ts';

/** The immutable part of a template: what a version pins. */
export interface VersionContent {
  template: string;
  parameters: TemplateParameter[];
  schema: TemplateSchemaRef | null;
  defaults: TemplateDefaults;
}

export type ChangeLevel = 'major' | 'minor' | 'patch' | 'none';

function sameContent(a: VersionContent, b: VersionContent): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/**
 * How much a new version breaks its callers. Major: a parameter removed, newly required or of another
 * type, or another schema linked — a request that worked may now be refused or answered in another
 * shape. Patch: only parameter descriptions changed. Minor: anything else.
 */
export function changeLevel(before: VersionContent, after: VersionContent): ChangeLevel {
  if (sameContent(before, after)) return 'none';
  const old = new Map(before.parameters.map((parameter) => [parameter.name, parameter]));
  const current = new Map(after.parameters.map((parameter) => [parameter.name, parameter]));
  for (const [name, parameter] of old) {
    const next = current.get(name);
    if (!next) return 'major';
    if ((next.type ?? 'string') !== (parameter.type ?? 'string')) return 'major';
    if (next.required === true && parameter.required !== true) return 'major';
  }
  for (const [name, parameter] of current) {
    if (!old.has(name) && parameter.required === true) return 'major';
  }
  if ((before.schema?.id ?? null) !== (after.schema?.id ?? null)) return 'major';
  const withoutDescriptions = (content: VersionContent) => ({
    ...content,
    parameters: content.parameters.map(({ description: _description, ...rest }) => rest),
  });
  return sameContent(withoutDescriptions(before), withoutDescriptions(after)) ? 'patch' : 'minor';
}

/** The version a change gets: the caller's (which must be newer than `latest`), else the proposal. */
export function nextVersion(latest: string, level: Exclude<ChangeLevel, 'none'>, requested?: string): string {
  if (requested === undefined) return semver.inc(latest, level) ?? latest;
  if (!semver.gt(requested, latest)) {
    throw new AppError('conflict', `Version ${requested} is not newer than the latest version ${latest}.`, {
      errors: [{ path: '/body/version', message: `must be greater than ${latest}` }],
    });
  }
  return requested;
}
