import { CsrfField } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { CodeList, UploadForm } from '../platform/http/upload-form.tsx';
import { countOf } from '../platform/words.ts';
import type { Office, TrackingRowStatus } from './issuing.tables.ts';
import {
  DoneNotice,
  formatDay,
  formatMoment,
  IssuingNav,
  listStatusLabels,
  OfficeSwitch,
  rowStatusLabels,
} from './issuing-parts.tsx';
import { creditModeLabels, officeLabels } from './offices.ts';
import { optionalColumns, requiredColumns } from './tracking-list-file.ts';
import { type RowCounts, rowStatuses, type TrackingListView } from './tracking-lists.repository.ts';
import type { TrackingListsService } from './tracking-lists.service.ts';
import { MAX_LIST_BYTES } from './tracking-lists.service.ts';

type ListView = Awaited<ReturnType<TrackingListsService['viewList']>>;

/** How far the issuing of a committed list has come: rows done of the rows that were ready. */
export function listProgress(counts: RowCounts) {
  const done = counts.issued + counts.skipped + counts.failed;
  const total = done + counts.ready;
  return { done, total, percent: total === 0 ? 100 : Math.floor((done / total) * 100) };
}

/** A list's status in words; a lead's preview says whether it has reached the office yet. */
export function statusWords(list: Pick<TrackingListView, 'status' | 'submittedAt'>): string {
  if (list.status !== 'preview') return listStatusLabels[list.status];
  return list.submittedAt === null ? 'Draft, not yet submitted' : listStatusLabels.preview;
}

/** The progress in one sentence: on the page, and in the figures the page's script asks for while it runs. */
export function progressSentence(list: Pick<TrackingListView, 'counts' | 'status' | 'isStalled'>): string {
  const { done, total } = listProgress(list.counts);
  const { issued, skipped, failed } = list.counts;
  const figures = `${done} of ${total} rows processed: ${issued} issued, ${skipped} skipped, ${failed} failed.`;
  if (list.isStalled) return `${figures} Issuing stalled: no worker has been heard from for a while.`;
  return isBeingIssued(list) ? figures : `${figures} ${listStatusLabels[list.status]}.`;
}

/** Whether a worker is issuing the list or is about to: committed, not finished, and not stalled. */
export const isBeingIssued = (list: Pick<TrackingListView, 'status' | 'isStalled'>): boolean =>
  (list.status === 'queued' || list.status === 'running') && !list.isStalled;

/** `/issuing/tracking-lists`: upload a cohort's list; the lists of this office (or a lead's own lists). */
export function TrackingListsPage(props: {
  ctx: PageContext;
  offices: readonly Office[];
  /** Null for a program lead, who works in no office and sees the lists they prepared. */
  office: Office | null;
  isLead: boolean;
  lists: TrackingListView[];
  problem?: string;
}) {
  const { ctx, lists, problem } = props;
  return (
    <Layout ctx={ctx} title="Tracking lists">
      <IssuingNav ctx={ctx} />
      <h1>Tracking lists</h1>
      {props.office ? (
        <OfficeSwitch path="/issuing/tracking-lists" offices={props.offices} office={props.office} />
      ) : null}
      <p>
        A tracking list names the learners of one cohort who completed a micro-credential. Upload it as a CSV
        file; you first see a preview with a verdict for every row, and nothing is issued until the list is
        committed. Credit-bearing lists are committed by the registrar, non-credit lists by the credentials
        office; a hybrid program's cohort is uploaded as two lists, one for each.
      </p>
      {props.isLead ? (
        <p>
          As a program lead you prepare the lists of the programs you lead: upload one, check its preview,
          then submit it to the office, which checks it again and issues the badges. Rows for other programs
          are refused.
        </p>
      ) : (
        <p>Program leads may prepare lists for their own programs; a list they submit appears here.</p>
      )}
      <p>
        <a href="/issuing/tracking-lists/template.csv">Download the template (CSV)</a> with every column.
      </p>
      <details class="issuing-help">
        <summary>The columns a list needs</summary>
        <p>
          Required: <CodeList names={requiredColumns} />. Optional: <CodeList names={optionalColumns} />.
        </p>
        <ul>
          <li>
            <code>program</code> is the program's short name, the last part of its catalog address (
            <code>/catalog/</code>
            <var>short-name</var>).
          </li>
          <li>
            <code>completion_date</code> is written YYYY-MM-DD; <code>term</code> is one of the registrar's
            terms, by its code or its name (while the Terms page lists none, a year and season such as{' '}
            <code>2026 Spring</code>).
          </li>
          <li>
            <code>credit_mode</code> is <code>credit</code> or <code>non_credit</code>, required for hybrid
            programs.
          </li>
          <li>
            <code>fee_waived</code> is <code>yes</code> or <code>no</code>; the <code>notes</code> of a waived
            row become the waiver's reason.
          </li>
        </ul>
      </details>
      <UploadForm
        csrfToken={ctx.csrfToken}
        action="/issuing/tracking-lists"
        label="Tracking list (CSV)"
        hint={`UTF-8, comma-separated, up to ${MAX_LIST_BYTES / 1024 / 1024} MB. One cohort per file.`}
        button="Upload and preview"
        problem={problem}
        problemHeading="The list was not uploaded"
      />

      <h2>{props.isLead ? 'Your lists' : 'Lists of this office'}</h2>
      {lists.length === 0 ? (
        <p>
          {props.isLead
            ? 'You have not prepared a list yet.'
            : 'No list has been uploaded for this office yet.'}
        </p>
      ) : (
        <div class="table-wrap">
          <table class="issuing-table">
            <caption class="visually-hidden">Tracking lists, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Cohort</th>
                <th scope="col">Uploaded</th>
                <th scope="col">Rows</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {lists.map((list) => (
                <tr key={list.id}>
                  <th scope="row">
                    <a href={`/issuing/tracking-lists/${list.id}`}>{list.cohort}</a>
                    <div class="muted">
                      {list.fileName} · {creditModeLabels[list.creditMode]}
                    </div>
                  </th>
                  <td>
                    {formatMoment(list.uploadedAt)}
                    <div class="muted">{list.uploadedByLabel}</div>
                  </td>
                  <td>
                    {list.rowsTotal} ({list.counts.ready + list.counts.issued} ready or issued)
                  </td>
                  <td>{statusWords(list)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

/** `/issuing/tracking-lists/:id`: the preview, the commit, the live progress and the outcome of every row. */
export function TrackingListPage(props: {
  ctx: PageContext;
  view: ListView;
  filter?: TrackingRowStatus;
  notice?: string;
  /** Why the last action on the page was refused (a learner record that could not be made from a row). */
  problem?: string;
}) {
  const { ctx, view, filter } = props;
  const { list, rows } = view;
  const isWorking = list.status === 'queued' || list.status === 'running';
  const progress = listProgress(list.counts);
  const base = `/issuing/tracking-lists/${list.id}`;
  return (
    <Layout
      ctx={ctx}
      title={`Tracking list: ${list.cohort}`}
      // No self-reloading page (it moves focus and the reader's place): a Refresh link works without script, and
      // with it a small script asks for the figures and updates them in a live region.
      head={isWorking ? <script src="/issuing/list-progress.js" defer /> : undefined}
    >
      <IssuingNav ctx={ctx} />
      <h1>Tracking list: {list.cohort}</h1>
      {props.notice ? (
        <DoneNotice>
          <p>{props.notice}</p>
        </DoneNotice>
      ) : null}
      {props.problem ? (
        <Notice kind="bad">
          <p>{props.problem}</p>
        </Notice>
      ) : null}
      <dl class="facts">
        <dt>File</dt>
        <dd>{list.fileName}</dd>
        <dt>Uploaded</dt>
        <dd>
          {formatMoment(list.uploadedAt)} by {list.uploadedByLabel}
        </dd>
        <dt>Credit</dt>
        <dd>
          {creditModeLabels[list.creditMode]}, so the {officeLabels[list.office].toLowerCase()} commits it
        </dd>
        <dt>Status</dt>
        <dd data-list-status>{statusWords(list)}</dd>
        {list.submittedAt && list.submittedAt.getTime() !== list.uploadedAt.getTime() ? (
          <>
            <dt>Submitted</dt>
            <dd>{formatMoment(list.submittedAt)} by the program lead who prepared it</dd>
          </>
        ) : null}
        {list.committedAt ? (
          <>
            <dt>Committed</dt>
            <dd>
              {formatMoment(list.committedAt)}
              {list.committedByName ? ` by ${list.committedByName}` : ''}
            </dd>
          </>
        ) : null}
      </dl>

      {list.status === 'preview' ? <PreviewActions ctx={ctx} view={view} /> : null}
      {list.status !== 'preview' && list.status !== 'discarded' ? (
        <section aria-labelledby="progress-title">
          <h2 id="progress-title">Issuing progress</h2>
          <div class="meter">
            <progress max={100} value={progress.percent} aria-label="Issuing progress" data-list-progress-bar>
              {progress.percent}%
            </progress>
            <span class="meter-text" data-list-progress-text>
              {progress.percent}% done
            </span>
          </div>
          <p
            role="status"
            aria-live="polite"
            data-list-progress={isWorking ? `${base}/progress.json` : undefined}
          >
            {progressSentence(list)}
          </p>
          {isWorking ? (
            <p>
              <a href={base}>Refresh the progress</a> (it also updates by itself while this page is open, in a
              browser that runs scripts).
            </p>
          ) : null}
          {list.status === 'done' && list.finishedAt ? (
            <p>Finished {formatMoment(list.finishedAt)}.</p>
          ) : null}
          {list.status === 'failed' || list.isStalled ? (
            <Notice kind="warn">
              <h3>{list.isStalled ? 'Issuing stalled' : 'Issuing stopped'}</h3>
              <p>
                {list.isStalled
                  ? list.status === 'queued'
                    ? 'No worker is going to take this list up: its job in the queue gave up or was lost. '
                    : 'The worker issuing this list has not been heard from for a while (its process may have stopped). '
                  : `Something interrupted the job (${list.lastError ?? 'no detail'}). `}
                Rows already issued stay issued; the list is taken up again automatically, or you can resume
                it now. No row is issued twice.
              </p>
              {view.canResume ? (
                <form method="post" action={`${base}/commit`}>
                  <CsrfField token={ctx.csrfToken} />
                  <button type="submit">Resume issuing</button>
                </form>
              ) : null}
            </Notice>
          ) : null}
        </section>
      ) : null}

      <h2>Rows</h2>
      <StatusFilter base={base} counts={list.counts} total={list.rowsTotal} filter={filter} />
      {rows.length === 0 ? (
        <p>No row has this status.</p>
      ) : (
        <div class="table-wrap">
          <table class="issuing-table">
            <caption class="visually-hidden">
              Rows of the list{filter ? ` with the status ${rowStatusLabels[filter]}` : ''}, in file order
              {rows.length === view.shownLimit ? ` (first ${view.shownLimit} shown)` : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Learner</th>
                <th scope="col">Program</th>
                <th scope="col">Completed</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id}>
                  <td>{row.line}</td>
                  <th scope="row">
                    {`${row.firstName} ${row.lastName}`.trim() || row.email}
                    <div class="muted">{row.studentId}</div>
                  </th>
                  <td>
                    {row.program === null ? (
                      // No program shown: the slug as the file wrote it (the row's reason says why).
                      <code>{row.programSlug}</code>
                    ) : row.program.href ? (
                      <a href={row.program.href}>{row.program.title}</a>
                    ) : (
                      row.program.title
                    )}
                    {row.feeWaived ? <div class="muted">Fee waived</div> : null}
                  </td>
                  <td>
                    {row.completionDate ? formatDay(row.completionDate) : ''}
                    <div class="muted">{row.term}</div>
                  </td>
                  <td>
                    <span class={`tag tracking-row-${row.status.replace('_', '-')}`}>
                      {rowStatusLabels[row.status]}
                    </span>
                    {row.reason ? <div>{row.reason}</div> : null}
                    {row.canCreateRecord ? (
                      <form method="post" action={`${base}/rows/${row.id}/learner-record`} class="row-action">
                        <CsrfField token={ctx.csrfToken} />
                        <p class="hint" id={`record-${row.id}`}>
                          A non-credit learner may not be in the student system. The record is made from this
                          row ({row.email}, student ID {row.studentId}) as a non-degree learner's, then the
                          row is checked again.
                        </p>
                        <button
                          type="submit"
                          class="button-secondary button-small"
                          aria-describedby={`record-${row.id}`}
                        >
                          Create the learner record<span class="visually-hidden"> of line {row.line}</span>
                        </button>
                      </form>
                    ) : row.recordWithheld ? (
                      <div class="muted">{row.recordWithheld}</div>
                    ) : null}
                    {row.credentialId ? (
                      <div>
                        <a
                          href={
                            view.opensBadgeRecords
                              ? `/issuing/badges/${row.credentialId}`
                              : `/badges/${row.credentialId}`
                          }
                        >
                          See the badge<span class="visually-hidden"> of line {row.line}</span>
                        </a>
                      </div>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

function PreviewActions({ ctx, view }: { ctx: PageContext; view: ListView }) {
  const { list } = view;
  const base = `/issuing/tracking-lists/${list.id}`;
  const ready = list.counts.ready;
  return (
    <section aria-labelledby="preview-title">
      <h2 id="preview-title">Preview</h2>
      <p>
        Nothing has been issued from this list yet.{' '}
        {ready === 0
          ? view.canRecheck
            ? 'No row is ready to issue; check the reasons below. Correct the file and upload it again, or, once the records it waits for are in (completions imported, a record made), check the rows again.'
            : 'No row is ready to issue; check the reasons below, correct the file and upload it again.'
          : `Committing issues the ${ready === 1 ? 'one ready row' : `${ready} ready rows`}: each learner's badge is signed, the program fee charged to their student account (unless waived on the list) and a claim e-mail sent. Rows that are not ready are left alone.`}
      </p>
      {/* A lead's draft is not in the office's lists until it is submitted; the draft's own notice says so. */}
      {!view.isOwner && !view.isDraft ? (
        <Notice kind="info">
          <p>
            This list is {creditModeLabels[list.creditMode].toLowerCase()}, so it is committed by the{' '}
            {officeLabels[list.office].toLowerCase()}, and it waits in their lists.
          </p>
        </Notice>
      ) : null}
      {view.commitWithheld ? (
        <Notice kind="info">
          <p>{view.commitWithheld}</p>
        </Notice>
      ) : null}
      {view.isDraft ? (
        <Notice kind="info">
          <p>
            {view.canSubmit
              ? `This is your draft: the ${officeLabels[list.office].toLowerCase()} sees it once you submit it, checks it and issues the badges. You cannot issue it yourself.`
              : 'This draft waits for the program lead who prepared it to submit it.'}
          </p>
        </Notice>
      ) : null}
      <div class="button-row">
        {view.canSubmit ? (
          <form method="post" action={`${base}/submit`}>
            <CsrfField token={ctx.csrfToken} />
            <button type="submit">Submit to the {officeLabels[list.office].toLowerCase()}</button>
          </form>
        ) : null}
        {view.canCommit ? (
          // Issuing signs credentials and charges fees: the button leads to a page that says so and asks again.
          <a class="button" href={`${base}/confirm`}>
            Commit and issue {countOf(ready, 'badge')}
          </a>
        ) : null}
        {view.canRecheck ? (
          // After completions were imported or records fixed: the rows are judged as a new upload would judge them.
          <form method="post" action={`${base}/recheck`}>
            <CsrfField token={ctx.csrfToken} />
            <button type="submit" class="button-secondary">
              Check the not-eligible rows again
            </button>
          </form>
        ) : null}
        {view.canDiscard ? (
          <form method="post" action={`${base}/discard`}>
            <CsrfField token={ctx.csrfToken} />
            <button type="submit" class="button-secondary">
              Discard this list
            </button>
          </form>
        ) : null}
      </div>
    </section>
  );
}

function StatusFilter(props: { base: string; counts: RowCounts; total: number; filter?: TrackingRowStatus }) {
  return (
    <nav aria-label="Rows by status" class="tags staff-links issuing-nav">
      <a href={props.base} aria-current={props.filter === undefined ? 'page' : undefined}>
        All ({props.total})
      </a>
      {rowStatuses
        .filter((status) => props.counts[status] > 0)
        .map((status) => (
          <a
            key={status}
            href={`${props.base}?status=${status}`}
            aria-current={props.filter === status ? 'page' : undefined}
          >
            {rowStatusLabels[status]} ({props.counts[status]})
          </a>
        ))}
    </nav>
  );
}
