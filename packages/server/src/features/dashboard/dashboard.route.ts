import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import { AppError } from '../../lib/app-error.ts';

const require = createRequire(import.meta.url);

/** Where `npm run build` writes the dashboard: the web package's `dist` folder. */
export function defaultDashboardDir(): string {
  return join(dirname(require.resolve('@structured-prompt/web/package.json')), 'dist');
}

/**
 * The dashboard loads nothing from another origin: its scripts, styles and fonts are bundled and served
 * from here, and it only talks to this service. Inline styles stay allowed because the code editor and the
 * charts set element styles at run time; inline scripts do not.
 */
const dashboardPolicy = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  crossOriginEmbedderPolicy: false,
  strictTransportSecurity: false,
  referrerPolicy: { policy: 'no-referrer' },
} satisfies HelmetOptions;

/** Hashed bundle files never change under their name; everything else is revalidated on each load. */
const immutableAssets = { maxAge: '365d', immutable: true } as const;
const revalidate = { maxAge: 0, cacheControl: false } as const;

export interface DashboardOptions {
  /** The built dashboard (`index.html` and `assets/`). */
  dir: string;
}

/**
 * Serves the built web dashboard at /dashboard. Client-side routes (`/dashboard/history/…`) answer with
 * `index.html`; a missing build is a 503 that says how to build it.
 */
export async function dashboardRoutes(app: FastifyInstance, options: DashboardOptions): Promise<void> {
  const policy = helmet(dashboardPolicy);
  app.addHook('onRequest', (request, reply, done) => {
    policy(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });
  await app.register(fastifyStatic, { root: options.dir, serve: false, decorateReply: true });

  const route = { config: { auth: 'public' }, schema: { hide: true } } as const;
  const ensureBuilt = () => {
    if (!existsSync(join(options.dir, 'index.html'))) {
      throw new AppError(
        'service_unavailable',
        'The dashboard has not been built: run `npm run build` and restart the service.',
      );
    }
  };
  // The router ignores trailing slashes, so this route answers `/dashboard/` as well: only the bare
  // path is redirected, so that the page's relative URLs resolve under the folder.
  app.get('/dashboard', route, async (request, reply) => {
    if (!request.url.split('?')[0]!.endsWith('/')) return reply.redirect('/dashboard/');
    ensureBuilt();
    return sendIndex(reply);
  });
  app.get<{ Params: { '*': string } }>('/dashboard/*', route, async (request, reply) => {
    ensureBuilt();
    const path = request.params['*'];
    if (path.startsWith('assets/')) return reply.sendFile(path, immutableAssets);
    if (/\.[a-z0-9]+$/i.test(path)) return reply.sendFile(path, { maxAge: '1h' });
    return sendIndex(reply);
  });
}

function sendIndex(reply: FastifyReply): FastifyReply {
  reply.header('cache-control', 'no-cache');
  return reply.sendFile('index.html', revalidate);
}
