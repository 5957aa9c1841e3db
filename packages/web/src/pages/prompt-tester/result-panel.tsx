import type { AnalyzeResponse } from '@structured-prompt/contracts';
import { CopyButton } from '../../components/copy-button.tsx';
import { CodeBlock } from '../../components/json-block.tsx';
import { exportJson, exportYaml } from '../../lib/download.ts';
import { ms, percent, usd } from '../../lib/format.ts';

export function ValidationBadge({ status }: { status: string }) {
  const tone = status.startsWith('passed') ? 'ok' : status === 'failed' ? 'error' : 'warn';
  return <span className={`badge ${tone}`}>{status.replace('_', ' ')}</span>;
}

/** The answer with everything the service says about it. */
export function ResultPanel({ result }: { result: AnalyzeResponse }) {
  const text = JSON.stringify(result.data, null, 2);
  const facts: Array<[string, string]> = [
    ['Confidence', percent(result.confidence)],
    ['Provider', `${result.provider} / ${result.model}`],
    ['Cost', usd(result.usage.cost_usd)],
    ['Latency', ms(result.timing.total_ms)],
    ['Tokens', String(result.usage.total_tokens)],
    ['Cached', result.cached ? 'yes' : 'no'],
    ['Attempts', String(result.validation.attempts)],
  ];
  return (
    <section aria-labelledby="result-title" className="card">
      <h2 id="result-title">
        Answer <ValidationBadge status={result.validation.status} />
      </h2>
      <dl className="stats">
        {facts.map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {result.validation.errors.length > 0 && (
        <>
          <h3>Validation errors</h3>
          <ul>
            {result.validation.errors.map((error) => (
              <li key={`${error.path}-${error.message}`}>
                <code>{error.path || '/'}</code> {error.message}
              </li>
            ))}
          </ul>
        </>
      )}
      {result.warnings.length > 0 && (
        <ul className="warn">
          {result.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
      <CodeBlock label="Answer JSON" text={text} />
      <div className="actions">
        <CopyButton text={text} />
        <button
          type="button"
          className="secondary"
          onClick={() => exportJson(result.request_id, result.data)}
        >
          Export JSON
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => exportYaml(result.request_id, result.data)}
        >
          Export YAML
        </button>
      </div>
      <p className="muted">Request {result.request_id}</p>
    </section>
  );
}
