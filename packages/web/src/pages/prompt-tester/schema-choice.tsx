import { useQuery } from '@tanstack/react-query';
import { useSession } from '../../auth/session-context.tsx';
import { JsonEditor } from '../../components/json-editor.tsx';
import { metaSchema } from '../../components/meta-schema.ts';
import { ErrorState } from '../../components/states.tsx';
import type { SchemaMode, TesterState } from './tester-state.ts';

interface SchemaChoiceProps {
  state: TesterState;
  update: (change: Partial<TesterState>) => void;
}

/** The schema of the answer: the default one, one from the registry and its library, or written here. */
export function SchemaChoice({ state, update }: SchemaChoiceProps) {
  const { client } = useSession();
  const schemas = useQuery({ queryKey: ['schemas'], queryFn: () => client.schemas() });
  const modes: Array<[SchemaMode, string]> = [
    ['default', 'Default analysis'],
    ['registry', 'From the registry'],
    ['inline', 'Write one'],
  ];
  return (
    <fieldset>
      <legend>Output schema</legend>
      <div className="choices" role="radiogroup" aria-label="Schema source">
        {modes.map(([mode, label]) => (
          <label key={mode} className="checkbox">
            <input
              type="radio"
              name="schema-mode"
              checked={state.schemaMode === mode}
              onChange={() => update({ schemaMode: mode })}
            />
            {label}
          </label>
        ))}
      </div>
      {state.schemaMode === 'registry' && (
        <>
          <label htmlFor="schema-ref">Schema</label>
          <select
            id="schema-ref"
            value={state.schemaRef}
            onChange={(event) => update({ schemaRef: event.target.value })}
          >
            <option value="">Choose a schema…</option>
            {schemas.data?.items.map((schema) => (
              <option key={schema.id} value={schema.name}>
                {schema.name}@{schema.latest_version}
                {schema.library ? ' (library)' : ''}
              </option>
            ))}
          </select>
          {schemas.error && <ErrorState error={schemas.error} />}
        </>
      )}
      {state.schemaMode === 'inline' && (
        <JsonEditor
          label="JSON Schema"
          value={state.schemaText}
          schema={metaSchema}
          onChange={(schemaText) => update({ schemaText })}
        />
      )}
    </fieldset>
  );
}
