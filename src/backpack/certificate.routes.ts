import { Type } from 'typebox';
import { sendPdf } from '../platform/http/pdf-download.ts';
import type { HttpServer } from '../platform/http/server.ts';
import type { CertificatesService } from './certificates.service.ts';

/** The printable certificate of a badge, beside its public page and open to the same people. */
export function registerCertificateRoutes(
  app: HttpServer,
  { certificates }: { certificates: CertificatesService },
) {
  app.get(
    '/badges/:id/certificate.pdf',
    {
      config: { access: 'public' },
      schema: { hide: true, params: Type.Object({ id: Type.String({ maxLength: 64 }) }) },
    },
    async (request, reply) => {
      const { pdf, fileName } = await certificates.certificate(request.actor, request.params.id);
      return sendPdf(reply, fileName, pdf);
    },
  );
}
