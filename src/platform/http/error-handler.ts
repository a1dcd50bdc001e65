import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isConnectionFailure } from '../db/connection-failure.ts';
import { neutralDisplay } from '../display.ts';
import { AppError, type ErrorCode, type FieldProblem, unavailable } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { ErrorPage } from './error-page.tsx';
import type { PageContext } from './page-context.ts';
import { sendPage } from './render.ts';

/** Machine callers (the API) get RFC 9457 problem documents; people get pages. */
export function wantsProblemJson(request: FastifyRequest): boolean {
  // An integration presenting credentials is a machine, whatever address it calls.
  if (request.headers.authorization !== undefined) return true;
  const url = request.url;
  if (
    url.startsWith('/api/') ||
    url.startsWith('/credentials') ||
    url.startsWith('/presentations') ||
    url.startsWith('/oauth/') ||
    url.startsWith('/oid4vci/') ||
    url.startsWith('/wallet/exchanges/') ||
    url.startsWith('/healthz') ||
    url.startsWith('/readyz')
  )
    return true;
  const accept = request.headers.accept ?? '';
  return /application\/(problem\+)?json/.test(accept) && !accept.includes('text/html');
}

/**
 * A schema's refusal in people's words, instead of the validator's ("must match pattern \"^[a-z]…\"", "must be
 * equal to one of the allowed values"): what kind of value the field takes, never the rule's text.
 */
function plainReason(keyword: string, params: Record<string, unknown> = {}): string {
  switch (keyword) {
    case 'maxLength':
      return `is too long (at most ${params.limit} characters)`;
    case 'minLength':
      return params.limit === 1 ? 'is required' : `is too short (at least ${params.limit} characters)`;
    case 'maximum':
    case 'exclusiveMaximum':
      return `is too large (at most ${params.limit})`;
    case 'minimum':
    case 'exclusiveMinimum':
      return `is too small (at least ${params.limit})`;
    case 'type':
      return params.type === 'integer' || params.type === 'number'
        ? 'must be a number'
        : 'is not in a form we accept';
    case 'maxItems':
      return `has too many entries (at most ${params.limit})`;
    case 'format':
      return params.format === 'uuid' ? 'does not name anything we know' : 'is not in a form we accept';
    case 'enum':
    case 'const':
    case 'anyOf':
    case 'oneOf':
      return 'is not one of the choices offered';
    default:
      return 'is not in a form we accept';
  }
}

/** Turns any thrown value into an AppError; unknown errors become a generic 500 (and are logged). */
export function toAppError(error: unknown, logger: Logger): AppError {
  if (error instanceof AppError) return error;
  const e = error as FastifyError;
  if (e?.validation) {
    const fields: FieldProblem[] = e.validation.map((v) => {
      const missing = (v.params as { missingProperty?: string } | undefined)?.missingProperty;
      const path = [e.validationContext, v.instancePath.replace(/^\//, '').replaceAll('/', '.'), missing]
        .filter(Boolean)
        .join('.');
      return {
        field: path || String(e.validationContext ?? 'body'),
        reason: missing ? 'is required' : plainReason(v.keyword, v.params as Record<string, unknown>),
      };
    });
    return new AppError('VALIDATION_FAILED', 'Some fields need attention.', fields);
  }
  const status = typeof e?.statusCode === 'number' ? e.statusCode : 500;
  const byStatus: Partial<Record<number, [ErrorCode, string]>> = {
    400: ['BAD_REQUEST', 'The request could not be read. Check its format and try again.'],
    404: ['NOT_FOUND', 'That page could not be found.'],
    403: ['FORBIDDEN', 'That address cannot be opened.'],
    413: ['PAYLOAD_TOO_LARGE', 'The request is larger than this service accepts.'],
    415: ['UNSUPPORTED_MEDIA', 'That content type is not accepted here.'],
    429: ['RATE_LIMITED', 'Too many attempts in a short time. Wait a minute and try again.'],
  };
  const known = byStatus[status];
  if (known) return new AppError(known[0], known[1], [], { cause: error });
  // Our own database out of reach is an outage to wait out (503 with Retry-After), not a fault in the request.
  if (isConnectionFailure(error)) {
    logger.error({ err: error }, 'the database could not be reached');
    return unavailable(
      'This service cannot reach its records just now. Please try again in a minute.',
      error,
    );
  }
  logger.error({ err: error }, 'unexpected error');
  return new AppError('INTERNAL', 'An unexpected error occurred. It has been logged; please try again.', [], {
    cause: error,
  });
}

export function sendProblem(reply: FastifyReply, error: AppError, instance: string): FastifyReply {
  return reply
    .status(error.status)
    .type('application/problem+json')
    .send({
      type: `urn:stackable:problem:${error.code.toLowerCase().replaceAll('_', '-')}`,
      title: error.publicMessage,
      status: error.status,
      code: error.code,
      detail:
        error.fields.length > 0
          ? error.fields.map((f) => `${f.field}: ${f.reason}`).join('; ')
          : error.publicMessage,
      instance,
      ...(error.fields.length > 0 ? { errors: error.fields } : {}),
    });
}

/** How long a client should wait before asking again, for the errors that pass with time. */
const retryAfterSeconds: Partial<Record<ErrorCode, number>> = { RATE_LIMITED: 60, UNAVAILABLE: 30 };

/** Installs the error and not-found handlers. `pageContext` builds the layout's context for error pages. */
export function registerErrorHandling(
  app: FastifyInstance,
  logger: Logger,
  pageContext: (request: FastifyRequest) => Promise<PageContext>,
): void {
  const respond = async (error: AppError, request: FastifyRequest, reply: FastifyReply) => {
    const retryAfter = retryAfterSeconds[error.code];
    // A rate limit already said exactly how long (its own Retry-After); keep that rather than a guess.
    if (retryAfter !== undefined && !reply.hasHeader('retry-after'))
      reply.header('retry-after', String(retryAfter));
    if (wantsProblemJson(request)) return sendProblem(reply, error, request.url);
    if (error.code === 'UNAUTHENTICATED' && request.method === 'GET') {
      return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
    }
    // The layout reads the institution's name. When this request already failed for want of the database, asking
    // again would only wait out a second connection timeout (5 s on a server that hangs rather than refuses), so
    // the page is drawn with neutral names at once; when the layout's own read fails, likewise.
    const ctx =
      error.code === 'UNAVAILABLE'
        ? fallbackContext(request)
        : await pageContext(request).catch((failure: unknown) => {
            if (isConnectionFailure(failure)) return fallbackContext(request);
            throw failure;
          });
    return sendPage(
      reply,
      ErrorPage,
      { ctx, status: error.status, message: error.publicMessage, fields: error.fields },
      error.status,
    );
  };
  app.setErrorHandler(async (error, request, reply) => {
    // A failure on our side raised as an AppError (the database down, say) keeps its cause for the log only.
    if (error instanceof AppError && error.status >= 500) {
      logger.error({ err: error.cause ?? error, code: error.code }, 'request failed on our side');
    }
    return respond(toAppError(error, logger), request, reply);
  });
  app.setNotFoundHandler(async (request, reply) =>
    respond(
      new AppError(
        'NOT_FOUND',
        'That page could not be found. It may have moved, or the address may be mistyped.',
      ),
      request,
      reply,
    ),
  );
}

/** The layout's context when the database cannot be asked for it: anonymous, with neutral names. */
function fallbackContext(request: FastifyRequest): PageContext {
  return {
    actor: null,
    csrfToken: '',
    path: request.url,
    institutionName: 'Stackable',
    institutionShortName: 'Stackable',
    brandColour: '',
    institutionLogoPath: null,
    timeZone: neutralDisplay.timeZone,
    currency: neutralDisplay.currency,
    showSetUpNotice: false,
    isDevelopment: false,
    showAdminLink: false,
    staffNav: [],
  };
}
