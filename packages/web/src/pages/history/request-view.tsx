import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { useSession } from '../../auth/session-context.tsx';
import { CodeBlock, JsonBlock } from '../../components/json-block.tsx';
import { ErrorState, Loading } from '../../components/states.tsx';
import { dateTime, ms, percent, usd } from '../../lib/format.ts';
import { ValidationBadge } from '../prompt-tester/result-panel.tsx';
import { Replay } from './replay.tsx';

/** One stored request: prompt, answer, every attempt and error, and a replay against another provider. */
export default function RequestView({ id }: { id: string }) {
  const { client } = useSession();
  const detail = useQuery({ queryKey: ['request', id], queryFn: () => client.request(id) });
  if (detail.isPending) return <Loading />;
  if (detail.error) return <ErrorState error={detail.error} />;
  const request = detail.data;
  const facts: Array<[string, string]> = [
    ['When', dateTime(request.created_at)],
    ['Provider', [request.provider, request.model].filter(Boolean).join(' / ') || '—'],
    ['Latency', ms(request.latency_ms)],
    ['Cost', usd(request.cost_usd)],
    ['Tokens', String(request.prompt_tokens + request.completion_tokens)],
    ['Confidence', request.confidence === null ? '—' : percent(request.confidence)],
    ['Cached', request.cached ? 'yes' : 'no'],
    ['Schema', request.schema_ref ?? request.schema_hash?.slice(0, 12) ?? 'default'],
  ];
  return (
    <section aria-labelledby="request-title">
      <p>
        <Link href="/history">← History</Link>
      </p>
      <h1 id="request-title">
        Request{' '}
        <ValidationBadge status={request.status === 'success' ? request.validation_status : request.status} />
      </h1>
      <p className="muted">{request.request_id}</p>
      <dl className="stats">
        {facts.map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {request.error && <p className="error-box">{request.error}</p>}
      <div className="columns">
        <div>
          <h2>Prompt</h2>
          {request.erased ? (
            <p className="empty">Erased.</p>
          ) : (
            <CodeBlock label="Prompt" text={request.prompt ?? ''} />
          )}
          <h2>Answer</h2>
          <JsonBlock label="Stored answer" value={request.answer} />
        </div>
        <div>
          <h2>Attempts</h2>
          <JsonBlock label="Attempts" value={request.attempts} />
          {request.validation_errors.length > 0 && (
            <>
              <h2>Validation errors</h2>
              <JsonBlock label="Validation errors" value={request.validation_errors} />
            </>
          )}
        </div>
      </div>
      {!request.erased && <Replay requestId={request.request_id} />}
    </section>
  );
}
