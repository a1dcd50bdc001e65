/**
 * Whether an error means the database could not be reached or answered no more, as opposed to a statement that
 * failed on its own (a constraint, a bug). Only the first is "try again later": callers turn it into a 503, never
 * into a verdict about the data they were reading.
 */

/** Socket errors Node raises when the server is down, unreachable or drops the connection. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs of a server that will not serve: class 08 (connection exception), shutting down or starting up (57P01–
 * 57P03) and too many connections (53300).
 */
const isUnavailableState = (code: string): boolean =>
  code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300';

/**
 * What the drivers say without a code: Kysely after `destroy()`, PGlite after `close()`, and node-postgres and
 * its pool when a connection ends or cannot be had in time.
 */
const CLOSED_MESSAGES = [
  /^driver has already been destroyed$/,
  /^PGlite is closed/,
  /^Connection terminated/,
  /^Client was closed and is not queryable/,
  /^Client has encountered a connection error and is not queryable/,
  /^Cannot use a pool after calling end on the pool/,
  /^timeout exceeded when trying to connect/,
];

/** True when `error` (or an error it wraps) says the database is closed, unreachable or refusing connections. */
export function isConnectionFailure(error: unknown): boolean {
  // A short walk down `cause`: libraries wrap, but never deeply, and a cycle must not hang us.
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || isUnavailableState(code))) return true;
    if (CLOSED_MESSAGES.some((pattern) => pattern.test(current instanceof Error ? current.message : ''))) {
      return true;
    }
    current = current.cause;
  }
  return false;
}
