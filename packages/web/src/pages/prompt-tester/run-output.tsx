import type { AnalyzeResponse } from '@structured-prompt/contracts';
import { JsonBlock } from '../../components/json-block.tsx';
import { ErrorState } from '../../components/states.tsx';
import { ResultPanel } from './result-panel.tsx';

/** What a run shows: plain runs fill running, error and result; streamed runs also the partial. */
export interface RunView {
  running: boolean;
  error?: unknown;
  result?: AnalyzeResponse;
  partial?: unknown;
  attempt?: number;
  reasks?: string[];
}

/** The right-hand side of the tester: progress, the partial answer while streaming, the answer. */
export function RunOutput({ view }: { view: RunView }) {
  const { running, error, result, partial, reasks = [] } = view;
  return (
    <>
      {running && partial === undefined && <p role="status">Waiting for the provider…</p>}
      {reasks.length > 0 && (
        <ul aria-label="Re-asks">
          {reasks.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
      {running && partial !== undefined && (
        <section aria-labelledby="partial-title" className="card">
          <h2 id="partial-title">
            Partial answer <span className="badge warn">attempt {view.attempt ?? 1}, not validated yet</span>
          </h2>
          <JsonBlock label="Partial answer JSON" value={partial} />
        </section>
      )}
      {error !== undefined && error !== null && <ErrorState error={error} />}
      {result && <ResultPanel result={result} />}
      {!result && !error && !running && (
        <p className="empty">Run a prompt to see the structured answer here.</p>
      )}
    </>
  );
}
