import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError, invalid } from '../platform/errors.ts';
import { parseJsonBody, useFastJsonBodies } from '../platform/http/json-body.ts';
import { acceptMultipart } from '../platform/http/multipart.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import { credentialStructureProblems } from './credential-structure.ts';
import { registerPresentationRoutes } from './presentations.routes.ts';
import { MAX_UPLOAD_BYTES } from './read-uploaded-badge.ts';
import { FieldProblems, VerifyResponse, vcApiResponse, verifyLimit } from './vc-api-response.ts';
import { isUnreadable, type VerificationReport, type VerificationService } from './verification.service.ts';
import { VerifyPage } from './verification.views.tsx';

interface Deps {
  verification: VerificationService;
  pageContext: (request: FastifyRequest) => Promise<PageContext>;
  publicUrl: string;
}

/** Errors Fastify and the multipart parser raise for bodies over their limits. */
const TOO_LARGE = new Set([
  'FST_ERR_CTP_BODY_TOO_LARGE',
  'FST_REQ_FILE_TOO_LARGE',
  'FST_FILES_LIMIT',
  'FST_PARTS_LIMIT',
  'FST_FIELDS_LIMIT',
]);
const TOO_LARGE_MESSAGE = `The upload is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB, far more than any badge, so it was not read.`;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);

/**
 * `options.recipientEmail`: an address to compare with the badge's recipient (a Stackable addition to the VC-API
 * options, as Open Badges verifiers ask for it). Absent or blank: no recipient check.
 */
function recipientEmailOf(options: unknown): string | undefined {
  const email = isObject(options) ? options.recipientEmail : undefined;
  if (email === undefined) return undefined;
  if (typeof email !== 'string' || email.length > 320) {
    throw invalid([
      { field: 'body.options.recipientEmail', reason: 'must be an e-mail address of at most 320 characters' },
    ]);
  }
  return email.trim() || undefined;
}

/** Media types of a credential sent as the body itself (VC 2.0 §6.3 and the JSON-LD forms verifiers meet). */
const CREDENTIAL_MEDIA_TYPES = ['application/vc', 'application/vc+ld+json', 'application/ld+json'];

/** The public verify page and the verification API, with upload limits of their own. */
export function registerVerificationRoutes(
  app: HttpServer,
  { verification, pageContext, publicUrl }: Deps,
): void {
  app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    await acceptMultipart(plain, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: MAX_UPLOAD_BYTES, fieldSize: MAX_UPLOAD_BYTES, files: 1, fields: 4, parts: 6 },
    });
    // Every verification parses a whole credential: the same refusals as Fastify's parser, for less CPU.
    useFastJsonBodies(plain);
    scope.addContentTypeParser(
      CREDENTIAL_MEDIA_TYPES,
      { parseAs: 'string', bodyLimit: MAX_UPLOAD_BYTES },
      (_request, body, done) => {
        // Refused as the JSON bodies are (platform/http/json-body.ts): a __proto__ or constructor.prototype key too.
        try {
          done(null, parseJsonBody(String(body)));
        } catch {
          done(
            invalid([
              {
                field: 'body',
                reason: 'is not valid JSON, or holds a __proto__ or constructor.prototype key',
              },
            ]),
          );
        }
      },
    );
    scope.addContentTypeParser(
      ['image/png', 'image/svg+xml', 'application/octet-stream', 'application/jwt', 'application/vc+jwt'],
      { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES },
      (_request, body, done) => done(null, body),
    );
    scope.setErrorHandler(async (error: FastifyError, request, reply) => {
      if (!TOO_LARGE.has(error.code)) throw error;
      if (request.url.startsWith('/verify')) {
        const ctx = await pageContext(request);
        return sendPage(reply, VerifyPage, { ctx, publicUrl, error: TOO_LARGE_MESSAGE }, 413);
      }
      // Handed on to the app's handler, which answers with a problem document.
      throw new AppError('PAYLOAD_TOO_LARGE', TOO_LARGE_MESSAGE);
    });

    registerPresentationRoutes(plain, { verification });

    scope.get(
      '/verify',
      {
        config: { access: 'public' },
        schema: {
          hide: true,
          querystring: Type.Object({
            credential: Type.Optional(Type.String({ maxLength: 2000 })),
            email: Type.Optional(Type.String({ maxLength: 320 })),
          }),
        },
      },
      async (request, reply) => {
        const ctx = await pageContext(request);
        const reference = request.query.credential?.trim();
        if (!reference) return sendPage(reply, VerifyPage, { ctx, publicUrl });
        const email = request.query.email?.trim() || undefined;
        const report = await verification.verifyReference(reference, { recipientEmail: email });
        return sendPage(
          reply,
          VerifyPage,
          { ctx, publicUrl, report, reference, email },
          isUnreadable(report) ? 422 : 200,
        );
      },
    );

    scope.post(
      '/verify',
      {
        // The form's token is in its body (the form is read whole, within the upload limits), never in the address.
        config: { access: 'public', rateLimit: verifyLimit, csrfTokenInBody: true },
        schema: {
          hide: true,
          body: Type.Object({
            _csrf: Type.Optional(Type.String()),
            file: Type.Optional(Type.Unknown()),
            text: Type.Optional(Type.String()),
            email: Type.Optional(Type.String({ maxLength: 320 })),
          }),
        },
      },
      async (request, reply) => {
        const ctx = await pageContext(request);
        const { file, text } = request.body;
        const email = request.body.email?.trim() || undefined;
        const options = { recipientEmail: email };
        let report: VerificationReport;
        if (Buffer.isBuffer(file) && file.length > 0) report = await verification.verifyBytes(file, options);
        else if (typeof file === 'string' && file.trim() !== '') {
          report = await verification.verifyText(file, options);
        } else if (text?.trim()) report = await verification.verifyText(text, options);
        else {
          const error = 'Choose a badge file, or paste a badge, to check it.';
          return sendPage(reply, VerifyPage, { ctx, publicUrl, error }, 400);
        }
        // A long paste is not sent back into the form; the badge data is in the result.
        const pasted = text && text.length <= 20_000 ? text : undefined;
        return sendPage(
          reply,
          VerifyPage,
          { ctx, publicUrl, report, pasted, email },
          isUnreadable(report) ? 422 : 200,
        );
      },
    );

    scope.post(
      '/credentials/verify',
      {
        config: { access: 'public', rateLimit: verifyLimit },
        bodyLimit: MAX_UPLOAD_BYTES,
        schema: {
          tags: ['Credentials'],
          summary:
            'Verify any VC 2.0 credential (Open Badge, endorsement, CLR, other): VC-API { verifiableCredential } ' +
            '(JSON-LD object or VC-JWT string), the credential itself as application/vc, or the raw bytes of a ' +
            'baked PNG/SVG, JSON or JWT. 200 when verified (proof, schema, dates and status hold); 422 with the ' +
            'reasons in errors when not. Issuer trust is reported apart: trusted, issuerTrust and an ' +
            'UntrustedIssuer warning.',
          body: Type.Unknown(),
          response: { 200: VerifyResponse, 400: FieldProblems, 422: VerifyResponse },
        },
      },
      async (request, reply) => {
        const body = request.body;
        let report: VerificationReport;
        if (Buffer.isBuffer(body)) report = await verification.verifyBytes(body);
        else if (typeof body === 'string') report = await verification.verifyText(body);
        else if (isObject(body) && body.verifiableCredential !== undefined) {
          refuseMalformed(body.verifiableCredential, 'verifiableCredential');
          report = await verification.verifyObject(body.verifiableCredential, {
            freshJson: true,
            recipientEmail: recipientEmailOf(body.options),
          });
        } else if (isObject(body) && body['@context'] !== undefined) {
          // The credential itself as the body (application/vc).
          refuseMalformed(body, 'body');
          report = await verification.verifyObject(body, { freshJson: true });
        } else throw invalid([{ field: 'body.verifiableCredential', reason: 'is required' }]);
        if (isUnreadable(report)) {
          const reason = report.checks[0]?.message ?? 'could not be read as a credential';
          throw invalid([{ field: 'verifiableCredential', reason }], reason);
        }
        // The W3C VC-API test suites take 200 for verified and 400/422 for a credential that fails verification.
        const answer = vcApiResponse(report);
        return reply.status(answer.verified ? 200 : 422).send(answer);
      },
    );
  });
}

/**
 * Answers 400 for a JSON-LD credential of the wrong shape (no issuer, a proof without its verification method…):
 * nothing can be verified in it, and the VC-API suites expect a bad request, not a verdict. A VC-JWT string is read
 * and judged by the verifier instead.
 */
function refuseMalformed(credential: unknown, at: string): void {
  if (typeof credential === 'string') return;
  const problems = credentialStructureProblems(credential);
  if (problems.length === 0) return;
  throw invalid(
    problems.map(({ field, reason }) => ({
      field: field === '(credential)' ? at : `${at}.${field}`,
      reason,
    })),
    'The credential is not a well-formed verifiable credential, so it cannot be verified.',
  );
}
