import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { isForeignRequest } from './request-origin.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route authenticates its caller only by credentials written into the request itself (the OAuth token
     * endpoint's client secret), never by cookies, and sets none: see the exemption in `registerCsrf`.
     */
    clientCredentials?: true;
    /**
     * The route receives an identity provider's signed answer, which the person's browser posts from the
     * provider's page (another site, by design). It needs no token: the answer is accepted only when it answers a
     * request this browser started (a one-use attempt under its own cookie, named in the signed answer), so another
     * site cannot sign a visitor in to an account of its choosing this way either.
     */
    signedProviderAnswer?: true;
    /**
     * The route reads its multipart form whole into the body before its handler (`attachFieldsToBody`, with
     * small limits), so the form's token travels in its `_csrf` field, as a urlencoded form's does, and never in
     * the address (where it would stay in the browser's history and go out in Referer headers). The token is
     * checked once the body is read; a request from another site is still refused before.
     */
    csrfTokenInBody?: true;
  }
  interface FastifyRequest {
    /** The token forms must post back; issuing it sets the browser's CSRF cookie when it has none yet. */
    csrfToken(): string;
  }
}

const COOKIE = 'stackable_csrf';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const URLENCODED = 'application/x-www-form-urlencoded';
/** The bodies an HTML form sends on its own; they need a token even from a browser without cookies. */
const FORM_TYPES = new Set([URLENCODED, 'multipart/form-data']);
const kSeed = Symbol('csrfSeed');
const kIssue = Symbol('csrfIssue');
const kChecked = Symbol('csrfChecked');

type CsrfRequest = { [kSeed]?: string; [kIssue]?: () => string; [kChecked]?: boolean };

/** A Content-Type header's media type, lower-cased and without parameters, as parsers compare it. */
export function mediaTypeOf(header: string | undefined): string {
  return (header ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

export interface CsrfOptions {
  secret: string;
  secureCookies: boolean;
  /** `config.publicUrl`: requests whose Origin is this site's public address are ours. */
  publicUrl: string;
}

const refused = (why: 'token' | 'origin') =>
  new AppError(
    'CSRF_FAILED',
    why === 'token'
      ? 'This form has expired or did not come from this site. Go back, reload the page and try again.'
      : 'This request came from another site, so it was refused. Open this site directly and try again.',
  );

/**
 * CSRF protection for every state-changing request (POST, PUT, PATCH, DELETE) the app routes.
 *
 * Each browser holds a random cookie and every form carries an HMAC of it; a page on another site cannot read the
 * cookie, so it cannot produce the token. The token travels in the `x-csrf-token` header or `_csrf` in the query
 * string, or for a urlencoded form in its `_csrf` field. A multipart upload carries it in the form's address, so
 * a forged upload is refused before its body is read, unless its route reads the form whole and takes the token
 * from the body (`config.csrfTokenInBody`: the verify page, the backpack's badge import). The rules, chosen so that none depends on how
 * a body happens to be parsed:
 * - A request that carries cookies is a browser's, and a browser sends cookies on its own: it needs the token
 *   whatever its content type, and it is refused outright when the browser says it came from another site
 *   (`Sec-Fetch-Site: cross-site` or `same-site`, since a sibling subdomain is same-site and SameSite=Lax lets
 *   its cookies through) or its `Origin` is not ours (see request-origin.ts).
 * - A form body (urlencoded or multipart, in any letter case) needs the token even without cookies, so no other
 *   site can sign a visitor in to an account of its choosing.
 * - Anything else without cookies borrows no one's authority and passes: the public verification API is called
 *   from other sites, and API clients do not hold browser cookies.
 * - Two kinds of cookie-less form need no token, because what the form rule guards against (a response that
 *   plants someone else's session in a visitor's browser) cannot happen and the credentials are the sender's own:
 *   a post to a route marked `clientCredentials` (the OAuth token endpoint, whose body must be urlencoded by RFC
 *   6749 and whose answer is a JSON token, never a cookie), and a request carrying `Authorization: Bearer`, a
 *   header no page of another site can make a browser send. Either, once it carries a cookie, is a browser's
 *   request like any other and is checked as above.
 *
 * The cookie is only set when a page actually renders a form, so public pages without forms carry no
 * Set-Cookie header and stay cacheable by shared caches.
 */
export function registerCsrf(app: FastifyInstance, { secret, secureCookies, publicUrl }: CsrfOptions): void {
  const tokenFor = (seed: string) => createHmac('sha256', secret).update(`csrf:${seed}`).digest('base64url');
  const ownOrigin = new URL(publicUrl).origin;

  const assertToken = (request: FastifyRequest, sent: unknown) => {
    const seed = (request as unknown as CsrfRequest)[kSeed];
    if (!seed || typeof sent !== 'string' || !safeEqual(sent, tokenFor(seed))) throw refused('token');
    (request as unknown as CsrfRequest)[kChecked] = true;
  };

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

  // Before the body is read: refusals that need no body come first, so a forged upload is not even parsed.
  app.addHook('onRequest', async (request) => {
    if (!UNSAFE.has(request.method) || request.is404) return;
    if (request.routeOptions.config.signedProviderAnswer === true) {
      (request as unknown as CsrfRequest)[kChecked] = true;
      return;
    }
    const fromBrowser = (request.headers.cookie ?? '').trim() !== '';
    if (fromBrowser && isForeignRequest(request, ownOrigin)) throw refused('origin');
    const type = mediaTypeOf(request.headers['content-type']);
    const isForm = FORM_TYPES.has(type);
    const carriesOwnCredentials =
      request.routeOptions.config.clientCredentials === true ||
      /^Bearer\b/i.test(request.headers.authorization ?? '');
    if (!fromBrowser && (!isForm || carriesOwnCredentials)) {
      (request as unknown as CsrfRequest)[kChecked] = true;
      return;
    }
    const sent =
      request.headers['x-csrf-token'] ?? (request.query as Record<string, unknown> | undefined)?._csrf;
    if (sent !== undefined) assertToken(request, sent);
    else if (type !== URLENCODED && !tokenInMultipartBody(request, type)) throw refused('token');
  });

  // A urlencoded form's token travels in its body, so this waits for the parsed body, and runs before validation
  // so a forged form is told it is forged rather than how to fix its fields.
  app.addHook('preValidation', async (request) => {
    if (!UNSAFE.has(request.method) || request.is404) return;
    if ((request as unknown as CsrfRequest)[kChecked]) return;
    // The multipart parser of the route's own scope fills the body after this hook: checked before the handler.
    if (tokenInMultipartBody(request, mediaTypeOf(request.headers['content-type']))) return;
    assertBodyToken(request);
  });

  // Last, before any handler: a state-changing request not checked yet (a form read whole into its body) is checked
  // now, so a route that takes its token from the body cannot forget to, and nothing unchecked reaches a handler.
  app.addHook('preHandler', async (request) => {
    if (!UNSAFE.has(request.method) || request.is404) return;
    if (!(request as unknown as CsrfRequest)[kChecked]) assertBodyToken(request);
  });

  const assertBodyToken = (request: FastifyRequest) => {
    const body = request.body as Record<string, unknown> | undefined | null;
    assertToken(request, typeof body === 'object' && body !== null ? body._csrf : undefined);
  };
}

/** A multipart form whose route reads it whole and takes its token from the body (`config.csrfTokenInBody`). */
const tokenInMultipartBody = (request: FastifyRequest, type: string): boolean =>
  type === 'multipart/form-data' && request.routeOptions.config.csrfTokenInBody === true;

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
