import { CsrfField } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { countOf } from '../platform/words.ts';
import { formatMoment } from './format.ts';
import { ProblemSummary } from './program-form.views.tsx';
import { programStateLabels } from './program-vocabulary.ts';
import type { ProgramRow } from './programs.repository.ts';

/**
 * The confirmation step before a program is retired: what retiring does, who is told, the reason (required)
 * and an explicit confirmation. Reached from the program page's "Retire the program" link.
 */
export function RetireProgramPage(props: {
  ctx: PageContext;
  program: Pick<ProgramRow, 'id' | 'title' | 'status'>;
  learners: number;
  reason?: string | undefined;
  errors?: { field: string; reason: string }[] | undefined;
  message?: string | undefined;
}) {
  const { ctx, program } = props;
  const errors = props.errors ?? [];
  const reasonError = errors.find((e) => e.field === 'comment' || e.field === 'reason');
  const confirmError = errors.find((e) => e.field === 'confirm');
  const title = `Retire ${program.title}`;
  return (
    <Layout ctx={ctx} title={title}>
      <p>
        <a href={`/programs/${program.id}`}>Back to the program</a>
      </p>
      <h1>{title}</h1>
      <ProblemSummary errors={errors} message={props.message} />
      <p>
        The program is now <strong>{programStateLabels[program.status]}</strong>. Retiring it:
      </p>
      <ul>
        <li>closes it to new learners and marks it “no longer offered” in the catalog;</li>
        <li>
          lets the {countOf(props.learners, 'learner')} in progress finish and still receive the badge, and
          tells each of them by e-mail;
        </li>
        <li>tells the program lead and the credentials office, with your reason.</li>
      </ul>
      <p>
        It can be reinstated afterwards until a learner who was in progress withdraws; from then on the
        program has to be proposed again.
      </p>
      <form method="post" action={`/programs/${program.id}/retire`} class="stack wide">
        <CsrfField token={ctx.csrfToken} />
        <div>
          <label for="reason">Reason for retiring</label>
          <span class="hint" id="reason-hint">
            Required. It is sent to the lead and the credentials office and kept in the history.
          </span>
          <textarea
            id="reason"
            name="reason"
            rows={4}
            required
            aria-describedby={reasonError ? 'reason-hint reason-error' : 'reason-hint'}
            aria-invalid={reasonError ? 'true' : undefined}
          >
            {props.reason ?? ''}
          </textarea>
          {reasonError ? (
            <p class="field-error" id="reason-error">
              Reason {reasonError.reason}.
            </p>
          ) : null}
        </div>
        <div>
          <input
            type="checkbox"
            id="confirm"
            name="confirm"
            value="yes"
            aria-describedby={confirmError ? 'confirm-error' : undefined}
            aria-invalid={confirmError ? 'true' : undefined}
          />{' '}
          <label for="confirm">I understand that new learners can no longer enrol once it is retired.</label>
          {confirmError ? (
            <p class="field-error" id="confirm-error">
              Confirmation {confirmError.reason}.
            </p>
          ) : null}
        </div>
        <div class="button-row">
          <button type="submit">Retire the program</button>
          <a href={`/programs/${program.id}`}>Keep it offered</a>
        </div>
      </form>
    </Layout>
  );
}

/**
 * On the program page: the way to retire it (a link to the confirmation step), why a lead cannot retire an
 * established program alone, and for a retired one the reason and whether it can still be reinstated.
 */
export function RetirementNotes({
  page,
}: {
  page: {
    program: { id: string; status: ProgramRow['status'] };
    actions: readonly { action: string }[];
    isLead: boolean;
    retirement?: { reason: string; retired_at: Date; retired_by_name: string | null } | undefined;
    reinstateRefusal?: string | undefined;
  };
}) {
  const { program } = page;
  const mayRetire = page.actions.some((a) => a.action === 'retire');
  return (
    <>
      {mayRetire ? (
        <p>
          <a href={`/programs/${program.id}/retire`}>Retire the program…</a>
        </p>
      ) : null}
      {!mayRetire && page.isLead && program.status === 'established' ? (
        <p>
          An established program is retired by the credentials office or an administrator, not by its lead
          alone: ask them if it should be retired.
        </p>
      ) : null}
      {page.retirement ? (
        <p>
          Retired on {formatMoment(page.retirement.retired_at)} by{' '}
          {page.retirement.retired_by_name ?? 'someone'}. Reason: {page.retirement.reason}
          {page.reinstateRefusal ? ` ${page.reinstateRefusal}.` : ''}
        </p>
      ) : null}
    </>
  );
}
