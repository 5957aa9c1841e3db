import { DeadLetterList, DeadLetterParams, DeadLetterRetry, ListQuery } from '@structured-prompt/contracts';
import type { AppInstance } from '../../http/app-instance.ts';
import { apiKeySecurity, problemResponses } from '../../http/route-schema.ts';
import type { AuditService } from '../audit-logs/audit.service.ts';
import type { JobsService } from './jobs.service.ts';
import { toDeadLetter } from './jobs-response.ts';

const tags = ['jobs'];

export function deadLettersRoutes(app: AppInstance, service: JobsService, audit: AuditService): void {
  app.get(
    '/v1/jobs/dead-letters',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Job items that failed every retry',
        description: 'Dead letters not driven again yet, newest first. Admin only.',
        tags,
        security: apiKeySecurity,
        querystring: ListQuery,
        response: { 200: DeadLetterList, ...problemResponses(400, 401, 403, 429, 500) },
      },
    },
    async (request) => {
      const page = await service.listDeadLetters(request.query);
      return { items: page.items.map(toDeadLetter), next_cursor: page.nextCursor };
    },
  );
  app.post(
    '/v1/jobs/dead-letters/:id/retry',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Drive a dead-lettered item again',
        description:
          'The item goes back to its job with fresh retries and is queued again; its job is open again until ' +
          'the item ends. Admin only, and audit-logged.',
        tags,
        security: apiKeySecurity,
        params: DeadLetterParams,
        response: { 202: DeadLetterRetry, ...problemResponses(401, 403, 404, 409, 429, 500) },
      },
    },
    async (request, reply) => {
      const record = await service.retryDeadLetter(request.params.id);
      audit.record({
        eventType: 'job.dead_letter_retried',
        result: 'success',
        actorKeyId: request.auth?.key.id ?? null,
        ip: request.ip,
        requestId: request.id,
        resource: `job:${record.jobId}/${record.index}`,
      });
      return reply
        .code(202)
        .send({ id: record.id, job_id: record.jobId, index: record.index, status: 'requeued' as const });
    },
  );
}
