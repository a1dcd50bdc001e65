/** Pieces the learner's and the staff's progress pages share. */
import type { FieldProblem } from '../platform/errors.ts';
import { TextAreaField } from '../platform/http/forms.tsx';
import { formatDay } from '../platform/http/moment.ts';
import { Notice } from '../platform/http/notice.tsx';
import { awardStatusLabels } from './award-status.ts';
import type { PendingGrade, ProgressState } from './enrolment-progress.ts';
import type { BadgeRequestStatus } from './progress.tables.ts';

export const stateLabels: Record<ProgressState, string> = {
  complete: 'Complete',
  close: 'Nearly there',
  in_progress: 'In progress',
  stalled: 'Stalled',
  not_started: 'Not started',
  unreadable: 'Cannot be evaluated',
};

/**
 * A request's own status in a request's history, in the words of the award status (award-status.ts); an issued
 * request says only that, since its badge's later standing is the award status's to tell.
 */
export const requestLabels: Record<BadgeRequestStatus, string> = {
  requested: awardStatusLabels.requested,
  approved: awardStatusLabels.approved,
  returned: awardStatusLabels.returned,
  issued: 'Issued',
  withdrawn: awardStatusLabels.withdrawn,
};

/** 'November 25, 2026': the platform's one day format, used by every page. */
export { formatDay } from '../platform/http/moment.ts';

/** The status in words; the tag's border style differs too, but the words carry the meaning. */
export function StateTag({ state }: { state: ProgressState }) {
  return (
    <span class={`tag progress-state progress-state-${state.replace('_', '-')}`}>{stateLabels[state]}</span>
  );
}

/** An accessible progress bar: the native element (named for the program) plus the same figure in text. */
export function ProgressMeter({ percent, label }: { percent: number; label: string }) {
  return (
    <div class="meter">
      <progress max={100} value={percent} aria-label={label}>
        {percent}%
      </progress>
      <span class="meter-text">{percent}% complete</span>
    </div>
  );
}

/** The rule's top-level requirements, each marked done or not in words (the tick is decoration). */
export function Checklist({ items }: { items: { summary: string; met: boolean }[] }) {
  if (items.length === 0) return null;
  return (
    <ul class="checklist">
      {items.map((item, index) => (
        <li key={index} class={item.met ? 'is-met' : 'is-open'}>
          <span class="check-mark" aria-hidden="true">
            {item.met ? '✓' : '○'}
          </span>
          <span class="visually-hidden">{item.met ? 'Done: ' : 'Not yet: '}</span>
          {item.summary}
        </li>
      ))}
    </ul>
  );
}

/**
 * Grades on record for a term that has not ended: named, so a learner who sees a course still "needed" knows
 * its grade arrived and counts from the term's last day without anyone doing anything.
 */
export function PendingGrades({ grades }: { grades: PendingGrade[] }) {
  if (grades.length === 0) return null;
  return (
    <Notice kind="info">
      <p>Graded, pending term end (these count once the term is over):</p>
      <ul>
        {grades.map((grade) => (
          <li key={`${grade.course}|${grade.countsFrom}`}>
            {grade.course}
            {grade.term ? ` (${grade.term})` : ''}: counts from {formatDay(grade.countsFrom)}
          </li>
        ))}
      </ul>
    </Notice>
  );
}

/** The platform's text box, given its one problem (if any); several forms on a page give each an `id`. */
export function TextArea({
  error,
  ...props
}: {
  id: string;
  name: string;
  label: string;
  hint?: string;
  value?: string;
  error?: FieldProblem;
  required?: boolean;
  rows?: number;
}) {
  return (
    <TextAreaField {...props} maxLength={2000} errors={error ? [{ ...error, field: props.name }] : []} />
  );
}

/** A green "done" notice after a form was saved. */
export function SavedNotice({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <Notice kind="ok">
      <p>{message}</p>
    </Notice>
  );
}
