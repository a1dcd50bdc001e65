import type { Database } from '../platform/db/database.ts';
import { readTogether } from '../platform/db/read-together.ts';
import { isUuid } from '../platform/ids.ts';
import type { OurRecord, OurRecordLookup } from '../verification/verification.service.ts';
import { BackpackRepository } from './backpack.repository.ts';
import type { Acceptance } from './backpack.tables.ts';
import { isSharedBadge } from './badge-sharing.ts';

/**
 * What a verification report says about one of our badges, in one read (every verification of one of our badges
 * asks it): its registered status, public or hidden, and for a public badge the facts shown. The earner is named
 * unless they chose otherwise; a badge issued outside the backpack (no record, no choice made) keeps that default.
 * Handed to the verifier's constructor by the composition root, because the backpack's services are built on the
 * verifier.
 */
export function ourBadgeLookup(database: Database, repository = new BackpackRepository()): OurRecordLookup {
  // Verifications running at the same time share one query (PostgreSQL writes a uuid in lower case).
  const summaryOf = readTogether(
    (ids) => repository.badgeSummaries(database.db, ids),
    (row) => row.id,
  );
  return async (credentialId) => {
    if (!isUuid(credentialId)) return null;
    const row = await summaryOf(credentialId.toLowerCase());
    return row ? ourRecordFrom(row) : null;
  };
}

/** What `ourBadgeLookup` answers, from facts already read (a badge page reads them for itself). */
export function ourRecordFrom(row: {
  id: string;
  recipient_name: string | null;
  status: OurRecord['status'];
  is_public: boolean;
  has_jwt: unknown;
  program_slug: string;
  show_name: boolean | null;
  acceptance: Acceptance | null;
}): OurRecord {
  return {
    status: row.status,
    // A badge its learner has not accepted keeps its page (and their name) private; the file still verifies.
    shown: isSharedBadge({ isPublic: row.is_public, acceptance: row.acceptance })
      ? {
          id: row.id,
          recipientName: (row.show_name ?? true) ? row.recipient_name : null,
          programSlug: row.program_slug,
          status: row.status,
          hasJwt: Boolean(row.has_jwt),
        }
      : null,
  };
}
