import { Type } from 'typebox';
import { holdsUp, isVerifiedAndTrusted } from './verdict.ts';
import type { VerificationReport } from './verification.service.ts';
import type { Check } from './verification-types.ts';

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
/** Machine-readable kinds of problem that clients are expected to act on. */
export const UNTRUSTED_ISSUER = 'UntrustedIssuer';

export const Problem = Type.Object({
  check: CheckName,
  message: Type.String(),
  type: Type.Optional(
    Type.Literal(UNTRUSTED_ISSUER, {
      description:
        'UntrustedIssuer: the signature is valid, but the signer is not this institution and no administrator ' +
        'here trusts it (issuerTrust says who it is).',
    }),
  ),
});

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
      'As VC 2.0 means it: the proof is valid and no check failed (schema, dates, status, and the recipient when ' +
      'options.recipientEmail was given). Whether the issuer is known is not part of it: see trusted, ' +
      'issuerTrust and the UntrustedIssuer warning. A badge that uses the name of this institution without its ' +
      'key, or whose signer is not the issuer it names, fails the issuer check and is not verified.',
  }),
  trusted: Type.Boolean({
    description:
      'Stackable extension: verified, and signed by this institution or by an issuer an administrator trusts ' +
      '(issuerTrust.level ours or known). Read it when only known issuers count.',
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

type ProblemEntry = { check: Check['id']; message: string; type?: typeof UNTRUSTED_ISSUER };

const problemOf = ({ id, status, message }: Check): ProblemEntry =>
  // The issuer check warns only about a valid signature by a signer nobody here knows.
  id === 'issuer' && status === 'warning'
    ? { check: id, message, type: UNTRUSTED_ISSUER }
    : { check: id, message };

/**
 * The W3C VC-API verification response, with Stackable's per-check detail kept alongside. `verified` follows the
 * specification (verdict.ts `holdsUp`); issuer trust is reported apart, as `trusted`, `issuerTrust` and an
 * `UntrustedIssuer` warning. When the credential is not verified, `errors` always says why: the failed checks, or
 * else the signature that could not be checked.
 */
export function vcApiResponse(report: VerificationReport) {
  const verified = holdsUp(report.checks);
  const pick = (status: string) => report.checks.filter((check) => check.status === status).map(problemOf);
  const failed = pick('failed');
  const why = report.checks
    .filter((check) => check.id === 'proof' && check.status !== 'passed')
    .map(problemOf);
  return {
    verified,
    trusted: isVerifiedAndTrusted(report.checks, report.issuerTrust),
    issuerTrust: report.issuerTrust,
    checks: report.checks.filter((check) => check.status === 'passed').map((check) => check.id),
    warnings: pick('warning'),
    errors: verified || failed.length > 0 ? failed : why,
    details: report.checks,
    source: report.source,
    ours: report.ours,
  };
}
