import fastUri from 'fast-uri';
import type { SchemaDialect } from './schema-dialects.ts';
import {
  isPlainObject,
  isSchemaLike,
  subschemasOf,
  toPointer,
  unescapePointerSegment,
} from './schema-walk.ts';

export interface SchemaNode {
  pointer: string;
  schema: unknown;
  /** Pointer of the schema resource (root or nearest subschema with its own `$id`) refs resolve in. */
  resource: string;
}

/** Where a reference leads: a node of this schema, nowhere in it, or outside it (a remote document). */
export type Resolution = { pointer: string } | { unresolved: true } | { remote: true };

/**
 * Every subschema of one schema document by JSON Pointer, with the resources (`$id`s) and anchors
 * naming them, for resolving references as Ajv does: a reference is resolved against the base URI
 * of the resource it sits in, and is local when it lands on this document's root or on one of its
 * embedded resources — a bundled schema — and remote otherwise.
 */
export class SchemaIndex {
  readonly nodes = new Map<string, SchemaNode>();
  readonly #anchors = new Map<string, string>();
  /** Resource pointer → its base URI (absolute, relative, or '' for a root without `$id`). */
  readonly #baseUris = new Map<string, string>();
  /** Base URI → resource pointer. */
  readonly #resources = new Map<string, string>();
  /** The keyword that names a schema resource: `id` in draft-04, `$id` since. */
  readonly #idKeyword: string;
  /** Up to draft-07, keywords next to `$ref` are ignored, `$id` included. */
  readonly #refHidesId: boolean;

  constructor(dialect: SchemaDialect) {
    this.#idKeyword = dialect === 'draft-04' ? 'id' : '$id';
    this.#refHidesId = ['draft-04', 'draft-06', 'draft-07'].includes(dialect);
  }

  register(schema: unknown, pointer: string, parentResource: string): void {
    if (this.nodes.has(pointer)) return;
    const resource = this.#resourceOf(schema, pointer, parentResource);
    this.nodes.set(pointer, { pointer, schema, resource });
    if (!isPlainObject(schema)) return;
    for (const entry of subschemasOf(schema))
      this.register(entry.schema, pointer + toPointer(entry.segments), resource);
  }

  /** Where `ref`, written in `from`, leads. */
  resolve(ref: string, from: SchemaNode): Resolution {
    const absolute = this.#absolute(from.resource, ref);
    if (absolute === undefined) return { unresolved: true };
    const [uri = '', fragment = ''] = splitFragment(absolute);
    const resource = this.#resources.get(uri);
    if (resource === undefined) return { remote: true };
    let decoded: string;
    try {
      decoded = decodeURIComponent(fragment);
    } catch {
      return { unresolved: true };
    }
    if (decoded !== '' && !decoded.startsWith('/')) {
      const pointer = this.#anchors.get(`${resource}#${decoded}`);
      return pointer === undefined ? { unresolved: true } : { pointer };
    }
    const segments = decoded === '' ? [] : decoded.slice(1).split('/').map(unescapePointerSegment);
    return this.#nodeAt(resource, segments);
  }

  /** The node a JSON Pointer names inside a resource, registered on the way when the walker skipped it. */
  #nodeAt(resource: string, segments: string[]): Resolution {
    const pointer = resource + toPointer(segments);
    if (this.nodes.has(pointer)) return { pointer };
    // A ref into a place the walker does not treat as a schema (an unknown keyword): Ajv still
    // follows it, so it becomes a node too.
    let value: unknown = this.nodes.get(resource)?.schema;
    for (const segment of segments) {
      if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment)) {
        return { unresolved: true };
      }
      value = (value as Record<string, unknown>)[segment];
    }
    if (!isSchemaLike(value)) return { unresolved: true };
    this.register(value, pointer, resource);
    return { pointer };
  }

  /** `ref` resolved against the resource's base URI; undefined when it is not a valid URI reference. */
  #absolute(resource: string, ref: string): string | undefined {
    try {
      return fastUri.resolve(this.#baseUris.get(resource) ?? '', ref);
    } catch {
      return undefined;
    }
  }

  /** Records the resource and anchors `schema` declares and returns the resource its own refs resolve in. */
  #resourceOf(schema: unknown, pointer: string, parentResource: string): string {
    let resource = parentResource;
    if (pointer === '') this.#addResource('', '');
    if (!isPlainObject(schema)) return resource;
    const id = schema[this.#idKeyword];
    const absolute = typeof id === 'string' ? this.#absolute(parentResource, id) : undefined;
    if (absolute !== undefined && !(this.#refHidesId && schema.$ref !== undefined)) {
      const [uri = '', fragment = ''] = splitFragment(absolute);
      const parentUri = this.#baseUris.get(parentResource) ?? '';
      if (uri !== parentUri || pointer === '') {
        resource = pointer;
        this.#addResource(pointer, uri);
      }
      // Up to draft-07, `$id: "#name"` (or a URI with a fragment) also names an anchor.
      if (fragment !== '') this.#anchors.set(`${resource}#${fragment}`, pointer);
    }
    for (const keyword of ['$anchor', '$dynamicAnchor']) {
      const name = schema[keyword];
      if (typeof name === 'string') this.#anchors.set(`${resource}#${name}`, pointer);
    }
    return resource;
  }

  #addResource(pointer: string, uri: string): void {
    this.#baseUris.set(pointer, uri);
    if (!this.#resources.has(uri)) this.#resources.set(uri, pointer);
  }
}

function splitFragment(uri: string): [string, string] {
  const hash = uri.indexOf('#');
  return hash < 0 ? [uri, ''] : [uri.slice(0, hash), uri.slice(hash + 1)];
}
