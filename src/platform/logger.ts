import { pino } from 'pino';
import { blankSecretParameters } from './secret-parameters.ts';

export type Logger = pino.Logger;

/** What a request log line says about the request (Fastify's usual fields). */
interface LoggedRequest {
  method: string;
  url: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/**
 * The one logger. Passed to Fastify so request logs and our own lines share a format. Request URLs lose their
 * one-time tokens (reset, invitation and claim links are opened with GET), so whoever reads the logs cannot
 * use them. `destination` is for tests; lines go to standard output otherwise.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    redact: { paths: ['req.headers.cookie', 'req.headers.authorization', '*.password'], remove: true },
    serializers: {
      req: (request: LoggedRequest) => ({
        method: request.method,
        url: blankSecretParameters(String(request.url)),
        host: request.host,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
