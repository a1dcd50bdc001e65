import type { FastifyInstance } from 'fastify';

/** One method on one routed path, as Fastify's router holds it (`/programs/:id/edit`). */
export interface RoutedPath {
  method: string;
  url: string;
}

const LINE = /^((?:[│ ] {3})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/;

/**
 * Every route the app serves, read from Fastify's own printout of its router, so security tests cover routes
 * added later without anyone listing them. Throws when the printout cannot be read, rather than return too few.
 */
export function listRoutes(app: FastifyInstance): RoutedPath[] {
  const printed = app.printRoutes({ commonPrefix: false });
  const prefixes: string[] = [];
  const routes: RoutedPath[] = [];
  for (const line of printed.split('\n')) {
    if (line.trim() === '') continue;
    const match = LINE.exec(line);
    if (!match) throw new Error(`unreadable router line: ${JSON.stringify(line)}`);
    const depth = (match[1] ?? '').length / 4;
    const url = (prefixes[depth - 1] ?? '') + (match[2] ?? '');
    prefixes[depth] = url;
    prefixes.length = depth + 1;
    for (const method of (match[3] ?? '').split(',')) {
      if (method.trim()) routes.push({ method: method.trim(), url });
    }
  }
  if (!routes.some((r) => r.method === 'GET' && r.url === '/')) {
    throw new Error('the router printout no longer reads as expected: no GET /');
  }
  return routes;
}

/** The routes that change state: what CSRF protection must cover. */
export const unsafeRoutes = (app: FastifyInstance) =>
  listRoutes(app).filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method));
