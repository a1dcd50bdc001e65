import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

/** Sends a CSV file to be saved, never cached: exports and reports hold personal data. */
export function sendCsv(reply: FastifyReply, fileName: string, csv: string | Readable) {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .header('cache-control', 'no-store')
    .send(csv);
}

/**
 * The file name of one export batch, by the day it was made: `bursar-export-2026-11-25-1a2b3c4d.csv`, or
 * `bursar-export-2026-11-25-empty.csv` for an export that found nothing new (and so made no batch).
 */
export const batchFileName = (kind: string, made: Date, batchId: string | null): string =>
  `${kind}-${made.toISOString().slice(0, 10)}-${batchId ? batchId.slice(0, 8) : 'empty'}.csv`;
