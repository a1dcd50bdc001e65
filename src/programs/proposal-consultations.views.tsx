import type { FieldProblem } from '../platform/errors.ts';
import { CsrfField } from '../platform/http/forms.tsx';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { formatMoment } from './format.ts';
import { fieldLabelOf } from './program-fields.ts';
import type { ProgramPagesService } from './program-pages.service.ts';
import { consultationResponseLabels } from './proposal-consultations.service.ts';

type ProgramPageData = Awaited<ReturnType<ProgramPagesService['programPage']>>;
type Consultation = ProgramPageData['consultations'][number];

/** Fields that live on the program page itself rather than in the proposal form. */
const onThisPage: Readonly<Record<string, string>> = { signers: '#signers', consultation: '#consultation' };

/** Where a missing item is filled in: the proposal form's field, or the section of this page. */
export const missingItemHref = (programId: string) => (field: string) =>
  onThisPage[field] ?? `/programs/${programId}/edit#${field}`;

/** For the lead of a draft: what is still missing before signatures can be asked for, each item a link. */
export function StillMissing({ page }: { page: ProgramPageData }) {
  if (page.program.status !== 'draft' || !page.isLead) return null;
  if (page.stillMissing.length === 0) {
    return <p>The proposal is complete: you can ask for signatures.</p>;
  }
  const href = missingItemHref(page.program.id);
  return (
    <Notice kind="warn">
      <h3 id="still-missing">Still missing before you can ask for signatures</h3>
      <ul aria-labelledby="still-missing">
        {page.stillMissing.map((m) => (
          <li key={`${m.field}:${m.reason}`}>
            <a href={href(m.field)}>
              {fieldLabelOf(m.field)} {m.reason}
            </a>
          </li>
        ))}
      </ul>
    </Notice>
  );
}

function responseWords(c: Consultation): string {
  if (!c.response) return 'Waiting for a response';
  const by =
    c.recorded_by && c.recorded_by !== c.consultee_user_id && c.recorded_by_name
      ? `, recorded by ${c.recorded_by_name} on their behalf`
      : '';
  return `${consultationResponseLabels[c.response]} (${formatMoment(c.responded_at!)}${by})`;
}

/** Consultation as the proposal's first step, shown at the head of the approval chain. */
export function ConsultationStep({ consultations }: { consultations: readonly Consultation[] }) {
  const heard = consultations.filter((c) => c.response !== null).length;
  return (
    <>
      <h3>Consultation</h3>
      {consultations.length === 0 ? (
        <p class="muted">No one has been named to consult.</p>
      ) : (
        <ol class="steps" aria-label="Consultation">
          {consultations.map((c) => (
            <li key={c.id} class={`step step-${c.response ? 'approved' : 'next'}`}>
              <strong>{c.name}</strong>: {responseWords(c)}
              {c.response_text ? <span class="muted"> — “{c.response_text}”</span> : null}
            </li>
          ))}
        </ol>
      )}
      {consultations.length > 0 ? (
        <p class="muted">
          {heard} of {consultations.length} consulted have responded.
        </p>
      ) : null}
    </>
  );
}

/** The consultation section: who is consulted and their responses, and the forms to name and record them. */
export function ConsultationSection({
  ctx,
  page,
  problem,
}: {
  ctx: PageContext;
  page: ProgramPageData;
  problem?: { message: string; fields: FieldProblem[] } | undefined;
}) {
  const id = page.program.id;
  const error = (field: string) => problem?.fields.find((f) => f.field === field);
  const fieldError = (field: string) => {
    const e = error(field);
    return e ? (
      <p class="field-error" id={`${field}-error`}>
        {fieldLabelOf(field)} {e.reason}.
      </p>
    ) : null;
  };
  const describedBy = (field: string, hint?: string) =>
    [hint, error(field) ? `${field}-error` : undefined].filter(Boolean).join(' ') || undefined;
  return (
    <>
      <h2 id="consultation">Consultation</h2>
      <p class="muted">
        People consulted on the proposal (the online education manager, partner departments, employers) and
        what they said. Signatures are asked for once everyone named has responded.
      </p>
      {page.consultations.length === 0 ? (
        <p class="muted">No one named yet.</p>
      ) : (
        <ul class="notes">
          {page.consultations.map((c) => (
            <li key={c.id}>
              <p>
                <strong>{c.name}</strong> <span class="muted">({c.email})</span>
                {c.topic ? <> on {c.topic}</> : null}: {responseWords(c)}
              </p>
              {c.response_text ? <p class="pre-line">{c.response_text}</p> : null}
              {c.recordAs ? (
                <form method="post" action={`/programs/${id}/consultees/${c.id}/response`} class="stack wide">
                  <CsrfField token={ctx.csrfToken} />
                  <fieldset>
                    <legend>
                      {c.recordAs === 'own' ? 'Your response' : `Record ${c.name}’s response on their behalf`}
                    </legend>
                    <div class="choices">
                      {Object.entries(consultationResponseLabels).map(([value, label]) => (
                        <label class="choice" key={value}>
                          <input type="radio" name="response" value={value} required /> {label}
                        </label>
                      ))}
                    </div>
                  </fieldset>
                  <div>
                    <label for={`response_text-${c.id}`}>
                      {c.recordAs === 'own' ? 'Your comments' : 'Their response in their words'}
                    </label>
                    <span class="hint" id={`response_text-${c.id}-hint`}>
                      Required for concerns or a comment.
                    </span>
                    <textarea
                      id={`response_text-${c.id}`}
                      name="response_text"
                      rows={3}
                      aria-describedby={`response_text-${c.id}-hint`}
                    />
                  </div>
                  <div>
                    <button type="submit" class="button-secondary">
                      Record the response<span class="visually-hidden"> of {c.name}</span>
                    </button>
                  </div>
                </form>
              ) : null}
              {page.canManageConsultees && !c.response ? (
                <form method="post" action={`/programs/${id}/consultees/${c.id}/remove`} class="inline-form">
                  <CsrfField token={ctx.csrfToken} />
                  <button type="submit" class="button button-small button-secondary">
                    Remove<span class="visually-hidden"> {c.name}</span>
                  </button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {page.canManageConsultees ? (
        <form method="post" action={`/programs/${id}/consultees`} class="stack wide">
          <CsrfField token={ctx.csrfToken} />
          <h3>Name someone to consult</h3>
          <div class="form-row">
            <div>
              <label for="consultee_email">Consultee’s e-mail address</label>
              <span class="hint" id="consultee_email-hint">
                Someone with an account here records their own response.
              </span>
              <input
                id="consultee_email"
                name="consultee_email"
                type="email"
                required
                aria-describedby={describedBy('consultee_email', 'consultee_email-hint')}
                aria-invalid={error('consultee_email') ? 'true' : undefined}
              />
              {fieldError('consultee_email')}
            </div>
            <div>
              <label for="consultee_name">Consultee’s name</label>
              <span class="hint" id="consultee_name-hint">
                Needed only for someone outside; you then record their response.
              </span>
              <input
                id="consultee_name"
                name="consultee_name"
                type="text"
                aria-describedby={describedBy('consultee_name', 'consultee_name-hint')}
                aria-invalid={error('consultee_name') ? 'true' : undefined}
              />
              {fieldError('consultee_name')}
            </div>
          </div>
          <div>
            <label for="consultee_topic">What to consult them on</label>
            <span class="hint" id="consultee_topic-hint">
              Optional: for example market analysis, costs or credit options.
            </span>
            <input
              id="consultee_topic"
              name="consultee_topic"
              type="text"
              aria-describedby={describedBy('consultee_topic', 'consultee_topic-hint')}
            />
            {fieldError('consultee_topic')}
          </div>
          <div>
            <button type="submit" class="button-secondary">
              Add the consultee
            </button>
          </div>
        </form>
      ) : null}
    </>
  );
}
