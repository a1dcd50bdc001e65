import type { BackpackEvents } from '../backpack/backpack.events.ts';
import type { CredentialsEvents } from '../credentials/credentials.events.ts';
import type { IssuingEvents } from '../issuing/issuing.events.ts';
import type { LearnersEvents } from '../learners/learners.events.ts';
import type { EventSubscriptions } from '../platform/events.ts';
import type { InsightFiguresService } from './insight-figures.service.ts';

/**
 * What keeps the overview's counts equal to the live ones, each in the transaction of the change: every write that
 * changes a badge's or an enrolment's count announces it, and the touched programs' days are counted again. Made
 * after the other subscriptions, so the backpack's rows for new awards exist when they are counted.
 */
export function subscribeInsightFigures(
  events: EventSubscriptions<IssuingEvents & CredentialsEvents & BackpackEvents & LearnersEvents>,
  figures: InsightFiguresService,
): void {
  events.subscribe('awards.issued', (trx, { awards }) =>
    figures.onBadgesIssued(
      trx,
      awards.map((a) => a.credentialId),
    ),
  );
  events.subscribe('credential.revoked', (trx, { credentialId }) =>
    figures.onBadgesChanged(trx, [credentialId]),
  );
  events.subscribe('credential.visibility_changed', (trx, { credentialId }) =>
    figures.onBadgesChanged(trx, [credentialId]),
  );
  events.subscribe('badge.acceptance_changed', (trx, { credentialId }) =>
    figures.onBadgesChanged(trx, [credentialId]),
  );
  events.subscribe('enrolments.recorded', (trx, { enrolments }) =>
    figures.onEnrolmentsChanged(
      trx,
      enrolments.map((enrolment) => enrolment.programId),
    ),
  );
}
