import type { SignedOpenBadgeCredential } from '../credentials/credential-types.ts';
import type { BackpackItemRow, RevocationCategory } from './backpack.tables.ts';
import { linkedInAddToProfileUrl } from './linkedin.ts';

/** A stored credential row, as much of it as the backpack shows. */
export interface StoredCredential {
  id: string;
  json: object;
  status: 'active' | 'revoked' | 'suspended';
  status_changed_at: Date | null;
  is_public: boolean;
  recipient_name: string | null;
  program_slug: string;
  valid_from: Date;
  valid_until: Date | null;
}

/** The facts of one badge that every page about it shows. */
export interface BadgeFacts {
  id: string;
  name: string;
  description: string;
  issuerName: string;
  issuerUrl: string | null;
  /** Same-site path of the program's artwork. */
  imagePath: string;
  imageUrl: string;
  imageCaption: string;
  issuedAt: Date;
  expiresAt: Date | null;
  /** Past its validUntil when the page was made: still genuine, but no longer current. */
  isExpired: boolean;
  skills: { name: string; url: string | null }[];
  /** The criteria narrative, one requirement a line (the Markdown list markers taken off). */
  criteria: string[];
  criteriaUrl: string | null;
  status: 'active' | 'revoked' | 'suspended';
  statusChangedAt: Date | null;
  revocationCategory: RevocationCategory | null;
  isPublic: boolean;
  /** The earner's name when the learner lets the page show it. */
  earnerName: string | null;
  showName: boolean;
  pageUrl: string;
  linkedInUrl: string;
}

export const revocationCategoryLabels: Record<RevocationCategory, string> = {
  issued_in_error: 'Issued in error',
  requirements_not_met: 'Requirements found not to be met',
  academic_integrity: 'Academic integrity decision',
  learner_request: 'At the learner’s request',
  other: 'Other reason',
};

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;

/** Reads the facts a page shows from one of our own stored credentials and its backpack record. */
export function badgeFacts(
  row: StoredCredential,
  item: BackpackItemRow | undefined,
  publicUrl: string,
  now: Date,
): BadgeFacts {
  const credential = row.json as SignedOpenBadgeCredential;
  const achievement = credential.credentialSubject?.achievement;
  const name = text(achievement?.name) ?? text(credential.name) ?? 'Badge';
  const issuerName = text(credential.issuer?.name) ?? 'The issuer';
  const imagePath = `/catalog/${encodeURIComponent(row.program_slug)}/badge.png`;
  const pageUrl = `${publicUrl}/badges/${row.id}`;
  const showName = item?.show_name ?? true;
  return {
    id: row.id,
    name,
    description: text(achievement?.description) ?? text(credential.description) ?? '',
    issuerName,
    issuerUrl: text(credential.issuer?.url) ?? null,
    imagePath,
    imageUrl: `${publicUrl}${imagePath}`,
    imageCaption: text(credential.image?.caption) ?? `${name} badge`,
    issuedAt: row.valid_from,
    expiresAt: row.valid_until,
    isExpired: row.valid_until !== null && now.getTime() > row.valid_until.getTime(),
    skills: (achievement?.alignment ?? []).map((a) => ({
      name: a.targetName,
      url: text(a.targetUrl) ?? null,
    })),
    criteria: (achievement?.criteria?.narrative ?? '')
      .split('\n')
      .map((line) => line.replace(/^\s*[-*]\s+/, '').trim())
      .filter((line) => line !== ''),
    criteriaUrl: text(achievement?.criteria?.id) ?? text(achievement?.id) ?? null,
    status: row.status,
    statusChangedAt: row.status_changed_at,
    revocationCategory: item?.revocation_category ?? null,
    isPublic: row.is_public,
    earnerName: showName ? (row.recipient_name ?? item?.learner_name ?? null) : null,
    showName,
    pageUrl,
    linkedInUrl: linkedInAddToProfileUrl({
      name,
      organizationName: issuerName,
      issuedAt: row.valid_from,
      expiresAt: row.valid_until,
      certUrl: pageUrl,
      certId: row.id,
    }),
  };
}
