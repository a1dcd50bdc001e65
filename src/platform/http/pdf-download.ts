import type { FastifyReply } from 'fastify';

/**
 * Sends a PDF to be saved under `fileName`. Never cached by the browser or a proxy: reports and certificates are
 * made from records that change (a badge can be revoked), and some name people.
 */
export function sendPdf(reply: FastifyReply, fileName: string, pdf: Buffer) {
  return reply
    .type('application/pdf')
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .header('cache-control', 'no-store')
    .send(pdf);
}
