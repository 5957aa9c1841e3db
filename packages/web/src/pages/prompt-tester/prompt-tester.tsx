import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useSession } from '../../auth/session-context.tsx';
import { parseJson } from '../../lib/format.ts';
import { ProviderOptions } from './provider-options.tsx';
import { RunOutput } from './run-output.tsx';
import { SaveSchema } from './save-schema.tsx';
import { SchemaChoice } from './schema-choice.tsx';
import { useStreamRun } from './stream-run.ts';
import { TemplateChoice, useTemplateParameters } from './template-choice.tsx';
import { buildRequest, initialState, type TesterState } from './tester-state.ts';

/** Prompt in, validated structured JSON out: every option of POST /v1/analyze in one form. */
export default function PromptTester() {
  const { client } = useSession();
  const [state, setState] = useState<TesterState>(initialState);
  const update = (change: Partial<TesterState>) => setState((current) => ({ ...current, ...change }));
  const parameters = useTemplateParameters(state.templateRef);
  const run = useMutation({ mutationFn: () => client.analyze(buildRequest(state, parameters)) });
  const streamed = useStreamRun(client);
  const [lastStreamed, setLastStreamed] = useState(false);
  const inlineSchema = parseJson(state.schemaText);
  const running = run.isPending || streamed.run.running;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setLastStreamed(state.stream);
    if (state.stream) {
      run.reset();
      void streamed.start(() => buildRequest(state, parameters));
    } else {
      streamed.clear();
      run.mutate();
    }
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
          <label className="checkbox">
            <input
              type="checkbox"
              checked={state.stream}
              onChange={(event) => update({ stream: event.target.checked })}
            />
            Stream: show the answer while it is written
          </label>
          <button type="submit" disabled={running}>
            {running ? 'Running…' : 'Run'}
          </button>
        </form>
        <div>
          <RunOutput
            view={
              lastStreamed
                ? streamed.run
                : { running: run.isPending, error: run.error ?? undefined, result: run.data }
            }
          />
          {state.schemaMode === 'inline' && 'value' in inlineSchema && (
            <SaveSchema schema={() => inlineSchema.value as object} />
          )}
        </div>
      </div>
    </section>
  );
}
