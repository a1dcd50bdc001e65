import { Pager } from '../platform/http/filters.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { formatDay } from '../platform/http/moment.ts';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { roleLabels } from '../platform/roles.ts';
import { countOf } from '../platform/words.ts';
import {
  creditTypeLabels,
  formatCredits,
  isProgramState,
  levelLabels,
  programStateLabels,
  programStateWords,
} from '../programs/program-vocabulary.ts';
import { awardStatusLabels } from '../progress/award-status.ts';
import type { HomeService } from './home.service.ts';
import { firstOrder, type LedSort, type LedSortKey } from './led-programs.ts';
import { linksFor } from './role-links.ts';

type PublicHome = Awaited<ReturnType<HomeService['publicHome']>>;
type RoleHome = Awaited<ReturnType<HomeService['roleHome']>>;

export function PublicHomePage({ ctx, data }: { ctx: PageContext; data: PublicHome }) {
  return (
    <Layout
      ctx={ctx}
      title="Micro-credentials"
      description={`Short, stackable micro-credentials from ${ctx.institutionName}, with digital badges anyone can verify.`}
    >
      <section class="hero" aria-labelledby="hero-title">
        <h1 id="hero-title">Learn a focused skill. Earn a badge anyone can check.</h1>
        {data.introduction ? <p>{data.introduction}</p> : null}
        {data.figures.offered > 0 ? (
          <p>
            {ctx.institutionName} offers {countOf(data.figures.offered, 'micro-credential')} across{' '}
            {countOf(data.figures.departments, 'department')}. Each is a short set of courses that ends in a
            signed Open Badge you can share with employers, and many count toward a certificate or degree.
          </p>
        ) : (
          // A new install, before its first program is approved: "offers 0 micro-credentials" reads as broken.
          <p>
            {ctx.institutionName} has no micro-credentials open yet. Each will be a short set of courses that
            ends in a signed Open Badge you can share with employers; the catalog lists them once they are
            approved.
          </p>
        )}
        <p>
          <a class="button" href="/catalog">
            Browse the catalog
          </a>{' '}
          <a class="button button-secondary" href="/verify">
            Verify a badge
          </a>
        </p>
      </section>
      {data.featured.length > 0 ? (
        <>
          <h2>Recently updated</h2>
          <ul class="cards">
            {data.featured.map((p) => (
              <li class="card" key={p.slug}>
                <h3>
                  <a href={`/catalog/${p.slug}`}>{p.title}</a>
                </h3>
                <p>{p.summary}</p>
                <p class="tags">
                  <span class="tag">{levelLabels[p.level]}</span>
                  <span class="tag">{formatCredits(p.credits_min, p.credits_max)}</span>
                  <span class="tag tag-accent">{creditTypeLabels[p.credit_type]}</span>
                </p>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>How it works</h2>
      <ol>
        <li>
          Choose a micro-credential and enrol: as a new applicant, a non-degree learner, a current or a
          returning student.
        </li>
        <li>Complete its courses; your progress updates as grades arrive from the student record.</li>
        <li>Request your badge. Your program lead confirms it, and the badge is issued to you by e-mail.</li>
        <li>Share it. Anyone can verify it here, or with any Open Badges 3.0 verifier.</li>
      </ol>
    </Layout>
  );
}

function Section({ title, children }: { title: string; children: preact.ComponentChildren }) {
  return (
    <section class="card" aria-label={title}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}

const dayWord = (days: number) => countOf(days, 'day');

/** What a program lead owes, at the top of their home: overdue first, then what is close, then returned proposals. */
function LeadDutiesPanel({ duties }: { duties: RoleHome['duties'] }) {
  const { overdue, dueSoon, returned } = duties;
  const nothing = overdue.length === 0 && dueSoon.length === 0 && returned.length === 0;
  return (
    <section
      class={overdue.length > 0 ? 'notice notice-warn' : 'card'}
      aria-labelledby="due-heading"
      id="due"
    >
      <h2 id="due-heading">
        {overdue.length > 0 ? `Overdue on your programs (${overdue.length})` : 'What is due on your programs'}
      </h2>
      {nothing ? <p>Nothing is overdue or due in the next 30 days.</p> : null}
      {overdue.length > 0 ? (
        <ul>
          {overdue.map((d) => (
            <li key={`${d.programId}-${d.label}`}>
              <a href={d.path}>
                {d.title}: {d.label}
              </a>{' '}
              — <strong>overdue by {dayWord(d.days)}</strong> (due{' '}
              <span class="nowrap">{formatDay(d.dueOn)}</span>)
            </li>
          ))}
        </ul>
      ) : null}
      {dueSoon.length > 0 ? (
        <>
          <h3>Due within 30 days</h3>
          <ul>
            {dueSoon.map((d) => (
              <li key={`${d.programId}-${d.label}`}>
                <a href={d.path}>
                  {d.title}: {d.label}
                </a>{' '}
                — due <span class="nowrap">{formatDay(d.dueOn)}</span> (
                {d.days === 0 ? 'today' : `in ${dayWord(d.days)}`})
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {returned.length > 0 ? (
        <>
          <h3>Proposals returned to you for changes</h3>
          <ul>
            {returned.map((p) => (
              <li key={p.id}>
                <a href={`/programs/${p.id}`}>{p.title}</a>: revise it and ask for signatures again
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

const ledColumns: { key: LedSortKey; label: string; numeric: boolean }[] = [
  { key: 'title', label: 'Program', numeric: false },
  { key: 'state', label: 'State', numeric: false },
  { key: 'enrolled', label: 'Enrolled', numeric: true },
  { key: 'completing', label: 'Completing', numeric: true },
  { key: 'completed', label: 'Completed', numeric: true },
  { key: 'badges', label: 'Badges issued', numeric: true },
  { key: 'due', label: 'Next due', numeric: false },
];

function ledHref(sort: LedSort, page: number) {
  return `/home?sort=${sort.key}&order=${sort.order}${page > 1 ? `&programs=${page}` : ''}#led-heading`;
}

/** A column's header: a link that sorts by it (again: the other way round), saying which way it sorts now. */
function SortHeader({ column, sort }: { column: (typeof ledColumns)[number]; sort: LedSort }) {
  const isSorted = sort.key === column.key;
  const next: LedSort = {
    key: column.key,
    order: isSorted ? (sort.order === 'asc' ? 'desc' : 'asc') : firstOrder[column.key],
  };
  const sortWord = isSorted ? `, sorted ${sort.order === 'asc' ? 'ascending' : 'descending'}` : '';
  return (
    <th
      scope="col"
      class={column.numeric ? 'numeric' : undefined}
      aria-sort={isSorted ? (sort.order === 'asc' ? 'ascending' : 'descending') : undefined}
    >
      <a href={ledHref(next, 1)}>
        {column.label}
        <span class="visually-hidden">{sortWord}</span>
        {isSorted ? <span aria-hidden="true">{sort.order === 'asc' ? ' ▲' : ' ▼'}</span> : null}
      </a>
    </th>
  );
}

/** A lead's programs as a table they sort by any column, a page at a time. */
function LedPrograms({ data }: { data: RoleHome }) {
  const { led } = data;
  return (
    <section aria-labelledby="led-heading">
      <h2 id="led-heading">Programs I lead ({led.total})</h2>
      {led.total === 0 ? (
        <p>
          You lead no programs yet. <a href="/programs/new">Start a proposal</a>.
        </p>
      ) : (
        <>
          <p class="muted" id="led-terms">
            Enrolled: learners not withdrawn. Completing: asked for the badge, not yet issued. Completed:
            finished by the student record. Badges issued: those that stand (not revoked). Choose a column’s
            heading to sort by it.
          </p>
          <div class="table-wrap">
            <table aria-describedby="led-terms">
              <caption class="visually-hidden">
                Programs you lead, page {led.page} of {led.pages}
              </caption>
              <thead>
                <tr>
                  {ledColumns.map((column) => (
                    <SortHeader key={column.key} column={column} sort={led.sort} />
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.ledPrograms.map((p) => (
                  <tr key={p.id}>
                    <th scope="row">
                      <a href={`/programs/${p.id}`}>{p.title}</a>
                    </th>
                    <td>{programStateWords(p.status, p.waitingOn)}</td>
                    <td class="numeric">{p.enrolled}</td>
                    <td class="numeric">{p.completing}</td>
                    <td class="numeric">{p.completed}</td>
                    <td class="numeric">{p.badges}</td>
                    <td>{p.nextDue ? <span class="nowrap">{formatDay(p.nextDue)}</span> : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <Pager
        label="Pages of your programs"
        page={led.page}
        pages={led.pages}
        href={(page) => ledHref(led.sort, page)}
        previous="Previous programs"
        next="More programs"
        showPosition
      />
    </section>
  );
}

/** An office's queues: each count links to the page where the work is done. */
function QueuePanel({ queue }: { queue: RoleHome['queues'][number] }) {
  const headingId = `${queue.id}-heading`;
  return (
    <section class="card" aria-labelledby={headingId} id={queue.id}>
      <h2 id={headingId}>{queue.title}</h2>
      <ul class="queue-lines">
        {queue.lines.map((line) => (
          <li key={line.label}>
            <a href={line.href}>
              <strong class={line.count > 0 ? 'queue-count queue-count-due' : 'queue-count'}>
                {line.count}
              </strong>{' '}
              {line.label}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** After sign-in: one section per role the person holds. */
export function RoleHomePage({ ctx, data }: { ctx: PageContext; data: RoleHome }) {
  const actor = ctx.actor!;
  // A lead with no other role has their programs above; an empty "At a glance" would say nothing.
  const hasGlance =
    data.sections.ownEnrolments ||
    data.figures !== null ||
    data.failedMail !== null ||
    data.accounts !== null;
  return (
    <Layout ctx={ctx} title="My home">
      <h1>Welcome, {actor.name}</h1>
      {data.needsInstitutionSetup ? (
        <Notice kind="warn" role="status">
          <p>
            <strong>This site is not set up yet.</strong> It shows the placeholder name “{ctx.institutionName}
            ”, and badges cannot be issued until the institution’s name, contacts and colours are saved.{' '}
            <a href="/admin/institution">Set up the institution profile</a>
          </p>
        </Notice>
      ) : null}
      {data.sections.ledPrograms ? <LeadDutiesPanel duties={data.duties} /> : null}
      {/* The offices' queues come first: what waits for them today, before the links to every screen. */}
      {data.queues.length > 0 ? (
        <div class="cards queue-cards">
          {data.queues.map((queue) => (
            <QueuePanel key={queue.id} queue={queue} />
          ))}
        </div>
      ) : null}
      <p class="tags">
        <span class="visually-hidden">Your roles: </span>
        {actor.roles.map((r) => (
          <span class="tag" key={r}>
            {roleLabels[r]}
          </span>
        ))}
      </p>
      <nav aria-labelledby="work-heading">
        <h2 id="work-heading">Your work</h2>
        <ul class="cards">
          {linksFor(actor.roles).map((link) => (
            <li class="card" key={link.href}>
              <a href={link.href}>
                <strong>{link.label}</strong>
              </a>
              <span class="muted">{link.hint}</span>
            </li>
          ))}
        </ul>
      </nav>
      {data.sections.ledPrograms ? <LedPrograms data={data} /> : null}
      {hasGlance ? (
        <>
          <h2>At a glance</h2>
          <div class="cards">
            {data.sections.ownEnrolments ? (
              <Section title="My micro-credentials">
                {data.enrolments.length === 0 ? (
                  <p>
                    You are not enrolled yet. <a href="/catalog">Find a micro-credential</a>.
                  </p>
                ) : (
                  <ul>
                    {data.enrolments.map((e) => (
                      <li key={e.slug}>
                        <a href={`/catalog/${e.slug}`}>{e.title}</a> —{' '}
                        {e.awardStatus !== 'not_requested'
                          ? `badge: ${awardStatusLabels[e.awardStatus].toLowerCase()}`
                          : e.status === 'completed'
                            ? 'completed'
                            : 'in progress'}
                      </li>
                    ))}
                  </ul>
                )}
                <p>
                  <a href="/progress">See my progress</a>
                </p>
              </Section>
            ) : null}
            {data.figures ? (
              <Section title="Programs at a glance">
                {Object.keys(data.programsByStatus).length === 0 ? (
                  <p>No programs yet.</p>
                ) : (
                  <ul>
                    {Object.entries(data.programsByStatus).map(([status, count]) => (
                      <li key={status}>
                        {(isProgramState(status) ? programStateLabels[status] : undefined) ?? status}: {count}
                      </li>
                    ))}
                  </ul>
                )}
                <p>
                  {countOf(data.figures.learners, 'learner')},{' '}
                  {countOf(data.figures.activeEnrolments, 'active enrolment')}.
                </p>
              </Section>
            ) : null}
            {data.failedMail !== null ? (
              <Section title="Outgoing mail">
                <p>
                  {data.failedMail === 0
                    ? 'No failed deliveries.'
                    : `${countOf(data.failedMail, 'message')} could not be delivered.`}{' '}
                  <a href="/admin/mail">See outgoing mail</a>
                </p>
              </Section>
            ) : null}
            {data.accounts !== null ? (
              <Section title="Administration">
                <ul>
                  <li>
                    <a href="/admin/users">People and roles</a> ({countOf(data.accounts, 'account')})
                  </li>
                  <li>
                    <a href="/admin/audit">Audit log</a>
                  </li>
                  <li>
                    <a href="/admin/institution">Institution profile</a>
                  </li>
                  <li>
                    <a href="/admin">Every administration screen</a>
                  </li>
                </ul>
              </Section>
            ) : null}
          </div>
        </>
      ) : null}
    </Layout>
  );
}
