/**
 * What a learner may bring into their backpack from another issuer, decided from the verifier's report alone
 * (pure, so every rule is tested without a network). A badge comes in only when it holds up (valid proof, nothing
 * failed) and is not addressed to somebody else; one of ours is already in the backpack, so it is sent there.
 */
import { createHash } from 'node:crypto';
import { holdsUp } from '../verification/verdict.ts';
import type { VerificationReport } from '../verification/verification.service.ts';
import type { StoredCheck } from './backpack.tables.ts';

/** The record of an accepted import, without who imported it and the bytes. */
export interface ImportedBadgeFacts {
  fingerprint: string;
  format: VerificationReport['format'];
  title: string;
  claimedIssuerName: string | null;
  signer: string | null;
  trustLevel: 'known' | 'unknown';
  trustMessage: string;
  issuedOn: string | null;
  recipientConfirmed: boolean;
  checks: StoredCheck[];
}

export type ImportDecision = { ok: true; facts: ImportedBadgeFacts } | { ok: false; reason: string };

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
const first = (value: unknown): unknown => (Array.isArray(value) ? value[0] : value);

/** The day part of an ISO date-time, when the value is one. */
const dayOf = (value: unknown): string | null => {
  const given = text(value);
  return given && /^\d{4}-\d{2}-\d{2}/.test(given) ? given.slice(0, 10) : null;
};

/** Title, issuer name and date as the credential states them, in Open Badges 3.0 or 2.0 shape. */
export function describeCredential(credential: unknown): {
  title: string | null;
  issuerName: string | null;
  issuedOn: string | null;
  id: string | null;
} {
  if (!isObject(credential)) return { title: null, issuerName: null, issuedOn: null, id: null };
  const subject = first(credential.credentialSubject);
  if (isObject(subject)) {
    const achievement = isObject(subject.achievement) ? subject.achievement : {};
    const issuer = credential.issuer;
    return {
      title: text(achievement.name) ?? text(credential.name),
      issuerName: isObject(issuer) ? text(issuer.name) : null,
      issuedOn: dayOf(credential.validFrom) ?? dayOf(credential.issuanceDate),
      id: text(credential.id),
    };
  }
  // Open Badges 2.0: the verifier hands back the assertion with its BadgeClass and issuer Profile inside.
  const badge = isObject(credential.badge) ? credential.badge : {};
  const issuer = isObject(badge.issuer) ? badge.issuer : {};
  return {
    title: text(badge.name),
    issuerName: text(issuer.name),
    issuedOn: dayOf(credential.issuedOn),
    id: text(credential.id),
  };
}

/** Why a badge that does not hold up stays out, in the verifier's own words for each failed check. */
const failedReasons = (report: VerificationReport) =>
  report.checks
    .filter((check) => check.status === 'failed' && check.id !== 'recipient')
    .map((check) => check.message)
    .join(' ');

/**
 * Decides on one report. `content` fingerprints a badge that carries no id of its own (a hosted 2.0 assertion
 * always has one: its address).
 */
export function decideImport(report: VerificationReport, content: Uint8Array): ImportDecision {
  const format = report.checks.find((check) => check.id === 'format');
  if (format?.status === 'failed') return { ok: false, reason: format.message };
  if (report.issuerTrust.level === 'ours') {
    return {
      ok: false,
      reason:
        'This badge was issued here, so it is already in the backpack of the person it was issued to: claim it ' +
        'from its e-mail, or sign in with the address it was sent to.',
    };
  }
  const recipient = report.checks.find((check) => check.id === 'recipient');
  if (recipient?.status === 'failed') {
    return {
      ok: false,
      reason: `This badge was issued to someone else: none of your e-mail addresses is its recipient. ${recipient.message}`,
    };
  }
  if (!holdsUp(report.checks)) {
    return {
      ok: false,
      reason: `This badge does not hold up, so it was not added. ${failedReasons(report)}`.trim(),
    };
  }
  return { ok: true, facts: factsOf(report, content) };
}

/** What is kept of a report: also after a later check, when the badge may since have been revoked or expired. */
export function factsOf(report: VerificationReport, content: Uint8Array): ImportedBadgeFacts {
  const described = describeCredential(report.credential);
  return {
    fingerprint: described.id ?? `sha256:${createHash('sha256').update(content).digest('hex')}`,
    format: report.format,
    title: described.title ?? 'A badge without a title',
    claimedIssuerName: described.issuerName ?? report.issuerTrust.claimedName,
    signer: report.issuerTrust.signer,
    trustLevel: report.issuerTrust.level === 'known' ? 'known' : 'unknown',
    trustMessage: report.issuerTrust.message,
    issuedOn: described.issuedOn,
    recipientConfirmed: report.checks.some((check) => check.id === 'recipient' && check.status === 'passed'),
    checks: report.checks.map(({ id, status, message }) => ({ id, status, message })),
  };
}

/** Whether the badge held up when last checked: no check failed. */
export const heldUp = (checks: readonly StoredCheck[]): boolean =>
  checks.every((check) => check.status !== 'failed');
