import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { AnalyzeRequest, AnalyzeResponse } from './analyze.ts';
import {
  CreateSchemaRequest,
  PublishedSchemaVersion,
  PublishSchemaVersionRequest,
  SchemaDetail,
  SchemaList,
  SchemaSummary,
  SchemaVersion,
  SchemaVersionList,
  UpdateSchemaRequest,
} from './schemas.ts';

const examplesOf = (schema: object) => (schema as { examples?: unknown[] }).examples ?? [];

describe('schema registry contracts', () => {
  it.each([
    ['CreateSchemaRequest', CreateSchemaRequest],
    ['UpdateSchemaRequest', UpdateSchemaRequest],
    ['PublishSchemaVersionRequest', PublishSchemaVersionRequest],
    ['SchemaSummary', SchemaSummary],
    ['SchemaDetail', SchemaDetail],
    ['SchemaVersion', SchemaVersion],
    ['PublishedSchemaVersion', PublishedSchemaVersion],
    ['SchemaList', SchemaList],
    ['SchemaVersionList', SchemaVersionList],
  ])('%s has OpenAPI examples that it accepts', (_name, schema) => {
    expect(examplesOf(schema).length).toBeGreaterThan(0);
    for (const example of examplesOf(schema)) {
      expect(Value.Errors(schema, example)).toEqual([]);
      expect(Value.Check(schema, example)).toBe(true);
    }
  });

  it.each([
    ['a name', 'invoice-extraction', true],
    ['a name pinned to a version', 'invoice-extraction@1.2.0', true],
    ['an id pinned to a version', '0190a5c4-7b1e-7c3d-9f00-5a1b2c3d4e5f@2.0.0', true],
    ['a version that is not semantic', 'invoice@1.2', false],
    ['a reference with a space', 'my schema', false],
  ])('schema_id accepts %s: %s', (_name, ref, valid) => {
    expect(Value.Check(AnalyzeRequest, { prompt: 'x', schema_id: ref })).toBe(valid);
  });

  it('documents analyze with schema_id: a request example and an answer naming the version used', () => {
    const requests = examplesOf(AnalyzeRequest) as Array<{ schema_id?: string }>;
    expect(requests.some((example) => example.schema_id !== undefined)).toBe(true);
    const answers = examplesOf(AnalyzeResponse) as Array<{ schema_used?: unknown }>;
    const withSchema = answers.filter((example) => example.schema_used !== undefined);
    expect(withSchema).toHaveLength(1);
    for (const example of answers) expect(Value.Check(AnalyzeResponse, example)).toBe(true);
  });

  it('refuses names with upper case or a leading dash, and tags with spaces', () => {
    expect(Value.Check(CreateSchemaRequest, { name: 'Invoice', schema: {} })).toBe(false);
    expect(Value.Check(CreateSchemaRequest, { name: '-x', schema: {} })).toBe(false);
    expect(Value.Check(CreateSchemaRequest, { name: 'x', schema: {}, tags: ['a b'] })).toBe(false);
  });
});
