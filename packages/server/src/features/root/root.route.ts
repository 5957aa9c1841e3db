import { Type } from 'typebox';
import type { AppInstance } from '../../http/app-instance.ts';

const ServiceInfo = Type.Object({
  name: Type.String({ examples: ['structured-prompt-service'] }),
  version: Type.String({ examples: ['0.1.0'] }),
  description: Type.String(),
  links: Type.Object({
    docs: Type.String({ examples: ['/docs'] }),
    redoc: Type.String({ examples: ['/redoc'] }),
    openapi: Type.String({ examples: ['/openapi.json'] }),
    health: Type.String({ examples: ['/v1/health'] }),
  }),
});

export function rootRoute(app: AppInstance, version: string): void {
  app.get(
    '/',
    {
      config: { auth: 'public' },
      schema: {
        summary: 'Service information',
        description: 'Name, version and links to the API documentation and health endpoints. Public.',
        tags: ['service'],
        response: { 200: ServiceInfo },
      },
    },
    async () => ({
      name: 'structured-prompt-service',
      version,
      description: 'Turns natural-language prompts into validated structured JSON.',
      links: { docs: '/docs', redoc: '/redoc', openapi: '/openapi.json', health: '/v1/health' },
    }),
  );
}
