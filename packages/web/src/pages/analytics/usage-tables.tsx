import type { ProviderUsageReport, UsageMetrics, UsageReport } from '@structured-prompt/contracts';
import type { Static } from 'typebox';
import { TableWrap } from '../../components/table-wrap.tsx';
import { ms, percent, usd } from '../../lib/format.ts';
import { rate, sumBy } from './usage-math.ts';

/** The range's headline numbers. */
export function Totals({ totals }: { totals: UsageMetrics }) {
  const facts: Array<[string, string]> = [
    ['Requests', String(totals.requests)],
    ['Cost', usd(totals.cost_usd)],
    ['Tokens', String(totals.prompt_tokens + totals.completion_tokens)],
    ['Cache hit rate', percent(rate(totals.cache_hits, totals.requests))],
    ['Saved by the cache', usd(totals.saved_cost_usd)],
    ['Error rate', percent(rate(totals.errors, totals.requests))],
    ['Validation failures', percent(rate(totals.validation_failures, totals.requests))],
    ['Latency p50', ms(totals.latency_p50_ms)],
    ['Latency p95', ms(totals.latency_p95_ms)],
  ];
  return (
    <dl className="stats" aria-label="Totals">
      {facts.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The range per group (provider, model, key, schema or template). */
export function GroupTable({ report }: { report: UsageReport }) {
  const groups = sumBy(report.series, (point) => point.group ?? '(none)');
  return (
    <TableWrap label="Per group">
      <table>
        <caption>Per {report.group_by}</caption>
        <thead>
          <tr>
            <th scope="col">{report.group_by}</th>
            <th scope="col">Requests</th>
            <th scope="col">Cost</th>
            <th scope="col">Tokens</th>
            <th scope="col">Cache hits</th>
            <th scope="col">Errors</th>
          </tr>
        </thead>
        <tbody>
          {[...groups].map(([group, sum]) => (
            <tr key={group}>
              <th scope="row">{group}</th>
              <td>{sum.requests}</td>
              <td>{usd(sum.cost_usd)}</td>
              <td>{sum.tokens}</td>
              <td>{sum.cache_hits}</td>
              <td>{sum.errors + sum.validation_failures}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** How each provider and model did over the range. */
export function ProviderTable({ report }: { report: Static<typeof ProviderUsageReport> }) {
  if (report.items.length === 0) return null;
  return (
    <TableWrap label="Per provider and model">
      <table>
        <caption>Per provider and model</caption>
        <thead>
          <tr>
            <th scope="col">Provider / model</th>
            <th scope="col">Requests</th>
            <th scope="col">Cost per request</th>
            <th scope="col">Error rate</th>
            <th scope="col">First-attempt pass rate</th>
            <th scope="col">p50 / p95 / p99</th>
          </tr>
        </thead>
        <tbody>
          {report.items.map((item) => (
            <tr key={`${item.provider}/${item.model}`}>
              <th scope="row">
                {item.provider ?? '—'} / {item.model ?? '—'}
              </th>
              <td>{item.requests}</td>
              <td>{usd(item.cost_per_request_usd)}</td>
              <td>{percent(item.error_rate)}</td>
              <td>{percent(item.first_attempt_pass_rate)}</td>
              <td>
                {ms(item.latency_p50_ms)} / {ms(item.latency_p95_ms)} / {ms(item.latency_p99_ms)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
