import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The token forms must post back; issuing it sets the browser's CSRF cookie when it has none yet. */
    csrfToken(): string;
  }
}

const COOKIE = 'stackable_csrf';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const kSeed = Symbol('csrfSeed');
const kIssue = Symbol('csrfIssue');

type CsrfRequest = { [kSeed]?: string; [kIssue]?: () => string };

/**
 * CSRF protection for forms: each browser holds a random cookie and every form carries an HMAC of it.
 * A forged cross-site form cannot read the cookie, so it cannot produce the token. JSON requests need no token:
 * browsers will not send them cross-site without a CORS preflight, which we never allow.
 *
 * The cookie is only set when a page actually renders a form, so public pages without forms carry no
 * Set-Cookie header and stay cacheable by shared caches.
 */
export function registerCsrf(app: FastifyInstance, secret: string, secureCookies: boolean): void {
  const tokenFor = (seed: string) => createHmac('sha256', secret).update(`csrf:${seed}`).digest('base64url');

  app.decorateRequest('csrfToken', function (this) {
    return (this as unknown as CsrfRequest)[kIssue]?.() ?? '';
  });

  app.addHook('onRequest', async (request, reply) => {
    const r = request as unknown as CsrfRequest;
    const existing = request.cookies[COOKIE];
    if (existing && /^[A-Za-z0-9_-]{22,}$/.test(existing)) r[kSeed] = existing;
    r[kIssue] = () => {
      if (!r[kSeed]) {
        r[kSeed] = randomBytes(18).toString('base64url');
        reply.setCookie(COOKIE, r[kSeed], {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: secureCookies,
        });
      }
      return tokenFor(r[kSeed]);
    };
  });

  app.addHook('preHandler', async (request) => {
    if (!UNSAFE.has(request.method) || request.is404) return;
    const type = request.headers['content-type'] ?? '';
    const isForm =
      type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data');
    if (!isForm) return;
    const seed = (request as unknown as CsrfRequest)[kSeed];
    const body = request.body as Record<string, unknown> | undefined;
    const sent =
      (typeof body?._csrf === 'string' ? body._csrf : undefined) ??
      (request.headers['x-csrf-token'] as string | undefined) ??
      (request.query as Record<string, unknown> | undefined)?._csrf;
    if (!seed || typeof sent !== 'string' || !safeEqual(sent, tokenFor(seed))) {
      throw new AppError(
        'CSRF_FAILED',
        'This form has expired or did not come from this site. Go back, reload the page and try again.',
      );
    }
  });
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
