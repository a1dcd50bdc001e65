import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { invalid } from '../platform/errors.ts';
import type { HttpServer } from '../platform/http/server.ts';
import { MAX_UPLOAD_BYTES } from './read-uploaded-badge.ts';
import { FieldProblems, VerifyResponse, vcApiResponse, verifyLimit } from './vc-api-response.ts';
import type { VerificationService } from './verification.service.ts';
import { MAX_PRESENTED_CREDENTIALS, type PresentationReport } from './verify-presentation.ts';

const PresentationCheck = Type.Object({
  id: Type.Union([
    Type.Literal('format'),
    Type.Literal('proof'),
    Type.Literal('challenge'),
    Type.Literal('domain'),
    Type.Literal('holder'),
  ]),
  status: Type.Union([
    Type.Literal('passed'),
    Type.Literal('failed'),
    Type.Literal('warning'),
    Type.Literal('skipped'),
  ]),
  message: Type.String(),
});

/** The answer to a presentation: its own checks, each credential's answer as /credentials/verify gives it. */
const VerifyPresentationResponse = Type.Object({
  verified: Type.Boolean({
    description: "True only when the presentation's checks pass and every credential in it is verified.",
  }),
  presentationResult: Type.Object({
    verified: Type.Boolean(),
    proofless: Type.Boolean({
      description: 'Sent as `presentation`, without a proof: only its credentials count.',
    }),
    signer: Type.Union([Type.String(), Type.Null()], {
      description: "The DID whose key made a valid holder's proof.",
    }),
    checks: Type.Array(PresentationCheck, {
      description:
        'format, proof (eddsa-rdfc-2022 with proofPurpose authentication, or the VP-JWT signature), challenge ' +
        '(a VP-JWT answers it in nonce), domain (in aud), holder.',
    }),
  }),
  credentialResults: Type.Array(VerifyResponse, {
    description: 'One per credential, in order, exactly as POST /credentials/verify answers for it.',
  }),
  errors: Type.Array(
    Type.Object({
      path: Type.String({
        description:
          'verifiablePresentation (or presentation), or verifiablePresentation.verifiableCredential[i]',
      }),
      check: Type.String(),
      message: Type.String(),
    }),
    { description: 'Why it is not verified: never empty when verified is false.' },
  ),
  verifiablePresentation: Type.Optional(
    Type.Unknown({ description: 'The presentation, only when options.returnPresentation is true.' }),
  ),
});

const Options = Type.Object(
  {
    challenge: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 512,
        description: 'The holder’s proof must carry exactly this.',
      }),
    ),
    domain: Type.Optional(
      Type.String({ minLength: 1, maxLength: 512, description: 'The holder’s proof must be made for this.' }),
    ),
    returnPresentation: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: true },
);

/** `errors`: the presentation's failed checks, then each unverified credential's reasons, each with where it is. */
function errorsOf(report: PresentationReport<ReturnType<typeof vcApiResponse>>, root: string) {
  const own = report.presentationResult.checks
    .filter((check) => check.status === 'failed')
    .map(({ id, message }) => ({ path: root, check: id, message }));
  const inner = report.credentialResults.flatMap((result, index) =>
    result.errors.map(({ check, message }) => ({
      path: `${root}.verifiableCredential[${index}]`,
      check,
      message,
    })),
  );
  return [...own, ...inner];
}

/** `POST /presentations/verify` (W3C VC-API), registered in the verification routes' scope to share its limits. */
export function registerPresentationRoutes(
  app: HttpServer,
  { verification }: { verification: VerificationService },
) {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/presentations/verify',
    {
      config: { access: 'public', rateLimit: verifyLimit },
      bodyLimit: MAX_UPLOAD_BYTES,
      schema: {
        tags: ['Credentials'],
        summary:
          'Verify a VC 2.0 verifiable presentation: the holder’s eddsa-rdfc-2022 authentication proof (did:key, or ' +
          'did:web when the network is allowed), or a VP-JWT (typ vp+jwt, EdDSA/ES256/ES384/RS256, as a compact JWT or ' +
          'an EnvelopedVerifiablePresentation), options.challenge and options.domain when given, and every ' +
          `credential in it (at most ${MAX_PRESENTED_CREDENTIALS}) as POST /credentials/verify does. A presentation ` +
          'without a proof is accepted only as the VC-API proofless request { presentation }. 200 when verified; ' +
          '422 with the reasons in errors when not; 400 when the body holds no readable presentation.',
        body: Type.Object({
          verifiablePresentation: Type.Optional(
            Type.Unknown({
              description:
                'A presentation with a proof, an EnvelopedVerifiablePresentation (data:application/vp+jwt,…) or ' +
                'a compact VP-JWT.',
            }),
          ),
          presentation: Type.Optional(
            Type.Unknown({
              description: 'A proofless presentation (VC-API ProoflessVerifyPresentationRequest).',
            }),
          ),
          options: Type.Optional(Options),
        }),
        response: { 200: VerifyPresentationResponse, 400: FieldProblems, 422: VerifyPresentationResponse },
      },
    },
    async (request, reply) => {
      const { verifiablePresentation, presentation, options = {} } = request.body;
      const proofless = verifiablePresentation === undefined;
      if (proofless && presentation === undefined) {
        throw invalid([
          {
            field: 'body.verifiablePresentation',
            reason: 'is required (or presentation, when it has no proof)',
          },
        ]);
      }
      if (!proofless && presentation !== undefined) {
        throw invalid([
          { field: 'body', reason: 'holds both verifiablePresentation and presentation; send one' },
        ]);
      }
      const root = proofless ? 'presentation' : 'verifiablePresentation';
      const reading = await verification.verifyPresentation(
        proofless ? presentation : verifiablePresentation,
        {
          proofless,
          challenge: options.challenge,
          domain: options.domain,
        },
      );
      if (!reading.ok)
        throw invalid(
          [{ field: reading.field, reason: reading.reason }],
          `The ${reading.field} ${reading.reason}.`,
        );
      const report = {
        ...reading.report,
        credentialResults: reading.report.credentialResults.map(vcApiResponse),
      };
      // As for credentials: 200 for verified, 422 with the reasons for a presentation that fails verification.
      return reply.status(report.verified ? 200 : 422).send({
        ...report,
        errors: errorsOf(report, root),
        // The VC-API: returned when asked for, and only then.
        ...(options.returnPresentation === true
          ? { verifiablePresentation: proofless ? presentation : verifiablePresentation }
          : {}),
      });
    },
  );
}
