import { Type } from 'typebox';
import type { Database } from '../platform/db/database.ts';
import { isMigrated } from '../platform/db/migrate.ts';
import type { HttpServer } from '../platform/http/server.ts';

const Status = Type.Object({
  status: Type.String(),
  checks: Type.Optional(Type.Record(Type.String(), Type.String())),
});

/** Liveness and readiness for load balancers and orchestrators. */
export function registerHealthRoutes(app: HttpServer, { database }: { database: Database }): void {
  app.get(
    '/healthz',
    {
      config: { access: 'public' },
      schema: { tags: ['health'], summary: 'The process is up', response: { 200: Status } },
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['health'],
        summary: 'The database answers and every migration is applied',
        response: { 200: Status, 503: Status },
      },
    },
    async (_request, reply) => {
      let database_ = 'unreachable';
      let migrations = 'unknown';
      try {
        migrations = (await isMigrated(database.db)) ? 'applied' : 'pending';
        database_ = 'ok';
      } catch (error) {
        app.log.warn({ err: error }, 'readiness check failed');
      }
      const ready = database_ === 'ok' && migrations === 'applied';
      return reply.status(ready ? 200 : 503).send({
        status: ready ? 'ready' : 'not ready',
        checks: { database: database_, migrations },
      });
    },
  );
}
