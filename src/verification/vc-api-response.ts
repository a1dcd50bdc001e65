import { Type } from 'typebox';
import type { VerificationReport } from './verification.service.ts';

// The public verification API's shared pieces: its rate limit, its response schemas and their presenter.

// Verification runs signature checks; a generous limit still stops one client from monopolising them.
export const verifyLimit = { max: 120, timeWindow: '1 minute' };

export const CheckName = Type.Union([
  Type.Literal('format'),
  Type.Literal('schema'),
  Type.Literal('proof'),
  Type.Literal('dates'),
  Type.Literal('status'),
  Type.Literal('issuer'),
  Type.Literal('recipient'),
]);
export const Problem = Type.Object({ check: CheckName, message: Type.String() });

/** Who really signed the badge: read this, not the badge's own `issuer.name`, to know who vouches for it. */
const IssuerTrust = Type.Object(
  {
    level: Type.Union(
      [Type.Literal('ours'), Type.Literal('known'), Type.Literal('unknown'), Type.Literal('unverified')],
      {
        description:
          'ours: signed with a key of this institution; known: signed by an issuer an administrator trusts; ' +
          'unknown: validly signed by a DID nobody here vouches for; unverified: no valid signature.',
      },
    ),
    signer: Type.Union([Type.String(), Type.Null()], {
      description: 'The DID whose key made the valid signature (null when no signature held).',
    }),
    name: Type.Union([Type.String(), Type.Null()], {
      description: "This institution's name (ours) or the trusted name (known); null otherwise.",
    }),
    claimedName: Type.Union([Type.String(), Type.Null()], {
      description: 'The name the badge gives its issuer, vouched for only by its signer.',
    }),
    usesOurName: Type.Boolean({
      description: "The badge calls its issuer by this institution's name but was not signed by it.",
    }),
    message: Type.String({ description: 'The sentence every interface leads with.' }),
  },
  { description: 'Who signed the badge, and whether this site knows them.' },
);

/** The VC-API verification response; declared, so /docs shows it and it is written by a compiled serializer. */
export const VerifyResponse = Type.Object({
  verified: Type.Boolean({
    description:
      'True only when the signature is valid, no check failed and the signer is this institution or a known ' +
      'issuer (issuerTrust.level ours or known). A valid signature by an unknown signer is not verified.',
  }),
  issuerTrust: IssuerTrust,
  checks: Type.Array(CheckName, { description: 'The checks that passed.' }),
  warnings: Type.Array(Problem),
  errors: Type.Array(Problem),
  details: Type.Array(
    Type.Object({
      id: CheckName,
      status: Type.Union([
        Type.Literal('passed'),
        Type.Literal('failed'),
        Type.Literal('warning'),
        Type.Literal('skipped'),
      ]),
      message: Type.String(),
    }),
    {
      description:
        'All six checks in order, each with a sentence a person can read; then "recipient" when options.recipientEmail was given.',
    },
  ),
  source: Type.Union([
    Type.Null(),
    Type.Literal('png'),
    Type.Literal('svg'),
    Type.Literal('json'),
    Type.Literal('jwt'),
    Type.Literal('link'),
  ]),
  ours: Type.Union([
    Type.Null(),
    Type.Object(
      {
        id: Type.String(),
        recipientName: Type.Union([Type.String(), Type.Null()]),
        programSlug: Type.String(),
        status: Type.Union([Type.Literal('active'), Type.Literal('revoked'), Type.Literal('suspended')]),
      },
      { description: 'Our record of the badge, when this institution issued it and it is public.' },
    ),
  ]),
});

/** The problem document of a request that held no readable credential. */
export const FieldProblems = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  code: Type.String(),
  detail: Type.String(),
  errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), reason: Type.String() }))),
});

/**
 * The W3C VC-API verification response, with Stackable's per-check detail kept alongside. When the credential is
 * not verified, `errors` always says why: the failed checks, or else what kept it from being verified (an unknown
 * signer, a signature that could not be checked).
 */
export function vcApiResponse(report: VerificationReport) {
  const pick = (status: string) =>
    report.checks
      .filter((check) => check.status === status)
      .map(({ id, message }) => ({ check: id, message }));
  const failed = pick('failed');
  const why = report.checks
    .filter((check) => (check.id === 'proof' || check.id === 'issuer') && check.status !== 'passed')
    .map(({ id, message }) => ({ check: id, message }));
  return {
    verified: report.verified,
    issuerTrust: report.issuerTrust,
    checks: report.checks.filter((check) => check.status === 'passed').map((check) => check.id),
    warnings: pick('warning'),
    errors: report.verified || failed.length > 0 ? failed : why,
    details: report.checks,
    source: report.source,
    ours: report.ours,
  };
}
