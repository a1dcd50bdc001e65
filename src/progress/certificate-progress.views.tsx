import type { CertificatesService } from '../catalog/certificates.service.ts';
import type { BadgeStanding } from '../catalog/pathway.ts';
import { ProgressMeter } from './progress-parts.tsx';

type LearnerCertificate = Awaited<ReturnType<CertificatesService['learnerCertificates']>>[number];

/** Each badge of a certificate's stack as it counts for this learner, in words (the tag colour is decoration). */
const badgeStandingWords: Record<BadgeStanding | 'missing', string> = {
  held: 'Counts: you hold this badge',
  earned: 'Counts once issued: requirements met',
  enrolled: 'Under way: you are enrolled',
  missing: 'Missing: not started',
};

/**
 * The certificates the learner's badges stack into, on their progress page: which badges count, which are
 * missing (each linked to its program), the courses the certificate adds, and the next step.
 */
export function CertificatesProgress({ certificates }: { certificates: readonly LearnerCertificate[] }) {
  if (certificates.length === 0) return null;
  return (
    <section aria-labelledby="certificates-title">
      <h2 id="certificates-title">Certificates your badges count toward</h2>
      <p>
        A certificate stacks several badges (and sometimes extra courses) into a larger award. The badges you
        hold or are working on count toward these.
      </p>
      <div class="progress-list">
        {certificates.map((item) => (
          <CertificateCard key={item.pathway.slug} item={item} />
        ))}
      </div>
    </section>
  );
}

function CertificateCard({ item }: { item: LearnerCertificate }) {
  const { pathway, personal } = item;
  const { summary, standing } = personal;
  const headingId = `certificate-${pathway.slug}`;
  const required = pathway.courses.filter((course) => course.isRequired);
  const missingCourses = required.filter((course) => !standing.completedCourses.has(course.code));
  const done = Math.min(summary.badgesDone, summary.badgesNeeded);
  const percent = summary.badgesNeeded === 0 ? 100 : Math.round((done / summary.badgesNeeded) * 100);
  const awarder = pathway.isTranscripted ? 'the registrar' : 'the credentials office';
  return (
    <section class="card progress-card" aria-labelledby={headingId}>
      <h3 id={headingId}>
        <a href={`/catalog/certificates/${pathway.slug}`}>{pathway.title}</a>
      </h3>
      <ProgressMeter percent={percent} label={`Badges toward ${pathway.title}`} />
      <p>
        Badges: {done} of {summary.badgesNeeded} counted
        {summary.badgesInProgress > 0 ? `, ${summary.badgesInProgress} under way` : ''}
        {pathway.badgesRequired !== null && pathway.badgesRequired < pathway.stack.length
          ? ` (any ${pathway.badgesRequired} of the ${pathway.stack.length} below)`
          : ''}
        .
      </p>
      <ul class="checklist">
        {pathway.stack.map((badge) => {
          const state = standing.badges.get(badge.slug);
          const counts = state === 'held' || state === 'earned';
          return (
            <li key={badge.slug} class={counts ? 'is-met' : 'is-open'}>
              <span class="check-mark" aria-hidden="true">
                {counts ? '✓' : '○'}
              </span>
              <a href={`/catalog/${badge.slug}`}>{badge.title}</a>: {badgeStandingWords[state ?? 'missing']}
            </li>
          );
        })}
      </ul>
      {required.length > 0 ? (
        missingCourses.length === 0 ? (
          <p>Every course the certificate adds is done.</p>
        ) : (
          <p>
            Courses the certificate adds, still to take:{' '}
            {missingCourses.map((course) => `${course.code} ${course.title}`).join('; ')}.
          </p>
        )
      ) : null}
      <p>
        <strong>Next:</strong> <NextText item={item} awarder={awarder} />
      </p>
    </section>
  );
}

function NextText({ item, awarder }: { item: LearnerCertificate; awarder: string }) {
  const next = item.personal.summary.next;
  switch (next.kind) {
    case 'badge':
      return (
        <>
          work on <a href={`/catalog/${next.slug}`}>{next.title}</a>.
        </>
      );
    case 'course':
      return (
        <>
          take {next.code} {next.title}.
        </>
      );
    case 'electives':
      return <>choose {next.credits} more credits from the certificate's electives.</>;
    case 'apply':
      return <>you have every piece: ask {awarder} to award the certificate.</>;
  }
}
