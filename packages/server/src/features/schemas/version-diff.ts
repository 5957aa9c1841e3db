import type { SchemaChange } from '@structured-prompt/contracts';
import semver from 'semver';
import { canonicalJson } from '../../lib/canonical-json.ts';
import { escapePointerSegment, isPlainObject } from '../analyze/schema-walk.ts';

type Level = SchemaChange['level'];
type Node = Record<string, unknown>;

/** Keywords that describe a schema without changing what validates. */
const annotations = new Set([
  'title',
  'description',
  'examples',
  'default',
  '$comment',
  'deprecated',
  'readOnly',
  'writeOnly',
]);
/** Lower bounds: raising one, or adding one, rejects answers that were valid. */
const lowerBounds = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'];
/** Upper bounds: lowering one, or adding one, rejects answers that were valid. */
const upperBounds = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'];
/** Keywords whose addition or change narrows and whose removal widens. */
const restrictions = ['pattern', 'format', 'const', 'multipleOf'];
const handled = new Set([
  ...annotations,
  ...lowerBounds,
  ...upperBounds,
  ...restrictions,
  'type',
  'properties',
  'required',
  'enum',
  'additionalProperties',
  'items',
]);

const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

/**
 * What changed between two versions of a schema, each change rated as semantic versioning rates it
 * for the integrations that rely on the answers: `major` when an answer valid before may now be
 * refused or a property they read may be gone (a removed or newly required property, a narrowed type
 * or bound, …), `minor` when the schema only accepts more, `patch` for annotations. A change the
 * rules cannot judge (inside `anyOf`, `$ref`, …) is rated `major`, to be safe.
 */
export function diffSchemas(before: unknown, after: unknown): SchemaChange[] {
  const changes: SchemaChange[] = [];
  diffNode(before, after, '', changes);
  return changes;
}

/** The highest level among the changes; `patch` when there are none. */
export function changeLevel(changes: readonly SchemaChange[]): Level {
  if (changes.some((change) => change.level === 'major')) return 'major';
  if (changes.some((change) => change.level === 'minor')) return 'minor';
  return 'patch';
}

/** The version after `latest` for a change of `level`. */
export function proposeVersion(latest: string, level: Level): string {
  return semver.inc(latest, level) ?? latest;
}

/** Whether `candidate` may follow `latest`. */
export function isLaterVersion(candidate: string, latest: string): boolean {
  return semver.valid(candidate) !== null && semver.gt(candidate, latest);
}

function diffNode(before: unknown, after: unknown, path: string, out: SchemaChange[]): void {
  if (same(before, after)) return;
  if (!isPlainObject(before) || !isPlainObject(after)) {
    const widened = after === true || (isPlainObject(after) && Object.keys(after).length === 0);
    const narrowedFromAny = before === true || (isPlainObject(before) && Object.keys(before).length === 0);
    const level: Level = widened && !narrowedFromAny ? 'minor' : 'major';
    out.push({ path: path || '/', level, message: 'the schema at this place was replaced' });
    return;
  }
  diffTypes(before, after, path, out);
  diffProperties(before, after, path, out);
  diffRequired(before, after, path, out);
  diffEnum(before, after, path, out);
  diffBounds(before, after, path, out);
  diffAdditional(before, after, path, out);
  if (isPlainObject(before.items) && isPlainObject(after.items))
    diffNode(before.items, after.items, `${path}/items`, out);
  else if (!same(before.items, after.items)) out.push(unjudged(path, 'items'));
  for (const keyword of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (handled.has(keyword) || same(before[keyword], after[keyword])) continue;
    out.push(unjudged(path, keyword));
  }
  for (const keyword of annotations) {
    if (!same(before[keyword], after[keyword])) {
      out.push({ path: `${path}/${keyword}`, level: 'patch', message: `"${keyword}" changed` });
    }
  }
}

function unjudged(path: string, keyword: string): SchemaChange {
  return {
    path: `${path}/${keyword}`,
    level: 'major',
    message: `"${keyword}" changed; whether it narrows what validates cannot be told, so it counts as breaking`,
  };
}

function typesOf(node: Node): Set<string> | undefined {
  if (typeof node.type === 'string') return new Set([node.type]);
  if (Array.isArray(node.type)) return new Set(node.type.filter((t): t is string => typeof t === 'string'));
  return undefined;
}

/** Whether a set of types accepts every value of type `t` (`number` covers `integer`). */
const covers = (types: Set<string> | undefined, t: string) =>
  types === undefined || types.has(t) || (t === 'integer' && types.has('number'));

function diffTypes(before: Node, after: Node, path: string, out: SchemaChange[]): void {
  const [old, now] = [typesOf(before), typesOf(after)];
  if (same(before.type, after.type)) return;
  const lost = old === undefined ? ['any'] : [...old].filter((t) => !covers(now, t));
  const gained = now === undefined ? ['any'] : [...now].filter((t) => !covers(old, t));
  if (lost.length > 0 && !(old === undefined && now === undefined)) {
    out.push({
      path: `${path}/type`,
      level: 'major',
      message: `type narrowed: no longer accepts ${lost.join(', ')}`,
    });
  }
  if (gained.length > 0) {
    out.push({
      path: `${path}/type`,
      level: 'minor',
      message: `type widened: now accepts ${gained.join(', ')}`,
    });
  }
}

function diffProperties(before: Node, after: Node, path: string, out: SchemaChange[]): void {
  const old = isPlainObject(before.properties) ? before.properties : {};
  const now = isPlainObject(after.properties) ? after.properties : {};
  for (const name of Object.keys(old)) {
    const at = `${path}/properties/${escapePointerSegment(name)}`;
    if (!Object.hasOwn(now, name))
      out.push({ path: at, level: 'major', message: `property "${name}" removed` });
    else diffNode(old[name], now[name], at, out);
  }
  for (const name of Object.keys(now)) {
    if (Object.hasOwn(old, name)) continue;
    const at = `${path}/properties/${escapePointerSegment(name)}`;
    out.push({ path: at, level: 'minor', message: `property "${name}" added` });
  }
}

function diffRequired(before: Node, after: Node, path: string, out: SchemaChange[]): void {
  const names = (node: Node) => new Set(Array.isArray(node.required) ? node.required.map(String) : []);
  const [old, now] = [names(before), names(after)];
  for (const name of now) {
    if (!old.has(name))
      out.push({ path: `${path}/required`, level: 'major', message: `"${name}" is now required` });
  }
  for (const name of old) {
    if (!now.has(name))
      out.push({ path: `${path}/required`, level: 'minor', message: `"${name}" is no longer required` });
  }
}

function diffEnum(before: Node, after: Node, path: string, out: SchemaChange[]): void {
  if (same(before.enum, after.enum)) return;
  if (!Array.isArray(before.enum) || !Array.isArray(after.enum)) {
    const level: Level = Array.isArray(after.enum) ? 'major' : 'minor';
    out.push({
      path: `${path}/enum`,
      level,
      message: level === 'major' ? 'values restricted to an enum' : 'enum removed',
    });
    return;
  }
  const texts = (values: unknown[]) => new Set(values.map((value) => canonicalJson(value)));
  const [old, now] = [texts(before.enum), texts(after.enum)];
  const removed = [...old].filter((value) => !now.has(value));
  const added = [...now].filter((value) => !old.has(value));
  if (removed.length > 0)
    out.push({ path: `${path}/enum`, level: 'major', message: `enum values removed: ${removed.join(', ')}` });
  if (added.length > 0)
    out.push({ path: `${path}/enum`, level: 'minor', message: `enum values added: ${added.join(', ')}` });
}

function diffBounds(before: Node, after: Node, path: string, out: SchemaChange[]): void {
  const rate = (keyword: string, narrowed: boolean) =>
    out.push({
      path: `${path}/${keyword}`,
      level: narrowed ? 'major' : 'minor',
      message: `"${keyword}" ${narrowed ? 'tightened' : 'relaxed'} (${String(before[keyword] ?? 'none')} → ${String(after[keyword] ?? 'none')})`,
    });
  for (const keyword of [...lowerBounds, ...upperBounds]) {
    const [old, now] = [before[keyword], after[keyword]];
    if (same(old, now)) continue;
    if (typeof old !== 'number' || typeof now !== 'number') {
      rate(keyword, typeof now === 'number' || (old !== undefined && now !== undefined));
      continue;
    }
    rate(keyword, lowerBounds.includes(keyword) ? now > old : now < old);
  }
  for (const keyword of restrictions) {
    if (!same(before[keyword], after[keyword])) rate(keyword, after[keyword] !== undefined);
  }
}

function diffAdditional(before: Node, after: Node, path: string, out: SchemaChange[]): void {
  const [old, now] = [before.additionalProperties, after.additionalProperties];
  if (same(old, now)) return;
  if (isPlainObject(old) && isPlainObject(now)) {
    diffNode(old, now, `${path}/additionalProperties`, out);
    return;
  }
  const open = (value: unknown) => value === undefined || value === true;
  const level: Level = open(now) ? 'minor' : 'major';
  out.push({
    path: `${path}/additionalProperties`,
    level,
    message: level === 'major' ? 'extra properties are now restricted' : 'extra properties are now allowed',
  });
}
