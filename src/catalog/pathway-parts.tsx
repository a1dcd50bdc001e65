import { Notice } from '../platform/http/notice.tsx';
import { creditTypeLabels, formatCredits } from '../programs/program-vocabulary.ts';
import { creditsPhrase } from './catalog.format.ts';
import type { PathwayBadge, PersonalStanding } from './certificates.service.ts';
import type { BadgeStanding, CreditPlan, ExtraCourse, NextStep } from './pathway.ts';

const standingLabels: Record<BadgeStanding, string> = {
  held: 'You hold this badge',
  earned: 'Requirements met: badge on its way',
  enrolled: 'You are enrolled',
};

/** One micro-credential in the drawn stack, with the learner's standing when there is one. */
export function StackBadge(props: {
  badge: PathwayBadge;
  isTranscripted: boolean;
  standing?: BadgeStanding;
}) {
  const { badge: b, standing } = props;
  return (
    <li>
      <p class="kicker">Micro-credential</p>
      <h3>
        <a href={`/catalog/${b.slug}`}>{b.title}</a>
      </h3>
      <p>{b.summary}</p>
      <p class="tags">
        <span class="tag">{formatCredits(b.creditsMin, b.creditsMax)}</span>
        <span class="tag tag-accent">{creditTypeLabels[b.creditType]}</span>
        {b.isPilot ? <span class="tag">Pilot</span> : null}
        {standing ? (
          <span class={standing === 'enrolled' ? 'tag' : 'tag progress-state-complete'}>
            {standingLabels[standing]}
          </span>
        ) : null}
      </p>
      {props.isTranscripted && b.creditType !== 'credit' ? (
        <p class="muted">
          {b.creditType === 'hybrid'
            ? 'Take it for credit for it to count toward this certificate.'
            : 'A non-credit badge: it shows the skills, but its workshops carry no academic credit.'}
        </p>
      ) : null}
    </li>
  );
}

/** The extra courses, with a column for the learner's record when signed in. */
export function ExtraCourses(props: {
  id: string;
  caption: string;
  courses: ExtraCourse[];
  personal: PersonalStanding | null;
}) {
  const { personal } = props;
  return (
    <div class="table-wrap">
      <table id={props.id}>
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Course</th>
            <th scope="col">Title</th>
            <th scope="col">Credits</th>
            {personal ? <th scope="col">Your record</th> : null}
          </tr>
        </thead>
        <tbody>
          {props.courses.map((c) => (
            <tr key={c.code}>
              <td>{c.code}</td>
              <td>{c.title}</td>
              <td>{c.credits}</td>
              {personal ? (
                <td>{personal.standing.completedCourses.has(c.code) ? 'Completed' : 'Not yet'}</td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function NextStepText({ next, awarder }: { next: NextStep; awarder: string }) {
  switch (next.kind) {
    case 'badge':
      return (
        <>
          Work on <a href={`/catalog/${next.slug}`}>{next.title}</a>.
        </>
      );
    case 'course':
      return (
        <>
          Take {next.code} {next.title}.
        </>
      );
    case 'electives':
      return <>Choose {creditsPhrase(next.credits)} more from the electives.</>;
    case 'apply':
      return <>You have every piece: ask {awarder} to award the certificate.</>;
  }
}

/** The signed-in learner's place on the pathway. Only ever rendered on private (uncached) responses. */
export function PersonalProgress(props: { personal: PersonalStanding; plan: CreditPlan; awarder: string }) {
  const s = props.personal.summary;
  return (
    <Notice kind="info" as="section" aria-labelledby="your-progress">
      <h2 id="your-progress">Your progress</h2>
      <ul>
        <li>
          Micro-credentials: {s.badgesDone} of {s.badgesNeeded} done
          {s.badgesInProgress > 0 ? `, ${s.badgesInProgress} under way` : ''}
        </li>
        {s.requiredCourses > 0 ? (
          <li>
            Required courses: {s.requiredCoursesDone} of {s.requiredCourses} completed
          </li>
        ) : null}
        {props.plan.electiveCredits > 0 ? (
          <li>
            Electives: {Math.min(s.electiveCreditsDone, s.electiveCreditsNeeded)} of {s.electiveCreditsNeeded}{' '}
            credits completed
          </li>
        ) : null}
      </ul>
      <p>
        <strong>Next:</strong> <NextStepText next={s.next} awarder={props.awarder} />
      </p>
    </Notice>
  );
}
