import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { outcomeLevel } from '../log-level.ts';

/**
 * One line per request when it completes: request id (the logger's binding), key id, route, status,
 * duration, and the problem code of an error answer. Its level is the outcome's (`outcomeLevel`).
 * Written here instead of by Fastify's request logging so the line can name the key without a child
 * logger per request (pino's methods for a disabled level are no-ops). The incoming request is
 * logged at debug.
 */
export const accessLogPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('onRequest', async (request) => {
      request.log.debug({ req: request }, 'incoming request');
    });
    app.addHook('onResponse', async (request, reply) => {
      request.log[outcomeLevel(request, reply.statusCode)](
        {
          res: reply,
          responseTime: reply.elapsedTime,
          api_key_id: request.auth?.key.id,
          route: request.routeOptions.url,
          ...(request.problemCode !== null && { code: request.problemCode }),
        },
        'request completed',
      );
    });
  },
  { name: 'access-log' },
);
