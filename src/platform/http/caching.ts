import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * 'public': the same for every anonymous visitor, so shared caches and CDNs may keep it briefly.
     * Anything else (the default) is private to the browser and revalidated on every use.
     */
    cache?: 'public';
  }
}

/** How long shared caches may serve a public page before asking again, and serve it stale while they do. */
const PUBLIC_POLICY = 'public, max-age=60, stale-while-revalidate=600';

/**
 * Adds validators and cache policy to successful GET responses: a strong ETag from the body (a repeat visit with
 * If-None-Match gets 304 and no body), public caching for pages marked `cache: 'public'` when the visitor is
 * anonymous and nothing personal (a cookie) is being set, private revalidation for everything else.
 */
export function registerCaching(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || reply.statusCode !== 200) return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    if (!reply.hasHeader('cache-control')) {
      const isPersonal = request.actor !== null || reply.hasHeader('set-cookie');
      const isPublic = request.routeOptions.config.cache === 'public' && !isPersonal;
      reply.header('cache-control', isPublic ? PUBLIC_POLICY : 'private, no-cache');
      reply.header('vary', 'Cookie');
    }
    if (!reply.hasHeader('etag')) {
      reply.header('etag', `"${createHash('sha1').update(payload).digest('base64url')}"`);
    }
    const condition = request.headers['if-none-match'];
    if (condition?.split(/\s*,\s*/).includes(String(reply.getHeader('etag')))) {
      reply.code(304);
      return '';
    }
    return payload;
  });
}
