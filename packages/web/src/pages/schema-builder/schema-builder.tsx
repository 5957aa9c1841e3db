import { useState } from 'react';
import { JsonEditor } from '../../components/json-editor.tsx';
import { metaSchema } from '../../components/meta-schema.ts';
import { ErrorState } from '../../components/states.tsx';
import { parseJson } from '../../lib/format.ts';
import { useSaveSchema } from '../prompt-tester/save-schema.tsx';
import { FieldList } from './field-editor.tsx';
import { type Field, fieldsFrom, newField, objectSchema } from './field-model.ts';
import { LoadSchema, RegistryCheck, VersionDiff } from './registry-panel.tsx';

const pretty = (schema: object) => `${JSON.stringify(schema, null, 2)}\n`;
const starter = [newField('string', 'title')];

/** Fields in a form and the JSON Schema beside it, each following the other; saved as a registry version. */
export default function SchemaBuilder() {
  const [name, setName] = useState('');
  const [fields, setFields] = useState<Field[]>(starter);
  const [text, setText] = useState(() => pretty(objectSchema(starter)));
  const [jsonError, setJsonError] = useState<string | null>(null);
  const save = useSaveSchema();
  const parsed = parseJson(text);
  const schema = 'value' in parsed ? (parsed.value as object) : objectSchema(fields);

  const fromForm = (next: Field[]) => {
    setFields(next);
    setText(pretty(objectSchema(next)));
    setJsonError(null);
  };
  const fromJson = (next: string) => {
    setText(next);
    const result = parseJson(next);
    if ('error' in result) return setJsonError(result.error);
    setJsonError(null);
    setFields(fieldsFrom(result.value as Record<string, unknown>));
  };
  const load = (loadedName: string, loaded: object) => {
    setName(loadedName);
    fromJson(pretty(loaded));
  };
  return (
    <section aria-labelledby="builder-title">
      <h1 id="builder-title">Schema builder</h1>
      <LoadSchema onLoad={load} />
      <div className="row">
        <div>
          <label htmlFor="schema-name">Schema name</label>
          <input
            id="schema-name"
            placeholder="support-ticket"
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        </div>
        <button
          type="button"
          disabled={!name.trim() || jsonError !== null || save.isPending}
          onClick={() => save.mutate({ name: name.trim(), schema })}
        >
          Save as new version
        </button>
      </div>
      {save.data && (
        <p role="status" className="ok">
          Saved {save.data.name}@{save.data.version}.
        </p>
      )}
      {save.error && <ErrorState error={save.error} />}
      <div className="columns">
        <div>
          <h2>Fields</h2>
          <FieldList fields={fields} path="field" onChange={fromForm} />
        </div>
        <div>
          <h2>JSON Schema</h2>
          <JsonEditor label="JSON Schema preview" value={text} schema={metaSchema} onChange={fromJson} />
          {jsonError && (
            <p role="alert" className="error">
              Not valid JSON yet: {jsonError}
            </p>
          )}
          <RegistryCheck name={name.trim()} schema={schema} />
          {name.trim() && <VersionDiff name={name.trim()} savedVersion={save.data?.version} />}
        </div>
      </div>
    </section>
  );
}
