import { actionLabel } from '../audit/action-labels.ts';
import type { FieldProblem } from '../platform/errors.ts';
import { Pager } from '../platform/http/filters.tsx';
import { CsrfField } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { formatDay } from '../platform/http/moment.ts';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { formatCents } from '../platform/money.ts';
import { countOf } from '../platform/words.ts';
import { describeRule } from '../requirements/index.ts';
import { formatBytes, formatMoment, issuingOfficeLabels, statusLabel } from './format.ts';
import { DocumentList, FullProposalAnswersView } from './full-proposal.views.tsx';
import type { FullProposalView } from './full-proposals.service.ts';
import type { PeriodicReviewsService } from './periodic-reviews.service.ts';
import type { PilotReviewsService } from './pilot-reviews.service.ts';
import { ProposedChange, type ProposedChangeView } from './program-change.views.tsx';
import { ProblemSummary } from './program-form.views.tsx';
import type { ProgramPagesService } from './program-pages.service.ts';
import type { StepProgress } from './program-state.ts';
import type { ProgramState } from './program-vocabulary.ts';
import {
  creditTypeLabels,
  deliveryModeLabels,
  enrolmentPathLabels,
  formatCredits,
  isApproved,
  levelLabels,
  programStates,
  programStateWords,
} from './program-vocabulary.ts';
import { NEEDS_ANOTHER_APPROVER } from './programs.policy.ts';
import {
  ConsultationSection,
  ConsultationStep,
  missingItemHref,
  StillMissing,
} from './proposal-consultations.views.tsx';
import { proposalFileLabels } from './proposal-files.ts';
import { RetirementNotes } from './retirement.views.tsx';

type ProgramList = Awaited<ReturnType<ProgramPagesService['listPage']>>['programs'];
type ProgramPageData = Awaited<ReturnType<ProgramPagesService['programPage']>>;
type PilotSummary = Awaited<ReturnType<PilotReviewsService['pilotSummary']>>;
type PeriodicSummary = Awaited<ReturnType<PeriodicReviewsService['summary']>>;

function DoneNotice({ text }: { text?: string | undefined }) {
  return text ? (
    <Notice kind="ok">
      <p>{text}</p>
    </Notice>
  ) : null;
}

const personName = (label: string) => label.replace(/ <[^>]*>$/, '');

/** The staff list of programs: a lead's own, or every program for the offices that review them. */
export function ProgramsListPage(props: {
  ctx: PageContext;
  programs: ProgramList;
  paging: { page: number; pages: number; total: number };
  status?: ProgramState | undefined;
  /** From the programs policy, through the service: the page shows what they allow and decides nothing. */
  isStaff: boolean;
  canStartProposal: boolean;
  canSeeOverdue: boolean;
}) {
  const { ctx, programs } = props;
  return (
    <Layout ctx={ctx} title="Programs">
      <h1>{props.isStaff ? 'Programs' : 'My programs and proposals'}</h1>
      <ul class="link-row">
        {props.canStartProposal ? (
          <li>
            <a class="button" href="/programs/new">
              Start a new proposal
            </a>
          </li>
        ) : null}
        <li>
          <a href="/inbox">My inbox</a>
        </li>
        {props.canSeeOverdue ? (
          <li>
            <a href="/programs/overdue">Overdue and upcoming reviews</a>
          </li>
        ) : null}
      </ul>
      {props.isStaff ? (
        <form method="get" action="/programs" class="filters">
          <div>
            <label for="status">Status</label>
            <select id="status" name="status">
              <option value="">Any status</option>
              {programStates.map((s) => (
                <option key={s} value={s} selected={props.status === s}>
                  {statusLabel(s)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="button button-secondary">
            Show
          </button>
        </form>
      ) : null}
      {programs.length === 0 ? (
        <p>No programs to show{props.status ? ' with that status' : ''}.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">
              Programs, {programs.length} of {props.paging.total} shown, page {props.paging.page} of{' '}
              {props.paging.pages}
            </caption>
            <thead>
              <tr>
                <th scope="col">Program</th>
                <th scope="col">Status</th>
                <th scope="col">Department</th>
                <th scope="col">Lead</th>
                <th scope="col">Version</th>
                <th scope="col">Last change</th>
              </tr>
            </thead>
            <tbody>
              {programs.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    <a href={`/programs/${p.id}`}>{p.title}</a>
                  </th>
                  <td>{programStateWords(p.status, p.waitingOn)}</td>
                  <td>{p.department_name}</td>
                  <td>{p.lead_name}</td>
                  <td>{p.version}</td>
                  <td class="nowrap">{formatDay(p.updated_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        label="Pages of programs"
        page={props.paging.page}
        pages={props.paging.pages}
        href={(page) =>
          `/programs?${new URLSearchParams({ ...(props.status ? { status: props.status } : {}), page: String(page) })}`
        }
        previous="Previous programs"
        next="More programs"
        showPosition
      />
    </Layout>
  );
}

function Paragraphs({ text, empty }: { text: string | undefined; empty: string }) {
  const parts = (text ?? '').split(/\n\s*\n/).filter((p) => p.trim() !== '');
  if (parts.length === 0) return <p class="muted">{empty}</p>;
  return (
    <>
      {parts.map((part, i) => (
        <p key={i} class="pre-line">
          {part}
        </p>
      ))}
    </>
  );
}

function Steps({ steps, label, isPast }: { steps: StepProgress[]; label: string; isPast: boolean }) {
  if (isPast && steps.every((s) => s.state === 'waiting')) {
    return (
      <p class="muted">
        No decisions on this chain are recorded here; they were taken before these records began.
      </p>
    );
  }
  return (
    <ol class="steps" aria-label={label}>
      {steps.map((step) => (
        <li key={step.key} class={`step step-${step.state}`}>
          <strong>{step.name}</strong>:{' '}
          {step.state === 'approved' ? (
            <>
              approved by {step.decidedBy} on {formatMoment(step.decidedAt)}
              {step.comment ? <span class="muted"> — “{step.comment}”</span> : null}
            </>
          ) : step.state === 'next' ? (
            'waiting for this decision now'
          ) : (
            'not yet reached'
          )}
        </li>
      ))}
    </ol>
  );
}

/** Said of a chain this proposal keeps its own copy of, so nobody expects an edited chain to apply to it. */
function KeptNote({ isKept }: { isKept: boolean }) {
  return isKept ? (
    <p class="muted">
      The steps as they stood when this review began; later changes to the institution’s chain do not apply.
    </p>
  ) : null;
}

/** How many of a program's latest history entries show before the rest are folded away. */
const HISTORY_SHOWN = 10;

/** Folds a section away (a details element, works without JavaScript) once it is history, else shows it. */
function Collapsible(props: { isCollapsed: boolean; summary: string; children: preact.ComponentChildren }) {
  return props.isCollapsed ? (
    <details class="section-details">
      <summary>{props.summary}</summary>
      {props.children}
    </details>
  ) : (
    <div>{props.children}</div>
  );
}

type HistoryEntry = ProgramPageData['history'][number];

function HistoryTable({ entries, caption }: { entries: readonly HistoryEntry[]; caption: string }) {
  return (
    // On a phone the table scrolls sideways; the keyboard must reach it (it has no links of its own).
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region is focusable so keyboards can scroll it.
    <section class="table-wrap" tabIndex={0} aria-label={caption}>
      <table>
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Comment</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => {
            const after = (entry.after ?? {}) as {
              comment?: string;
              step?: string;
              status?: string;
              year?: number;
              cycle?: number;
            };
            return (
              <tr key={entry.id}>
                <td class="nowrap">{formatMoment(entry.at)}</td>
                <td>{personName(entry.actor_label)}</td>
                <td>
                  {actionLabel(entry.action)}
                  {after.step ? ` (${after.step})` : ''}
                  {after.year ? ` (year ${after.year})` : ''}
                  {after.cycle ? ` (review ${after.cycle})` : ''}
                </td>
                <td>{after.comment ?? ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

/** The staff page of one program: its fields, proposal, signers, chains, pilot, history and actions. */
export function ProgramPage(props: {
  ctx: PageContext;
  page: ProgramPageData;
  pilot: PilotSummary;
  periodic?: PeriodicSummary;
  courseTitles: ReadonlyMap<string, string>;
  notice?: string | undefined;
  problem?: { message: string; fields: FieldProblem[] } | undefined;
  comment?: string | undefined;
  change?: ProposedChangeView | undefined;
  /** The post-pilot full proposal, when this person may read it (its lead, the bodies deciding it). */
  fullProposal?: FullProposalView | undefined;
  /** The program's figures page is open to this person (its lead, the office, approvers, administrators). */
  showsInsight?: boolean;
}) {
  const { ctx, page } = props;
  const { program, fields, proposal } = page;
  // Retiring has its own confirmation page (linked below), and the full proposal is submitted from its own page
  // (which checks it is complete), so neither is one of the form's buttons.
  const formActions = page.actions.filter(
    (a) => a.action !== 'retire' && a.action !== 'submit_full_proposal',
  );
  const needComment = formActions.filter((a) => a.needsComment).map((a) => a.label.toLowerCase());
  const commentError = props.problem?.fields.find((f) => f.field === 'comment');
  // Once approved, the proposal, its signatures and decisions are history: folded, so the page stays short.
  const isPast = isApproved(program.status);
  const recent = page.history.slice(-HISTORY_SHOWN).reverse();
  const older = page.history.slice(0, -HISTORY_SHOWN).reverse();
  return (
    <Layout ctx={ctx} title={program.title}>
      <p>
        {page.canListPrograms ? (
          <>
            <a href="/programs">All programs</a> ·{' '}
          </>
        ) : null}
        <a href="/inbox">My inbox</a>
      </p>
      <h1>{program.title}</h1>
      <p class="tags">
        <span class="tag tag-accent">Status: {programStateWords(program.status, page.waitingOn)}</span>
        <span class="tag">Version {program.version}</span>
        <span class="tag">{levelLabels[program.level]}</span>
        <span class="tag">{creditTypeLabels[program.credit_type]}</span>
        {fields.deliveryMode ? <span class="tag">{deliveryModeLabels[fields.deliveryMode]}</span> : null}
      </p>
      <DoneNotice text={props.notice} />
      <ProblemSummary
        errors={props.problem?.fields ?? []}
        message={props.problem?.message}
        href={missingItemHref(program.id)}
      />

      <section aria-labelledby="actions-title" class="card">
        <h2 id="actions-title">What you can do now</h2>
        {page.actionsWithheld ? <p>{page.actionsWithheld}</p> : null}
        {/* After a refused request the problem list above says the same; once is enough. */}
        {props.problem ? null : <StillMissing page={page} />}
        {page.needsAnotherApprover ? (
          <p>
            {/* Also when nobody holds the role at all (a new installation): "only the lead" would not be true. */}
            <strong>{NEEDS_ANOTHER_APPROVER}:</strong> no one other than the program's lead holds a role that
            decides the next step, and a lead never decides their own program's, so it waits until an
            administrator gives that role to someone else.
          </p>
        ) : null}
        {page.blockedActions.map((b) => (
          <Notice key={b.label} kind="warn" as="p">
            <strong>{b.label}:</strong> {b.reason}.
            {page.canEdit ? (
              <>
                {' '}
                <a href={`/programs/${program.id}/edit`}>Edit the proposal and its files</a>
              </>
            ) : null}
          </Notice>
        ))}
        {page.actions.length === 0 ? (
          page.blockedActions.length === 0 ? (
            <p>Nothing waits for you on this program right now.</p>
          ) : null
        ) : formActions.length === 0 ? null : (
          <form method="post" action={`/programs/${program.id}/actions`} class="stack wide">
            <CsrfField token={ctx.csrfToken} />
            <div>
              <label for="comment">Comment</label>
              <span class="hint" id="comment-hint">
                {needComment.length > 0
                  ? `Required to ${needComment.join(', ')}; optional otherwise. It is kept in the history.`
                  : 'Optional; it is kept in the history.'}
              </span>
              <textarea
                id="comment"
                name="comment"
                rows={3}
                aria-describedby={commentError ? 'comment-hint comment-error' : 'comment-hint'}
                aria-invalid={commentError ? 'true' : undefined}
              >
                {props.comment ?? ''}
              </textarea>
              {commentError ? (
                <p class="field-error" id="comment-error">
                  Comment {commentError.reason}.
                </p>
              ) : null}
            </div>
            {page.choosesPilotStart ? <PilotStartField problem={props.problem} /> : null}
            <div class="button-row">
              {formActions.map((a) => (
                <button
                  key={a.action}
                  type="submit"
                  name="action"
                  value={a.action}
                  class={a.needsComment ? 'button-secondary' : undefined}
                >
                  {a.label}
                </button>
              ))}
            </div>
          </form>
        )}
        {props.fullProposal?.canEdit ? (
          <p>
            <a href={`/programs/${program.id}/full-proposal`}>
              {props.fullProposal.isStarted ? 'Continue the full proposal' : 'Prepare the full proposal'}
            </a>{' '}
            to propose the program in full once its pilot has shown what it can do; it is submitted from
            there.
          </p>
        ) : null}
        <RetirementNotes page={page} />
        {page.canEdit && props.change?.status !== 'in_review' ? (
          <p>
            <a href={`/programs/${program.id}/edit`}>
              {program.status === 'draft'
                ? 'Edit the proposal and its files'
                : props.change?.status === 'draft'
                  ? 'Edit the proposed change'
                  : 'Propose a change to the program'}
            </a>
          </p>
        ) : null}
      </section>
      {props.change ? (
        <ProposedChange change={props.change} programId={program.id} csrfToken={ctx.csrfToken} />
      ) : null}

      <nav aria-labelledby="sections-title" class="card">
        <h2 id="sections-title" class="visually-hidden">
          Sections of this page
        </h2>
        <ul class="link-row">
          <li>
            <a href="#program">The program</a>
          </li>
          {props.periodic ? (
            <li>
              <a href="#periodic">Periodic reviews</a>
            </li>
          ) : null}
          {props.fullProposal?.submittedAt ? (
            <li>
              <a href="#full-proposal-title">Full proposal</a>
            </li>
          ) : null}
          {props.pilot ? (
            <li>
              <a href="#pilot">Pilot years</a>
            </li>
          ) : null}
          <li>
            <a href="#proposal">The proposal</a>
          </li>
          <li>
            <a href="#consultation">Consultation</a>
          </li>
          <li>
            <a href="#signers">Signers</a>
          </li>
          <li>
            <a href="#approval">Approval</a>
          </li>
          <li>
            <a href="#notes">Consultation notes</a>
          </li>
          <li>
            <a href="#versions">Versions</a>
          </li>
          <li>
            <a href="#history">History</a>
          </li>
          {props.showsInsight ? (
            <li>
              <a href={`/programs/${program.id}/insight`}>How it is doing</a>
            </li>
          ) : null}
        </ul>
      </nav>

      {props.periodic ? <PeriodicSection programId={program.id} periodic={props.periodic} /> : null}
      {props.fullProposal?.submittedAt ? <FullProposalSection view={props.fullProposal} /> : null}

      <h2 id="program">The program</h2>
      <dl class="facts">
        <dt>Web address name</dt>
        <dd>
          <code>{program.slug}</code>
        </dd>
        <dt>Department</dt>
        <dd>{program.department_name}</dd>
        <dt>Lead</dt>
        <dd>{program.lead_name ?? 'Not assigned'}</dd>
        <dt>Delivery mode</dt>
        <dd>{fields.deliveryMode ? deliveryModeLabels[fields.deliveryMode] : 'Not stated'}</dd>
        <dt>Audience</dt>
        <dd>{fields.audience || 'Not stated'}</dd>
        <dt>Credits</dt>
        <dd>
          {proposal?.missing_fields.includes('credits_min')
            ? 'Not given yet'
            : formatCredits(program.credits_min, program.credits_max)}
        </dd>
        <dt>Issued by</dt>
        <dd>{issuingOfficeLabels[program.issuing_office]}</dd>
        <dt>Badge fee</dt>
        <dd>{formatCents(program.fee_cents)}</dd>
        <dt>Validity</dt>
        <dd>{program.validity_years ? `${program.validity_years} years` : 'Does not expire'}</dd>
        <dt>Ways to enrol</dt>
        <dd>{fields.enrolmentPaths.map((p) => enrolmentPathLabels[p]).join(', ') || 'None'}</dd>
        <dt>Stacks into</dt>
        <dd>{fields.stacksInto.join(', ') || 'Nothing yet'}</dd>
      </dl>
      <h3>Summary</h3>
      <p>{program.summary}</p>
      <h3>Description</h3>
      <Paragraphs text={program.description} empty="No description." />
      <h3>Courses and requirement</h3>
      <ul>
        {describeRule(fields.requirement, props.courseTitles).map((line, i) => (
          <li key={i}>{line}</li>
        ))}
      </ul>
      <h3>Learning outcomes</h3>
      <ul>
        {fields.outcomes.map((o, i) => (
          <li key={i}>{o}</li>
        ))}
      </ul>
      <h3>Skills</h3>
      {fields.skills.length === 0 ? (
        <p class="muted">No skills listed.</p>
      ) : (
        <ul>
          {fields.skills.map((s, i) => (
            <li key={i}>
              {s.name}
              {s.framework ? (
                <span class="muted">
                  {' '}
                  — {s.framework}
                  {s.code ? ` ${s.code}` : ''}
                </span>
              ) : null}
              {s.url ? (
                <>
                  {' '}
                  <a href={s.url}>
                    framework entry<span class="visually-hidden"> for {s.name}</span>
                  </a>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {fields.contacts.length > 0 ? (
        <>
          <h3>Contacts</h3>
          <ul>
            {fields.contacts.map((c) => (
              <li key={c.email}>
                {c.name}
                {c.role ? `, ${c.role}` : ''} — <a href={`mailto:${c.email}`}>{c.email}</a>
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h2 id="proposal">The proposal</h2>
      <Collapsible isCollapsed={isPast} summary="Show the proposal as it was approved">
        <h3>Rationale</h3>
        <Paragraphs text={proposal?.rationale} empty="Not written yet." />
        <h3>Market analysis</h3>
        <Paragraphs text={proposal?.market_analysis} empty="Not written yet." />
        <h3>Financial model</h3>
        <Paragraphs text={proposal?.financial_model} empty="Not written yet." />
        <h3>Marketing plan</h3>
        <Paragraphs text={proposal?.marketing_plan} empty="Not written yet." />
        <h3>Assessment</h3>
        <Paragraphs text={proposal?.assessment_plan} empty="Not written yet." />
        {proposal?.full_proposal_summary ? (
          <>
            <h3>Full proposal</h3>
            <Paragraphs text={proposal.full_proposal_summary} empty="" />
          </>
        ) : null}
        <p>
          {proposal?.is_interdisciplinary ? 'Interdisciplinary. ' : ''}
          {proposal?.has_third_party ? 'Run with a third party. ' : ''}
          {page.mouRequired ? 'An MOU is required.' : 'No MOU is required.'}
        </p>
        <h3>Files</h3>
        {page.files.length === 0 ? (
          <p class="muted">No files uploaded.</p>
        ) : (
          <ul>
            {page.files.map((f) => (
              <li key={f.id}>
                {proposalFileLabels[f.kind]}:{' '}
                <a href={`/programs/${program.id}/files/${f.id}`}>{f.filename}</a>{' '}
                <span class="muted">
                  ({formatBytes(f.size_bytes)}, uploaded {formatMoment(f.uploaded_at)})
                </span>
              </li>
            ))}
          </ul>
        )}
      </Collapsible>

      <ConsultationSection ctx={ctx} page={page} problem={props.problem} />

      <SignersSection ctx={ctx} page={page} problem={props.problem} />

      <h2 id="approval">Approval</h2>
      <Collapsible isCollapsed={isPast} summary="Show the approval decisions">
        <ConsultationStep consultations={page.consultations} />
        <h3>{page.chains.pilot.chain.name}</h3>
        <KeptNote isKept={page.chains.pilot.isKept} />
        <Steps
          steps={page.chains.pilot.steps}
          label={page.chains.pilot.chain.name}
          isPast={isApproved(program.status)}
        />
        <h3>{page.chains.full.chain.name}</h3>
        <KeptNote isKept={page.chains.full.isKept} />
        <Steps
          steps={page.chains.full.steps}
          label={page.chains.full.chain.name}
          isPast={program.status === 'established'}
        />
        {page.returned.length > 0 ? (
          <p class="muted">Returned to pilot {countOf(page.returned.length, 'time')}; see the history.</p>
        ) : null}
      </Collapsible>

      {props.pilot ? <PilotSection programId={program.id} pilot={props.pilot} /> : null}

      <h2 id="notes">Consultation notes</h2>
      <Collapsible isCollapsed={isPast} summary="Show the consultation notes">
        {page.notes.length === 0 ? (
          <p class="muted">No notes yet.</p>
        ) : (
          <ul class="notes">
            {page.notes.map((n) => (
              <li key={n.id}>
                <p class="pre-line">{n.body}</p>
                <p class="muted">
                  {n.author_name}, {formatMoment(n.created_at)}
                </p>
              </li>
            ))}
          </ul>
        )}
        {page.canAddNote ? (
          <form method="post" action={`/programs/${program.id}/notes`} class="stack wide">
            <CsrfField token={ctx.csrfToken} />
            <div>
              <label for="note">Add a consultation note</label>
              <textarea id="note" name="note" rows={3} required />
            </div>
            <div>
              <button type="submit" class="button-secondary">
                Add the note
              </button>
            </div>
          </form>
        ) : null}
      </Collapsible>

      <h2 id="versions">Versions</h2>
      {page.versions.length === 0 ? (
        <p class="muted">
          No version is recorded here yet. One is recorded when the program is approved, edited after
          approval, or when a badge is issued under it.
        </p>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region is focusable so keyboards can scroll it.
        <section class="table-wrap" tabIndex={0} aria-label="Versions of this program">
          <table>
            <caption class="visually-hidden">Versions of this program</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Recorded</th>
                <th scope="col">By</th>
                <th scope="col">What changed</th>
              </tr>
            </thead>
            <tbody>
              {page.versions.map((v) => (
                <tr key={v.version}>
                  <th scope="row">{v.version}</th>
                  <td class="nowrap">{formatMoment(v.created_at)}</td>
                  <td>{v.created_by_name ?? '—'}</td>
                  <td>{v.change_note || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      <h2 id="history">History</h2>
      <HistoryTable entries={recent} caption="The latest steps taken on this program, newest first" />
      {older.length > 0 ? (
        <details>
          <summary>Show {older.length} earlier steps</summary>
          <HistoryTable entries={older} caption="Earlier steps taken on this program, newest first" />
        </details>
      ) : null}
    </Layout>
  );
}

function SignersSection({
  ctx,
  page,
  problem,
}: {
  ctx: PageContext;
  page: ProgramPageData;
  problem?: { message: string; fields: FieldProblem[] } | undefined;
}) {
  const statusText = { pending: 'Waiting', signed: 'Signed', declined: 'Declined' } as const;
  const emailError = problem?.fields.find((f) => f.field === 'signer_email');
  const roleError = problem?.fields.find((f) => f.field === 'role_label');
  return (
    <>
      <h2 id="signers">Signers</h2>
      <Collapsible
        isCollapsed={isApproved(page.program.status)}
        summary={`Show the signers (${page.signers.length})`}
      >
        {page.signers.length === 0 ? (
          <p class="muted">No signers named yet.</p>
        ) : (
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">Signers and their decisions</caption>
              <thead>
                <tr>
                  <th scope="col">Signer</th>
                  <th scope="col">Signs as</th>
                  <th scope="col">Decision</th>
                  <th scope="col">Comment</th>
                  {page.canManageSigners ? <th scope="col">Change</th> : null}
                </tr>
              </thead>
              <tbody>
                {page.signers.map((s) => (
                  <tr key={s.id}>
                    <th scope="row">{s.name}</th>
                    <td>{s.role_label}</td>
                    <td>
                      {statusText[s.status]}
                      {s.decided_at ? ` on ${formatMoment(s.decided_at)}` : ''}
                    </td>
                    <td>{s.comment ?? ''}</td>
                    {page.canManageSigners ? (
                      <td>
                        <form
                          method="post"
                          action={`/programs/${page.program.id}/signers/${s.id}/remove`}
                          class="inline-form"
                        >
                          <CsrfField token={ctx.csrfToken} />
                          <button type="submit" class="button button-small button-secondary">
                            Remove<span class="visually-hidden"> {s.name}</span>
                          </button>
                        </form>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Collapsible>
      {page.canManageSigners ? (
        <form method="post" action={`/programs/${page.program.id}/signers`} class="stack wide">
          <CsrfField token={ctx.csrfToken} />
          <h3>Name a signer</h3>
          <div class="form-row">
            <div>
              <label for="signer_email">Signer’s e-mail address</label>
              <span class="hint" id="signer_email-hint">
                They need an account here.
                {page.signerChoices.length > 0
                  ? ' People with the Signer role are suggested as you type.'
                  : ''}
              </span>
              <input
                id="signer_email"
                name="signer_email"
                type="email"
                list={page.signerChoices.length > 0 ? 'signer-people' : undefined}
                required
                aria-describedby={emailError ? 'signer_email-hint signer_email-error' : 'signer_email-hint'}
                aria-invalid={emailError ? 'true' : undefined}
              />
              {page.signerChoices.length > 0 ? (
                <datalist id="signer-people">
                  {page.signerChoices.map((person) => (
                    <option key={person.id} value={person.email}>
                      {person.name}
                    </option>
                  ))}
                </datalist>
              ) : null}
              {emailError ? (
                <p class="field-error" id="signer_email-error">
                  Signer’s e-mail address {emailError.reason}.
                </p>
              ) : null}
            </div>
            <div>
              <label for="role_label">Signs as</label>
              <span class="hint" id="role_label-hint">
                For example supervisor or section head.
              </span>
              <input
                id="role_label"
                name="role_label"
                type="text"
                list="signer-roles"
                required
                aria-describedby={roleError ? 'role_label-hint role_label-error' : 'role_label-hint'}
                aria-invalid={roleError ? 'true' : undefined}
              />
              <datalist id="signer-roles">
                <option value="Supervisor" />
                <option value="Section head" />
                <option value="Department chair" />
                <option value="Partner organisation" />
              </datalist>
              {roleError ? (
                <p class="field-error" id="role_label-error">
                  Signs as {roleError.reason}.
                </p>
              ) : null}
            </div>
          </div>
          <div>
            <button type="submit" class="button-secondary">
              Add the signer
            </button>
          </div>
        </form>
      ) : null}
    </>
  );
}

/** The day the pilot starts, chosen by whoever records the approval that starts it. */
function PilotStartField({ problem }: { problem?: { fields: FieldProblem[] } | undefined }) {
  const error = problem?.fields.find((f) => f.field === 'pilot_starts_on');
  return (
    <div>
      <label for="pilot_starts_on">Pilot starts on</label>
      <span class="hint" id="pilot_starts_on-hint">
        Leave blank to start the pilot today. A program approved late in the year may start with the next
        academic year: its three pilot years and their reviews count from this day.
      </span>
      <input
        id="pilot_starts_on"
        name="pilot_starts_on"
        type="date"
        aria-describedby={error ? 'pilot_starts_on-hint pilot_starts_on-error' : 'pilot_starts_on-hint'}
        aria-invalid={error ? 'true' : undefined}
      />
      {error ? (
        <p class="field-error" id="pilot_starts_on-error">
          Pilot starts on {error.reason}.
        </p>
      ) : null}
    </div>
  );
}

/** The submitted full proposal on the decision screen: what the deciding bodies read before their step. */
function FullProposalSection({ view }: { view: FullProposalView }) {
  const address = `/programs/${view.program.id}/full-proposal`;
  return (
    <section aria-labelledby="full-proposal-title" class="card">
      <h2 id="full-proposal-title">Full proposal</h2>
      <p>
        Submitted by {view.submittedBy ?? 'the program lead'} on {formatMoment(view.submittedAt)}.{' '}
        <a href={address}>Open the full proposal with the pilot’s figures</a>
      </p>
      <h3>Documents</h3>
      <DocumentList view={{ ...view, canEdit: false }} />
      <FullProposalAnswersView answers={view.answers} />
    </section>
  );
}

function PilotSection({ programId, pilot }: { programId: string; pilot: NonNullable<PilotSummary> }) {
  return (
    <>
      <h2 id="pilot">Pilot years</h2>
      <p>
        Pilot started {formatDay(pilot.calendar.startsOn)}. Decision on a full proposal or retirement due{' '}
        <strong class="nowrap">{formatDay(pilot.calendar.decisionDueOn)}</strong>
        {pilot.decisionOverdue ? <strong class="overdue"> (overdue)</strong> : null}.
      </p>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">Pilot years and their reviews</caption>
          <thead>
            <tr>
              <th scope="col">Year</th>
              <th scope="col">Academic year</th>
              <th scope="col">Review due</th>
              <th scope="col">Review</th>
            </tr>
          </thead>
          <tbody>
            {pilot.years.map((y) => (
              <tr key={y.number}>
                <th scope="row">Year {y.number}</th>
                <td>{y.academicYear}</td>
                <td class="nowrap">{formatDay(y.reviewDueOn)}</td>
                <td>
                  <a href={`/programs/${programId}/reviews/${y.number}`}>
                    {y.submittedAt
                      ? `Submitted ${formatDay(y.submittedAt)}`
                      : y.overdue
                        ? 'Overdue: not submitted'
                        : y.started
                          ? 'Draft saved'
                          : 'Not started'}
                    <span class="visually-hidden"> (year {y.number} review)</span>
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function PeriodicSection({
  programId,
  periodic,
}: {
  programId: string;
  periodic: NonNullable<PeriodicSummary>;
}) {
  const { owed } = periodic;
  return (
    <>
      <h2 id="periodic">Periodic reviews</h2>
      <p>
        Established on <span class="nowrap">{formatDay(periodic.establishedOn)}</span>; reviewed every{' '}
        {countOf(periodic.everyYears, 'year')}.
      </p>
      <p>
        <a href={`/programs/${programId}/periodic-reviews/${owed.cycle}`}>
          Periodic review {owed.cycle} ({formatDay(owed.startsOn)} to {formatDay(owed.endsOn)})
        </a>
        : due <strong class="nowrap">{formatDay(owed.dueOn)}</strong>
        {owed.overdue ? <strong class="overdue"> (overdue)</strong> : null}
        {owed.started ? ', draft saved' : ''}.
      </p>
      {periodic.submitted.length > 0 ? (
        <ul>
          {periodic.submitted.map((r) => (
            <li key={r.number}>
              <a href={`/programs/${programId}/periodic-reviews/${r.number}`}>
                Periodic review {r.number} ({formatDay(r.starts_on ?? '')} to {formatDay(r.ends_on ?? '')})
              </a>
              : submitted <span class="nowrap">{formatDay(r.submitted_at!)}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
