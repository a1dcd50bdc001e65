import type { FastifyRequest } from 'fastify';

/** `scheme://host[:port]` of an absolute address, normalised the way browsers write Origin; null if unreadable. */
function originOf(address: string): string | null {
  try {
    const origin = new URL(address).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/**
 * Did the browser tell us this request was started by a page of another site? Trusted only for requests that
 * carry cookies: browsers set these headers themselves and pages cannot forge them.
 *
 * - `Sec-Fetch-Site: cross-site` or `same-site` is foreign. Same-site matters: a page on a sibling subdomain is
 *   "same-site" and SameSite=Lax cookies go along with its forms.
 * - An `Origin` other than ours is foreign; so is `Origin: null` (sandboxed frames, some redirects), which hides
 *   where the request came from. Ours is the origin of PUBLIC_URL, or the scheme and Host the request was sent
 *   to: in development people open the site as localhost, 127.0.0.1 or a LAN address, and a browser only sends
 *   an Origin equal to the Host it is talking to when the page itself was served from there.
 * - No `Origin` (older browsers, some same-origin GET-turned-POST flows) is decided by the token alone.
 */
export function isForeignRequest(request: FastifyRequest, ownOrigin: string): boolean {
  const site = String(request.headers['sec-fetch-site'] ?? '').toLowerCase();
  if (site === 'cross-site' || site === 'same-site') return true;
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  const claimed = originOf(origin);
  if (claimed === null) return true;
  return claimed !== ownOrigin && claimed !== originOf(`${request.protocol}://${request.host}`);
}
