import type { JsonSchema } from '@structured-prompt/gateway';
import type { SchemaDialect } from './schema-dialects.ts';
import { SchemaIndex, type SchemaNode } from './schema-index.ts';
import { isPlainObject, toPointer } from './schema-walk.ts';

/** The smallest answer a schema allows, and the place in the schema that demands most of it. */
export interface SmallestAnswer {
  /** Characters of the shortest JSON text that can satisfy the schema (a lower bound). */
  chars: number;
  /** JSON Pointer (inside the schema) of the subschema whose own keyword drives the size. */
  pointer: string;
  /** That keyword: `minItems`, `minLength`, `minProperties`, `required`, `const`, … */
  keyword: string;
}

interface Sized {
  chars: number;
  /** The child that contributed most, followed to find the keyword to blame. */
  via?: string;
  keyword: string;
}

const refKeywords = ['$ref', '$dynamicRef', '$recursiveRef'];
const scalarChars: Record<string, number> = { number: 1, integer: 1, boolean: 4, null: 4 };

/**
 * A lower bound on the length of any JSON answer that validates against `root`, computed from the
 * numbers the schema asks for — `minItems` × the items' own smallest size, `minLength`, required
 * properties, `minProperties` — through `$ref`s, `allOf` (the largest part) and `anyOf`/`oneOf` (the
 * smallest branch). Each subschema is sized once, so reference fan-out costs nothing; a reference
 * cycle counts as 0 on the way back (still a lower bound). Keywords that only forbid values (`not`,
 * `if`, patterns) are not counted. Expects a schema that passed the meta-schema and the ref checks.
 */
export function smallestAnswer(root: JsonSchema, dialect: SchemaDialect): SmallestAnswer {
  const sizer = new AnswerSizer(root, dialect);
  const top = sizer.size('');
  let pointer = '';
  let keyword = top.keyword;
  for (let current = top; current.via !== undefined; ) {
    pointer = current.via;
    current = sizer.size(pointer);
    keyword = current.keyword;
  }
  return { chars: top.chars, pointer, keyword };
}

class AnswerSizer {
  readonly #index: SchemaIndex;
  readonly #sizes = new Map<string, Sized>();
  readonly #active = new Set<string>();
  readonly #refsOnly: boolean;

  constructor(root: JsonSchema, dialect: SchemaDialect) {
    this.#index = new SchemaIndex(dialect);
    this.#index.register(root, '', '');
    // Up to draft-07, keywords beside `$ref` are ignored.
    this.#refsOnly = ['draft-04', 'draft-06', 'draft-07'].includes(dialect);
  }

  size(pointer: string): Sized {
    const known = this.#sizes.get(pointer);
    if (known !== undefined) return known;
    const node = this.#index.nodes.get(pointer);
    if (node === undefined || this.#active.has(pointer) || !isPlainObject(node.schema)) {
      return { chars: node === undefined || this.#active.has(pointer) ? 0 : 1, keyword: 'type' };
    }
    this.#active.add(pointer);
    const sized = this.#compute(node, node.schema);
    this.#active.delete(pointer);
    this.#sizes.set(pointer, sized);
    return sized;
  }

  #compute(node: SchemaNode, schema: Record<string, unknown>): Sized {
    const hasRef = refKeywords.some((keyword) => typeof schema[keyword] === 'string');
    let result: Sized = this.#refsOnly && hasRef ? { chars: 0, keyword: '$ref' } : this.#own(node, schema);
    const larger = (candidate: Sized | undefined) => {
      if (candidate !== undefined && candidate.chars > result.chars) result = candidate;
    };
    for (const keyword of refKeywords) {
      if (typeof schema[keyword] !== 'string') continue;
      const target = this.#index.resolve(schema[keyword] as string, node);
      if ('pointer' in target) larger(this.#child(target.pointer, keyword));
    }
    if (this.#refsOnly && hasRef) return result;
    if (Array.isArray(schema.allOf)) {
      schema.allOf.forEach((_, index) => {
        larger(this.#child(`${node.pointer}/allOf/${index}`, 'allOf'));
      });
    }
    for (const keyword of ['anyOf', 'oneOf']) {
      const branches = schema[keyword];
      if (!Array.isArray(branches) || branches.length === 0) continue;
      const sizes = branches.map((_, index) => this.#child(`${node.pointer}/${keyword}/${index}`, keyword));
      larger(sizes.reduce((smallest, next) => (next.chars < smallest.chars ? next : smallest)));
    }
    return result;
  }

  /** A child's size, blamed on the child (or, when it has nothing of its own, the keyword reaching it). */
  #child(pointer: string, keyword: string): Sized {
    return { chars: this.size(pointer).chars, via: pointer, keyword };
  }

  /** The size the schema's own `const`, `enum` and `type` keywords demand. */
  #own(node: SchemaNode, schema: Record<string, unknown>): Sized {
    if ('const' in schema) return { chars: jsonLength(schema.const), keyword: 'const' };
    if (Array.isArray(schema.enum) && schema.enum.length > 0) {
      const shortest = schema.enum.reduce<number>(
        (least, member) => Math.min(least, jsonLength(member)),
        Infinity,
      );
      return { chars: shortest, keyword: 'enum' };
    }
    const types = typeof schema.type === 'string' ? [schema.type] : schema.type;
    // Without a type, any value will do; a single digit is the shortest.
    if (!Array.isArray(types) || types.length === 0) return { chars: 1, keyword: 'type' };
    const sizes = types.map((type) => this.#ofType(node, schema, String(type)));
    return sizes.reduce((smallest, next) => (next.chars < smallest.chars ? next : smallest));
  }

  #ofType(node: SchemaNode, schema: Record<string, unknown>, type: string): Sized {
    if (type === 'string') return { chars: 2 + count(schema.minLength), keyword: 'minLength' };
    if (type === 'array') return this.#array(node, schema);
    if (type === 'object') return this.#object(node, schema);
    return { chars: scalarChars[type] ?? 1, keyword: 'type' };
  }

  /** `[a,b,…]`: the positional items first, then `minItems` less those of the rest. */
  #array(node: SchemaNode, schema: Record<string, unknown>): Sized {
    const wanted = count(schema.minItems);
    const tupleKeyword = Array.isArray(schema.prefixItems) ? 'prefixItems' : 'items';
    const tuple = Array.isArray(schema[tupleKeyword]) ? (schema[tupleKeyword] as unknown[]) : [];
    let chars = 2;
    const positional = Math.min(wanted, tuple.length);
    for (let index = 0; index < positional; index += 1) {
      chars += this.size(`${node.pointer}/${tupleKeyword}/${index}`).chars + 1;
    }
    const restKeyword = tuple.length > 0 && tupleKeyword === 'items' ? 'additionalItems' : 'items';
    const rest = isSchemaValue(schema[restKeyword])
      ? this.size(node.pointer + toPointer([restKeyword])).chars
      : 1;
    chars += (wanted - positional) * (rest + 1);
    return { chars, keyword: 'minItems' };
  }

  /** `{"name":value,…}` for every required name, and `minProperties` less those in `"":0` entries. */
  #object(node: SchemaNode, schema: Record<string, unknown>): Sized {
    const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
    const properties = isPlainObject(schema.properties) ? schema.properties : {};
    let chars = 2;
    let largest: Sized | undefined;
    for (const name of required) {
      const pointer = node.pointer + toPointer(['properties', name]);
      const value = Object.hasOwn(properties, name) ? this.size(pointer).chars : 1;
      chars += jsonLength(name) + 1 + value + 1;
      if (largest === undefined || value > largest.chars)
        largest = { chars: value, via: pointer, keyword: 'required' };
    }
    const extra = Math.max(0, count(schema.minProperties) - required.size);
    chars += extra * 5;
    const blame = largest !== undefined && largest.chars * 2 > chars ? largest.via : undefined;
    return { chars, keyword: extra > required.size ? 'minProperties' : 'required', via: blame };
  }
}

function count(value: unknown): number {
  return typeof value === 'number' && value > 0 ? value : 0;
}

function isSchemaValue(value: unknown): boolean {
  return typeof value === 'boolean' || isPlainObject(value);
}

function jsonLength(value: unknown): number {
  return JSON.stringify(value)?.length ?? 4;
}
