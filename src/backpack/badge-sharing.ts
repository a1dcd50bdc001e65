/**
 * When a badge counts as shared: its learner accepted it and its page is public. Before accepting (or after
 * declining) nothing about the badge is shown, and a badge whose learner hid its page is seen by nobody else. A badge
 * issued outside the backpack has no answer on record and keeps the default, accepted, as its public page does.
 * The SQL twin of this rule is `badgeSharing` in backpack.queries.ts; the insight figures count with it.
 */
import type { Acceptance } from './backpack.tables.ts';

export function isSharedBadge(badge: {
  isPublic: boolean;
  acceptance: Acceptance | null | undefined;
}): boolean {
  return badge.isPublic && (badge.acceptance ?? 'accepted') === 'accepted';
}
