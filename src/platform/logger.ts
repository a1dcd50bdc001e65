import { pino } from 'pino';

export type Logger = pino.Logger;

/** The one logger. Passed to Fastify so request logs and our own lines share a format. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: { paths: ['req.headers.cookie', 'req.headers.authorization', '*.password'], remove: true },
  });
}
