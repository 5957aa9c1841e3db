import {
  ProviderUsageReport,
  UsageProvidersQuery,
  UsageQuery,
  UsageReport,
} from '@structured-prompt/contracts';
import type { AppInstance } from '../../http/app-instance.ts';
import { requireAuth } from '../../http/plugins/auth.ts';
import { apiKeySecurity, problemResponses } from '../../http/route-schema.ts';
import type { UsageService } from './usage.service.ts';
import { usageCsv } from './usage-csv.ts';

const tags = ['usage'];

export function usageRoutes(app: AppInstance, usage: UsageService): void {
  app.get(
    '/v1/usage',
    {
      schema: {
        summary: 'Usage and cost',
        description:
          'Totals and a time series (`bucket`: hour, day or month, UTC) of requests, tokens, cost, cache hits ' +
          'with the tokens and dollars they saved, errors, validation failures and latency, optionally grouped ' +
          'by key, provider, model, schema or template. Read from hourly rollups, so the range is widened to ' +
          'whole hours. A user key sees its own usage; `format=csv` answers the series as CSV.',
        tags,
        security: apiKeySecurity,
        querystring: UsageQuery,
        response: {
          200: {
            description: 'The report (JSON), or its series as CSV',
            content: {
              'application/json': { schema: UsageReport },
              'text/csv': { schema: { type: 'string' } },
            },
          },
          ...problemResponses(400, 401, 403, 429, 500),
        },
      },
    },
    async (request, reply) => {
      const { key, isAdmin } = requireAuth(request);
      const report = await usage.report({ keyId: key.id, isAdmin }, request.query);
      if (request.query.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="usage.csv"')
          .send(usageCsv(report));
      }
      return reply.type('application/json').send(report);
    },
  );

  app.get(
    '/v1/usage/providers',
    {
      schema: {
        summary: 'Usage by provider and model',
        description:
          'Per provider and model: volume, cost, cost per request, error rate, latency percentiles and the ' +
          'share of answers that validated on the first model call — which provider is worth its price.',
        tags,
        security: apiKeySecurity,
        querystring: UsageProvidersQuery,
        response: { 200: ProviderUsageReport, ...problemResponses(400, 401, 403, 429, 500) },
      },
    },
    async (request) => {
      const { key, isAdmin } = requireAuth(request);
      return usage.providers({ keyId: key.id, isAdmin }, request.query);
    },
  );
}
