import type { FastifyInstance } from 'fastify';
import { errorCodes } from 'fastify';
import secureJson from 'secure-json-parse';

/**
 * Bodies parsed here whose text held no `\u` escape: JSON can carry a NUL only as `\u0000` (a raw control character
 * is invalid JSON), so nothing in them, key or value, holds one and the NUL guard need not walk them again.
 */
const nulFree = new WeakSet<object>();

/** Whether `body` came from JSON text with no escape at all, and so holds no NUL anywhere (see input-guards.ts). */
export const isKnownNulFree = (body: unknown): boolean =>
  typeof body === 'object' && body !== null && nulFree.has(body);

/** Fastify's own choice, kept: a `__proto__` key or a `constructor` with a `prototype` refuses the body. */
const POISONING = { protoAction: 'error', constructorAction: 'error' } as const;

/**
 * Parses a JSON body exactly as Fastify's default parser does (secure-json-parse, refusing prototype poisoning), for
 * less. secure-json-parse parses, then runs two regular expressions over the whole text looking for `"__proto__":`
 * and `"constructor":`, each letter literal or `\u` escaped. A text with neither word and no `\u` escape cannot
 * match either expression, so its parse is final; any other text goes through secure-json-parse itself, which
 * decides as before. The same one look for `\u` tells the NUL guard the body holds no NUL.
 */
export function parseJsonBody(text: string): unknown {
  if (text.length === 0) throw new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY();
  try {
    if (text.includes('\\u') || text.includes('__proto__') || text.includes('constructor')) {
      return secureJson.parse(text, POISONING);
    }
    // secure-json-parse drops a byte order mark before parsing; so does this.
    const value: unknown = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    if (typeof value === 'object' && value !== null) nulFree.add(value);
    return value;
  } catch {
    throw new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY();
  }
}

/**
 * Replaces Fastify's default `application/json` parser in `scope` (an encapsulated plugin) with parseJsonBody, under
 * the server's body limit as before; a route's own `bodyLimit` still wins.
 */
export function useFastJsonBodies(scope: FastifyInstance): void {
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: scope.initialConfig.bodyLimit },
    (_request, body, done) => {
      try {
        done(null, parseJsonBody(body as string));
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );
}
