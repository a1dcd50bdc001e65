import { formatMoment } from '../../platform/http/moment.ts';
import { checkIssuer } from '../check-issuer.ts';
import { decideIssuerTrust, type IssuerTrust } from '../issuer-trust.ts';
import { isOwnSideFailure } from '../own-side-failure.ts';
import { isObject, type JsonObject } from '../read-presented-badge.ts';
import { isVerifiedAndTrusted } from '../verdict.ts';
import type { Check, CheckStatus, VerificationResult } from '../verification-types.ts';
import { checkSigned, safeHeader, signedStanding } from './check-signed-ob2.ts';
import { hostedScopeProblem } from './hosted-scope.ts';
import {
  BadgeProblem,
  check,
  type Gathered,
  idOf,
  type LoadedDocument,
  type Ob2Deps,
  WEB_ADDRESS,
} from './ob2-common.ts';
import { assertionProblems, badgeClassProblems, issuerProblems, parseOb2DateTime } from './ob2-shape.ts';
import { isOb2Assertion, type Ob2Presented, verificationKind } from './read-ob2.ts';

export type { LoadedDocument, Ob2Deps };

import { checkRecipient } from './recipient-check.ts';

const unverifiedTrust = (message: string): IssuerTrust => ({
  level: 'unverified',
  signer: null,
  name: null,
  claimedName: null,
  usesOurName: false,
  message,
});

/**
 * Verifies an Open Badges 2.0 assertion, hosted or signed, and reports the same six checks as a 3.0 badge (plus
 * the recipient when an address was given). Hosted: the assertion is fetched from its id (the copy handed over only
 * names that address), its BadgeClass and issuer Profile are fetched from theirs, and the id must lie where the
 * Profile says its assertions live. Signed: the JWS is checked with a key the issuer Profile lists and that names
 * the Profile as its owner, and the Profile's revocation list is read. Bad input never throws; only a failure of our
 * own side does.
 */
export async function verifyOb2(presented: Ob2Presented, deps: Ob2Deps): Promise<VerificationResult> {
  if (presented.via === 'unusable') return unreadable(presented.message, 'ob2-hosted');
  const format = presented.via === 'hosted' ? 'ob2-hosted' : 'ob2-signed';
  let assertion: JsonObject | null = presented.via === 'signed' ? presented.assertion : null;
  let hostRevocation: string | null = null;
  if (presented.via === 'hosted') {
    const loaded = await deps.load(presented.url);
    if (!loaded.ok && loaded.status === 410) {
      hostRevocation = `Revoked: the issuer's site answers that this badge is gone (HTTP 410) at ${presented.url}.`;
      return earlyEnd(format, presented.given, 'skipped', 'Not checked, because the badge was revoked.', {
        status: hostRevocation,
      });
    }
    if (!loaded.ok) {
      if (!presented.given)
        return unreadable(`The badge at ${presented.url} could not be loaded: ${loaded.problem}`, format);
      return earlyEnd(
        format,
        presented.given,
        'failed',
        `The hosted assertion could not be loaded: ${loaded.problem}`,
      );
    }
    if (loaded.value.id !== presented.url) {
      return earlyEnd(
        format,
        presented.given ?? loaded.value,
        'failed',
        `The document at ${presented.url} gives its id as ${String(loaded.value.id ?? 'nothing')}: a hosted assertion must be served at its own id.`,
      );
    }
    if (!isOb2Assertion(loaded.value)) {
      if (!presented.given)
        return unreadable(`${presented.url} does not hold an Open Badges 2.0 assertion.`, format);
      return earlyEnd(
        format,
        presented.given,
        'failed',
        `${presented.url} does not hold an Open Badges 2.0 assertion.`,
      );
    }
    assertion = loaded.value;
    if (assertion.revoked === true) {
      const reason =
        typeof assertion.revocationReason === 'string'
          ? ` The reason given: ${assertion.revocationReason}`
          : '';
      hostRevocation = `Revoked by its issuer.${reason}`;
    }
  }
  if (!assertion) return unreadable('No assertion was given.', format);

  let gathered: Gathered | null = null;
  let proof: Check;
  try {
    const linked = await loadLinked(assertion, deps);
    gathered = { assertion, ...linked };
    proof =
      presented.via === 'hosted'
        ? checkHosted(presented.url, gathered)
        : await checkSigned(presented.jws, gathered, deps);
  } catch (error) {
    if (isOwnSideFailure(error)) throw error;
    const detail =
      error instanceof BadgeProblem ? error.message : `This check could not be completed: ${String(error)}`;
    proof = check('proof', 'failed', detail);
  }

  const formatCheck = check(
    'format',
    'passed',
    presented.via === 'hosted'
      ? `An Open Badges 2.0 assertion, hosted by its issuer at ${presented.url}.`
      : `An Open Badges 2.0 assertion, signed as a JWS (${String(safeHeader(presented.jws)?.alg ?? 'no algorithm')}).`,
  );
  const problems = [
    ...assertionProblems(assertion),
    ...(gathered ? [...badgeClassProblems(gathered.badgeClass), ...issuerProblems(gathered.profile)] : []),
  ];
  const schema =
    problems.length === 0
      ? check(
          'schema',
          'passed',
          'The assertion, its badge class and its issuer profile carry every property Open Badges 2.0 requires.',
        )
      : hostRevocation
        ? check('schema', 'skipped', 'Not checked: a revoked hosted assertion need carry only its id.')
        : check('schema', 'failed', `Not valid Open Badges 2.0: ${problems.join('; ')}.`);
  const dates = checkOb2Dates(assertion, deps.now, deps.timeZone);
  let status: Check;
  if (hostRevocation) status = check('status', 'failed', hostRevocation);
  else if (proof.status !== 'passed' || !gathered) {
    status = check(
      'status',
      'skipped',
      "Not checked, because the badge could not be confirmed as its issuer's.",
    );
  } else status = presented.via === 'hosted' ? hostedStanding() : await signedStanding(gathered, deps);

  const profile = gathered?.profile;
  const profileId = typeof profile?.id === 'string' ? profile.id : null;
  let issuerTrust = decideIssuerTrust({
    proofPassed: proof.status === 'passed',
    signerDid: proof.status === 'passed' ? profileId : null,
    issuerId: profileId,
    claimedName: typeof profile?.name === 'string' ? profile.name : null,
    ourDids: deps.ourIssuerIds,
    ourName: deps.ourName,
    knownIssuer: deps.knownIssuer,
  });
  // A hosted badge is vouched for by the site serving it, not by a signature.
  if (presented.via === 'hosted')
    issuerTrust = { ...issuerTrust, message: issuerTrust.message.replace(/^Signed by /, 'Published by ') };
  const issuer = checkIssuer(issuerTrust, proof.status);
  const checks = [formatCheck, schema, proof, dates, status, issuer];
  if (deps.recipientEmail?.trim()) checks.push(checkRecipient(assertion.recipient, deps.recipientEmail));
  const verified = isVerifiedAndTrusted(checks, issuerTrust);
  const credential = gathered
    ? { ...assertion, badge: { ...gathered.badgeClass, issuer: gathered.profile } }
    : assertion;
  return { verified, issuerTrust, credential, format, checks };
}

function unreadable(message: string, format: VerificationResult['format']): VerificationResult {
  const skipped = 'Not checked, because the badge could not be read.';
  return {
    verified: false,
    issuerTrust: unverifiedTrust('The badge could not be read, so nobody can be named as its issuer.'),
    format,
    checks: [
      check('format', 'failed', message),
      ...(['schema', 'proof', 'dates', 'status', 'issuer'] as const).map((id) =>
        check(id, 'skipped', skipped),
      ),
    ],
  };
}

/** A result for a badge whose hosting failed before its issuer could be found. */
function earlyEnd(
  format: VerificationResult['format'],
  given: JsonObject | null,
  proofStatus: CheckStatus,
  proofMessage: string,
  overrides: { status?: string } = {},
): VerificationResult {
  const skipped = "Not checked, because the badge could not be confirmed as its issuer's.";
  return {
    verified: false,
    issuerTrust: unverifiedTrust('Nothing confirms who issued this badge.'),
    credential: given ?? undefined,
    format,
    checks: [
      check('format', 'passed', 'An Open Badges 2.0 assertion, hosted by its issuer.'),
      check('schema', 'skipped', skipped),
      check('proof', proofStatus, proofMessage),
      check('dates', 'skipped', skipped),
      overrides.status ? check('status', 'failed', overrides.status) : check('status', 'skipped', skipped),
      check('issuer', 'skipped', skipped),
    ],
  };
}

/**
 * A linked document: loaded from its address when it has a web one (the issuer's copy is the one that counts, not
 * an embedded copy anyone could write), otherwise the embedded document itself.
 */
async function linkedDocument(reference: unknown, label: string, deps: Ob2Deps): Promise<JsonObject> {
  const id = idOf(reference);
  if (id && WEB_ADDRESS.test(id)) {
    const loaded = await deps.load(id);
    if (!loaded.ok) throw new BadgeProblem(`The ${label} could not be loaded: ${loaded.problem}`);
    if (loaded.value.id !== id) {
      throw new BadgeProblem(
        `The ${label} at ${id} gives its id as ${String(loaded.value.id ?? 'nothing')}.`,
      );
    }
    return loaded.value;
  }
  if (isObject(reference)) return reference;
  throw new BadgeProblem(`The ${label} is neither a web address nor a document.`);
}

async function loadLinked(assertion: JsonObject, deps: Ob2Deps) {
  const badgeClass = await linkedDocument(assertion.badge, 'badge class', deps);
  const issuerId = idOf(badgeClass.issuer);
  if (!issuerId || !WEB_ADDRESS.test(issuerId)) {
    throw new BadgeProblem('The issuer profile has no web address, so nothing shows who issued this badge.');
  }
  const profile = await linkedDocument(badgeClass.issuer, 'issuer profile', deps);
  return { badgeClass, profile };
}

function checkHosted(url: string, { assertion, badgeClass, profile }: Gathered): Check {
  if (verificationKind(assertion) !== 'hosted') {
    throw new BadgeProblem('The assertion served at its address does not declare hosted verification.');
  }
  const problem = hostedScopeProblem(url, profile, idOf(badgeClass.id));
  if (problem) return check('proof', 'failed', problem);
  return check(
    'proof',
    'passed',
    `Served at its own address (${url}), where its issuer profile says its badges are published.`,
  );
}

function hostedStanding(): Check {
  return check('status', 'passed', 'Its issuer still serves it and does not mark it revoked.');
}

/** issuedOn and expires: an assertion issued in the future, or past its expiry, fails. */
function checkOb2Dates(assertion: JsonObject, now: Date, timeZone = 'UTC'): Check {
  const issued = parseOb2DateTime(assertion.issuedOn);
  const expires = assertion.expires === undefined ? null : parseOb2DateTime(assertion.expires);
  if (!issued) return check('dates', 'failed', "This badge's issuedOn is not a valid date and time.");
  if (assertion.expires !== undefined && !expires)
    return check('dates', 'failed', "This badge's expires is not a valid date and time.");
  if (now < issued)
    return check(
      'dates',
      'failed',
      `This badge says it was issued on ${formatMoment(issued, timeZone)}, which is still to come.`,
    );
  if (expires && now > expires)
    return {
      ...check('dates', 'failed', `This badge expired on ${formatMoment(expires, timeZone)}.`),
      expired: true,
    };
  const until = expires ? `, until ${formatMoment(expires, timeZone)}` : ' and does not expire';
  return check('dates', 'passed', `This badge was issued on ${formatMoment(issued, timeZone)}${until}.`);
}
