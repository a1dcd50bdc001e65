/** Pieces the learner's and the staff's progress pages share. */
import type { FieldProblem } from '../platform/errors.ts';
import type { ProgressState } from './enrolment-progress.ts';
import type { BadgeRequestStatus } from './progress.tables.ts';

export const stateLabels: Record<ProgressState, string> = {
  complete: 'Complete',
  close: 'Nearly there',
  in_progress: 'In progress',
  stalled: 'Stalled',
  not_started: 'Not started',
  unreadable: 'Cannot be evaluated',
};

export const requestLabels: Record<BadgeRequestStatus, string> = {
  requested: 'Requested, waiting for a decision',
  approved: 'Approved, waiting to be issued',
  returned: 'Returned to the learner',
  issued: 'Issued',
  withdrawn: 'Withdrawn',
};

/** 'November 25, 2026' for a calendar day or a moment (read in UTC, as the evaluation day is). */
export function formatDay(value: string | Date): string {
  const date = typeof value === 'string' ? new Date(`${value.slice(0, 10)}T00:00:00Z`) : value;
  if (Number.isNaN(date.getTime())) return String(value);
  return date.toLocaleDateString('en-US', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  });
}

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

/** A labelled multi-line text box with its hint and error wired up for screen readers. */
export function TextArea(props: {
  id: string;
  name: string;
  label: string;
  hint?: string;
  value?: string;
  error?: FieldProblem;
  required?: boolean;
  rows?: number;
}) {
  const described = [props.hint ? `${props.id}-hint` : '', props.error ? `${props.id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div>
      <label for={props.id}>
        {props.label}
        {props.hint ? (
          <span class="hint" id={`${props.id}-hint`}>
            {props.hint}
          </span>
        ) : null}
      </label>
      <textarea
        id={props.id}
        name={props.name}
        rows={props.rows ?? 3}
        maxLength={2000}
        required={props.required}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={described || undefined}
      >
        {props.value ?? ''}
      </textarea>
      {props.error ? (
        <p class="field-error" id={`${props.id}-error`}>
          {props.label} {props.error.reason}.
        </p>
      ) : null}
    </div>
  );
}

/** A green "done" notice after a form was saved. */
export function SavedNotice({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <div class="notice notice-ok" role="status">
      <p>{message}</p>
    </div>
  );
}
