/**
 * The security headers every response carries (CSP, HSTS, frame, referrer…), set by helmet's middleware.
 *
 * @fastify/helmet 13 calls `helmet(options)` inside its onRequest hook, so every request parsed the CSP
 * directives and built the middleware chain again: about 3 % of a verification's CPU, as much on /healthz
 * (docs/performance.md, "Verification under load"). Here the middleware is built once, at start; a route
 * that needs another policy (an uploaded document's sandbox) still overrides a header with `reply.header`.
 */
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

export function registerSecurityHeaders(app: FastifyInstance, options: HelmetOptions): void {
  const setHeaders = helmet(options);
  app.addHook('onRequest', (request, reply, done) => {
    setHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });
}
