/**
 * The security headers every response carries (CSP, HSTS, frame, referrer…), as helmet's middleware sets them.
 *
 * @fastify/helmet 13 calls `helmet(options)` inside its onRequest hook, so every request parsed the CSP
 * directives and built the middleware chain again: about 3 % of a verification's CPU, as much on /healthz
 * (docs/performance.md, "Verification under load"). Here helmet runs once, at start, on a response that records
 * what it does, and every request gets the same headers set in the same order (a percent of a verification's CPU
 * went on running helmet's thirteen middleware functions per request). Options holding a function (a CSP nonce,
 * say) could differ per request, so with those helmet still runs on every request. A route that needs another
 * policy (an uploaded document's sandbox) still overrides a header with `reply.header`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/** One thing helmet does to a response. */
export type HeaderStep = { set: string; value: string | number | readonly string[] } | { remove: string };

/** The headers every page and answer of ours carries; `secure` when the public address is https. */
export const ourSecurityHeaders = (secure: boolean): HelmetOptions => ({
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      styleSrc: ["'self'", "'unsafe-inline'"],
      scriptSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      upgradeInsecureRequests: secure ? [] : null,
    },
  },
  hsts: secure,
  crossOriginEmbedderPolicy: false,
  // Not helmet's no-referrer: under it browsers send `Origin: null` with our own forms, and the CSRF check
  // refuses a null origin. same-origin keeps addresses (and the upload forms' tokens) from other sites all the same.
  referrerPolicy: { policy: 'same-origin' },
});

export function registerSecurityHeaders(app: FastifyInstance, options: HelmetOptions): void {
  const steps = holdsFunction(options) ? null : securityHeaderSteps(options);
  if (!steps) {
    const setHeaders = helmet(options);
    app.addHook('onRequest', (request, reply, done) => {
      setHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
    });
    return;
  }
  app.addHook('onRequest', (_request, reply, done) => {
    applyHeaderSteps(reply.raw, steps);
    done();
  });
}

/** Replays recorded steps on a response. */
export function applyHeaderSteps(response: ServerResponse, steps: readonly HeaderStep[]): void {
  for (const step of steps) {
    if ('set' in step) response.setHeader(step.set, step.value);
    else response.removeHeader(step.remove);
  }
}

/**
 * What helmet's middleware does to a response with these options, in order. Throws when helmet does not finish at
 * once or reads the request, for then its steps are not the same for every request.
 */
export function securityHeaderSteps(options: HelmetOptions): HeaderStep[] {
  const steps: HeaderStep[] = [];
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      steps.push({ set: name, value });
      return recorder;
    },
    removeHeader(name: string) {
      steps.push({ remove: name });
    },
  };
  const request = new Proxy(
    {},
    {
      get(_target, property) {
        throw new Error(
          `helmet read the request (${String(property)}), so its headers may differ per request`,
        );
      },
    },
  );
  let finished = false;
  helmet(options)(request as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
    finished = true;
  });
  if (!finished) throw new Error('helmet did not finish at once, so its headers cannot be recorded');
  return steps;
}

/** Whether any value in the options is a function (computed per request). */
function holdsFunction(value: unknown): boolean {
  if (typeof value === 'function') return true;
  if (typeof value !== 'object' || value === null) return false;
  return Object.values(value).some(holdsFunction);
}
