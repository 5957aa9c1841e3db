import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useSession } from '../../auth/session-context.tsx';
import { ErrorState } from '../../components/states.tsx';
import { parseJson } from '../../lib/format.ts';
import { ProviderOptions } from './provider-options.tsx';
import { ResultPanel } from './result-panel.tsx';
import { SaveSchema } from './save-schema.tsx';
import { SchemaChoice } from './schema-choice.tsx';
import { TemplateChoice, useTemplateParameters } from './template-choice.tsx';
import { buildRequest, initialState, type TesterState } from './tester-state.ts';

/** Prompt in, validated structured JSON out: every option of POST /v1/analyze in one form. */
export default function PromptTester() {
  const { client } = useSession();
  const [state, setState] = useState<TesterState>(initialState);
  const update = (change: Partial<TesterState>) => setState((current) => ({ ...current, ...change }));
  const parameters = useTemplateParameters(state.templateRef);
  const run = useMutation({ mutationFn: () => client.analyze(buildRequest(state, parameters)) });
  const inlineSchema = parseJson(state.schemaText);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    run.mutate();
  };
  return (
    <section aria-labelledby="tester-title">
      <h1 id="tester-title">Prompt tester</h1>
      <div className="columns">
        <form onSubmit={submit} aria-label="Analyze a prompt">
          <label htmlFor="prompt">Prompt</label>
          <textarea
            id="prompt"
            maxLength={10_000}
            placeholder="Invoice INV-7 from ACME over 120.50 EUR, due March 3"
            value={state.prompt}
            disabled={state.templateRef !== ''}
            onChange={(event) => update({ prompt: event.target.value })}
          />
          <TemplateChoice state={state} update={update} />
          <SchemaChoice state={state} update={update} />
          <ProviderOptions state={state} update={update} />
          <button type="submit" disabled={run.isPending}>
            {run.isPending ? 'Running…' : 'Run'}
          </button>
        </form>
        <div>
          {run.isPending && <p role="status">Waiting for the provider…</p>}
          {run.error && <ErrorState error={run.error} />}
          {run.data && <ResultPanel result={run.data} />}
          {!run.data && !run.error && !run.isPending && (
            <p className="empty">Run a prompt to see the structured answer here.</p>
          )}
          {state.schemaMode === 'inline' && 'value' in inlineSchema && (
            <SaveSchema schema={() => inlineSchema.value as object} />
          )}
        </div>
      </div>
    </section>
  );
}
