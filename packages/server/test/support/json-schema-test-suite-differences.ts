/**
 * Where the service's verdict deliberately differs from the JSON-Schema-Test-Suite's `valid` label,
 * and why. `refused`: the schema is refused with a 400 (so the case never runs); `opposite`: the
 * answer is judged the other way. The suite test fails on any mismatch not listed here, and on any
 * entry here that no longer explains a mismatch.
 */
interface SuiteDifference {
  file: string;
  /** Group descriptions, exactly as in the suite. */
  groups: readonly string[];
  outcome: 'refused' | 'opposite';
  reason: string;
}

const remoteRefs =
  'Remote reference: the service never fetches a schema on behalf of a request; a schema must carry ' +
  'everything it refers to (JSON Pointers, anchors, or $ids of its own subschemas). References to the ' +
  'meta-schemas count as remote too.';
const ajvDynamicRefs =
  "Ajv's support of $dynamicRef is partial: only fragment references, no dynamic scope through " +
  'intermediate resources; where it would loop without end the service refuses the schema instead.';
const ajvUnevaluated =
  'Ajv does not collect annotations from contains, nor from an if without then/else, for ' +
  'unevaluatedItems/unevaluatedProperties.';

export const suiteDifferences: readonly SuiteDifference[] = [
  {
    file: 'refRemote.json',
    groups: [
      'remote ref',
      'fragment within remote ref',
      'ref within remote ref',
      'base URI change',
      'base URI change - change folder',
      'base URI change - change folder in subschema',
      'root ref in remote ref',
      'Location-independent identifier in remote ref',
      'remote ref with ref to definitions',
      'remote ref with ref to defs',
      'retrieved nested refs resolve relative to their URI not $id',
      '$ref to $ref finds location-independent $id',
      '$ref to $ref finds detached $anchor',
      'anchor within remote ref',
      'remote HTTP ref with different $id',
      'remote HTTP ref with different URN $id',
      'remote HTTP ref with nested absolute ref',
    ],
    outcome: 'refused',
    reason: remoteRefs,
  },
  {
    file: 'ref.json',
    groups: ['remote ref, containing refs itself'],
    outcome: 'refused',
    reason: remoteRefs,
  },
  {
    file: 'definitions.json',
    groups: ['validate definition against metaschema'],
    outcome: 'refused',
    reason: remoteRefs,
  },
  {
    file: 'defs.json',
    groups: ['validate definition against metaschema'],
    outcome: 'refused',
    reason: remoteRefs,
  },
  {
    file: 'dynamicRef.json',
    groups: [
      'strict-tree schema, guards against misspelled properties',
      'tests for implementation dynamic anchor and reference link',
      '$ref and $dynamicAnchor are independent of order - $defs first',
      '$ref and $dynamicAnchor are independent of order - $ref first',
      '$ref to $dynamicRef finds detached $dynamicAnchor',
    ],
    outcome: 'refused',
    reason: remoteRefs,
  },
  {
    file: 'vocabulary.json',
    groups: [
      'schema that uses custom metaschema with with no validation vocabulary',
      'ignore unrecognized optional vocabulary',
    ],
    outcome: 'refused',
    reason:
      '$schema must name one of the five supported dialects; a custom meta-schema would have to be fetched.',
  },
  {
    file: 'const.json',
    groups: ['nul characters in strings'],
    outcome: 'refused',
    reason: 'The API refuses NUL characters in request bodies: they truncate strings in C-based consumers.',
  },
  {
    file: 'enum.json',
    groups: ['nul characters in strings'],
    outcome: 'refused',
    reason: 'The API refuses NUL characters in request bodies: they truncate strings in C-based consumers.',
  },
  {
    file: 'properties.json',
    groups: ['properties whose names are Javascript object property names'],
    outcome: 'refused',
    reason:
      'The body parser refuses a "__proto__" key (prototype poisoning) with a 400 that says so; ' +
      'properties called constructor or toString are supported.',
  },
  {
    file: 'enum.json',
    groups: ['empty enum'],
    outcome: 'refused',
    reason: 'Ajv refuses an empty enum when compiling; no value could satisfy it anyway.',
  },
  {
    file: 'format.json',
    groups: [
      'email format',
      'regex format',
      'ipv4 format',
      'ipv6 format',
      'hostname format',
      'date format',
      'date-time format',
      'time format',
      'json-pointer format',
      'relative-json-pointer format',
      'uri format',
      'uri-reference format',
      'uri-template format',
      'uuid format',
      'duration format',
    ],
    outcome: 'opposite',
    reason:
      'Formats are asserted in every dialect (ajv-formats): a structured answer whose "email" is not an ' +
      'email is wrong, though 2020-12 makes format an annotation by default.',
  },
  {
    file: 'ref.json',
    groups: [
      'ref overrides any sibling keywords',
      '$ref prevents a sibling $id from changing the base uri',
      '$ref prevents a sibling id from changing the base uri',
    ],
    outcome: 'opposite',
    reason: 'Ajv applies the keywords next to $ref, $id included, in drafts 4 to 7 as well.',
  },
  {
    file: 'ref.json',
    groups: [
      'refs with relative uris and defs',
      'relative refs with absolute uris and defs',
      'URN ref with nested pointer ref',
    ],
    outcome: 'refused',
    reason: 'Ajv cannot compile a $ref next to an $id that changes its base URI in these layouts.',
  },
  {
    file: 'recursiveRef.json',
    groups: ['$recursiveRef with no $recursiveAnchor in the initial target schema resource'],
    outcome: 'opposite',
    reason: "Ajv's $recursiveRef follows the dynamic scope even without $recursiveAnchor in the target.",
  },
  {
    file: 'dynamicRef.json',
    groups: [
      'A $dynamicRef that initially resolves to a schema with a matching $dynamicAnchor resolves to the first $dynamicAnchor in the dynamic scope',
      'A $dynamicRef that initially resolves to a schema without a matching $dynamicAnchor behaves like a normal $ref to $anchor',
      'after leaving a dynamic scope, it is not used by a $dynamicRef',
      '$dynamicRef avoids the root of each schema, but scopes are still registered',
    ],
    outcome: 'refused',
    reason: ajvDynamicRefs,
  },
  {
    file: 'dynamicRef.json',
    groups: [
      'A $dynamicRef to a $dynamicAnchor in the same schema resource behaves like a normal $ref to an $anchor',
      'A $dynamicRef to an $anchor in the same schema resource behaves like a normal $ref to an $anchor',
      'A $dynamicRef resolves to the first $dynamicAnchor still in scope that is encountered when the schema is evaluated',
      'A $dynamicRef without anchor in fragment behaves identical to $ref',
      "A $dynamicRef with intermediate scopes that don't include a matching $dynamicAnchor does not affect dynamic scope resolution",
      'An $anchor with the same name as a $dynamicAnchor is not used for dynamic scope resolution',
      'A $dynamicRef without a matching $dynamicAnchor in the same schema resource behaves like a normal $ref to $anchor',
      'A $dynamicRef with a non-matching $dynamicAnchor in the same schema resource behaves like a normal $ref to $anchor',
      'multiple dynamic paths to the $dynamicRef keyword',
      '$dynamicRef points to a boolean schema',
      '$dynamicRef skips over intermediate resources - direct reference',
    ],
    outcome: 'opposite',
    reason: ajvDynamicRefs,
  },
  {
    file: 'unevaluatedItems.json',
    groups: ['unevaluatedItems with $dynamicRef'],
    outcome: 'refused',
    reason: ajvDynamicRefs,
  },
  {
    file: 'unevaluatedProperties.json',
    groups: ['unevaluatedProperties with $dynamicRef'],
    outcome: 'refused',
    reason: ajvDynamicRefs,
  },
  {
    file: 'unevaluatedItems.json',
    groups: [
      'unevaluatedItems with nested items',
      'unevaluatedItems can see annotations from if without then and else',
      'unevaluatedItems depends on adjacent contains',
      'unevaluatedItems depends on multiple nested contains',
      'unevaluatedItems and contains interact to control item dependency relationship',
      'unevaluatedItems with minContains = 0',
    ],
    outcome: 'opposite',
    reason: ajvUnevaluated,
  },
  {
    file: 'unevaluatedProperties.json',
    groups: [
      'unevaluatedProperties with if/then/else, then not defined',
      'unevaluatedProperties can see annotations from if without then and else',
    ],
    outcome: 'opposite',
    reason: ajvUnevaluated,
  },
];
