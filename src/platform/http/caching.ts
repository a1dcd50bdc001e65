import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PublicPageCache } from './public-page-cache.ts';

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
/** The headers a kept page is served again with. */
const KEPT_HEADERS = ['content-type', 'cache-control', 'vary', 'etag'] as const;

const kPageGeneration = Symbol('pageGeneration');
type PageRequest = FastifyRequest & { [kPageGeneration]?: number; pageFromCache?: boolean };

/**
 * A request whose answer is the same for everyone: a GET of a public page by a visitor who sends no cookies
 * at all (no session, and no form token the page could embed).
 */
const isAnonymousPageRequest = (request: FastifyRequest): boolean =>
  request.method === 'GET' &&
  request.routeOptions.config.cache === 'public' &&
  request.actor === null &&
  request.headers.cookie === undefined;

/**
 * Adds validators and cache policy to successful GET responses: a strong ETag from the body (a repeat visit with
 * If-None-Match gets 304 and no body), public caching for pages marked `cache: 'public'` when the visitor is
 * anonymous and nothing personal (a cookie) is being set, private revalidation for everything else. With a
 * `pages` cache, public pages rendered for anonymous visitors are kept and served again (public-page-cache.ts).
 */
export function registerCaching(app: FastifyInstance, pages?: PublicPageCache): void {
  if (pages) {
    app.addHook('onRequest', async (request: PageRequest, reply) => {
      if (!isAnonymousPageRequest(request)) return;
      const kept = pages.get(request.url);
      if (!kept) {
        request[kPageGeneration] = pages.generation();
        return;
      }
      request.pageFromCache = true;
      for (const [name, value] of Object.entries(kept.headers)) reply.header(name, value);
      return reply.code(200).send(kept.body);
    });
  }

  app.addHook('onSend', async (request: PageRequest, reply, sent) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || reply.statusCode !== 200) return sent;
    if (typeof sent !== 'string' && !Buffer.isBuffer(sent)) return sent;
    // Encoded once, for the hash, the socket and the kept copy alike (a string was encoded by each); and a kept
    // page in a Buffer lies outside the JavaScript heap, where thousands of them made old-space collections dear.
    const payload = typeof sent === 'string' ? Buffer.from(sent) : sent;
    if (!reply.hasHeader('cache-control')) {
      const isPersonal = request.actor !== null || reply.hasHeader('set-cookie');
      const isPublic = request.routeOptions.config.cache === 'public' && !isPersonal;
      reply.header('cache-control', isPublic ? PUBLIC_POLICY : 'private, no-cache');
      reply.header('vary', 'Cookie');
    }
    if (!reply.hasHeader('etag')) {
      reply.header('etag', `"${createHash('sha1').update(payload).digest('base64url')}"`);
    }
    const generation = request[kPageGeneration];
    if (pages && generation !== undefined && !request.pageFromCache && !reply.hasHeader('set-cookie')) {
      const headers: Record<string, string> = {};
      for (const name of KEPT_HEADERS) {
        const value = reply.getHeader(name);
        if (value !== undefined) headers[name] = String(value);
      }
      pages.set(request.url, { body: payload, headers }, generation);
    }
    const condition = request.headers['if-none-match'];
    if (condition?.split(/\s*,\s*/).includes(String(reply.getHeader('etag')))) {
      reply.code(304);
      return '';
    }
    return payload;
  });
}
