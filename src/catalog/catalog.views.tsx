import {
  admissionsPage,
  feePolicy,
  financialAidAnswer,
  transcriptAnswer,
} from '../institution/program-answers.ts';
import type { Institution } from '../platform/db/schema.ts';
import { Layout } from '../platform/http/layout.tsx';
import { formatDay } from '../platform/http/moment.ts';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { decimalAmount, formatMoney } from '../platform/money.ts';
import { countOf } from '../platform/words.ts';
import {
  creditTypeLabels,
  deliveryModeLabels,
  enrolmentPathHeadings,
  formatCredits,
  levelLabels,
} from '../programs/program-vocabulary.ts';
import type { CatalogFilter } from './catalog.repository.ts';
import type { CatalogEntry, ProgramPage as Program } from './catalog.service.ts';
import type { JoinedProgram } from './joined-programs.ts';

interface CatalogProps {
  ctx: PageContext;
  filter: CatalogFilter;
  programs: CatalogEntry[];
  facets: {
    departments: { code: string; name: string }[];
    skills: string[];
    /** The fewest credits of each offered program, once each, ascending: the "Up to" choices. */
    credits: number[];
    hasCertificates: boolean;
  };
}

function Select(props: {
  name: string;
  label: string;
  value?: string;
  options: [string, string][];
  any: string;
}) {
  return (
    <div>
      <label for={props.name}>{props.label}</label>
      <select id={props.name} name={props.name}>
        <option value="">{props.any}</option>
        {props.options.map(([value, label]) => (
          <option key={value} value={value} selected={value === props.value}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * The credits menu's choices: what the offered programs start at, and the address's own choice if it is none of
 * them (a link kept from before a program changed), so the menu still shows what is filtered.
 */
function creditChoices(offered: readonly number[], chosen: number | undefined): number[] {
  return chosen === undefined || offered.includes(chosen)
    ? [...offered]
    : [...offered, chosen].sort((a, b) => a - b);
}

/**
 * Where the signed-in learner stands with a program they joined, and the way to their progress in it: shown
 * instead of the ways to enrol. A note, not a live region: it is the page's content, not news of an action.
 */
function JoinedNotice({
  joined,
  program,
}: {
  joined: JoinedProgram;
  program: { slug: string; title: string };
}) {
  return (
    <Notice kind="ok" as="p" role="note">
      {joined.status === 'completed'
        ? `You completed ${program.title}.`
        : `You are enrolled in ${program.title}, since ${formatDay(joined.enrolledOn)}.`}{' '}
      <a href={`/progress#program-${program.slug}`}>See your progress</a>.
    </Notice>
  );
}

/** `/catalog`: search and filters, rendered on the server so it works without JavaScript. */
export function CatalogPage({ ctx, filter, programs, facets }: CatalogProps) {
  const filtered = Object.values(filter).some((v) => v !== undefined && v !== '');
  return (
    <Layout
      ctx={ctx}
      title="Micro-credential catalog"
      description={`Every micro-credential ${ctx.institutionName} offers: levels, credits, skills and how to enrol.`}
    >
      <h1>Micro-credential catalog</h1>
      <p>Short, focused programs, each ending in a digital badge you can share and anyone can verify.</p>
      {facets.hasCertificates ? (
        <p>
          Several badges also add up to a transcripted certificate.{' '}
          <a href="/catalog/certificates">See the certificates and how badges stack into them</a>.
        </p>
      ) : null}
      <form method="get" action="/catalog" class="filters" aria-label="Search and filter the catalog">
        <div>
          <label for="q">Search</label>
          <input
            id="q"
            name="q"
            type="search"
            value={filter.q ?? ''}
            placeholder="e.g. data, Spanish, leadership"
          />
        </div>
        <Select
          name="level"
          label="Level"
          value={filter.level}
          any="Any level"
          options={Object.entries(levelLabels) as [string, string][]}
        />
        <Select
          name="creditType"
          label="Credit"
          value={filter.creditType}
          any="Credit or not"
          options={Object.entries(creditTypeLabels) as [string, string][]}
        />
        <Select
          name="department"
          label="Department"
          value={filter.department}
          any="Any department"
          options={facets.departments.map((d) => [d.code, d.name])}
        />
        <Select
          name="skill"
          label="Skill"
          value={filter.skill}
          any="Any skill"
          options={facets.skills.map((s) => [s, s])}
        />
        <Select
          name="maxCredits"
          label="Credits"
          value={filter.maxCredits === undefined ? undefined : String(filter.maxCredits)}
          any="Any number"
          options={creditChoices(facets.credits, filter.maxCredits).map((n) => [String(n), `Up to ${n}`])}
        />
        <div>
          <button type="submit">Show results</button>
        </div>
      </form>
      <h2 id="results" aria-live="polite">
        {countOf(programs.length, 'micro-credential')}
        {filtered ? ' match' : ''}
        {filtered ? (
          <>
            {' '}
            · <a href="/catalog">Clear filters</a>
          </>
        ) : null}
      </h2>
      {programs.length === 0 ? (
        <p>
          {filtered
            ? 'Nothing matches all of these filters. Try fewer words or another level.'
            : 'No micro-credentials are offered yet. Programs appear here once they are approved.'}
        </p>
      ) : (
        <ul class="cards" aria-labelledby="results">
          {programs.map((p) => (
            <li class="card" key={p.slug}>
              <h3>
                <a href={`/catalog/${p.slug}`}>{p.title}</a>
              </h3>
              <p>{p.summary}</p>
              <p class="muted">{p.department}</p>
              <p class="tags">
                <span class="tag">{levelLabels[p.level]}</span>
                <span class="tag">{formatCredits(p.creditsMin, p.creditsMax)}</span>
                <span class="tag tag-accent">{creditTypeLabels[p.creditType]}</span>
                {p.deliveryMode ? <span class="tag">{deliveryModeLabels[p.deliveryMode]}</span> : null}
                {p.status === 'pilot' ? <span class="tag">Pilot</span> : null}
              </p>
              {p.joined ? (
                <p class="joined">
                  <strong>
                    {p.joined.status === 'completed' ? 'You completed this' : 'You are enrolled'}
                  </strong>{' '}
                  ·{' '}
                  <a href={`/progress#program-${p.slug}`}>
                    See your progress<span class="visually-hidden"> in {p.title}</span>
                  </a>
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

/** schema.org description of the credential, for search engines (JSON-LD data block, not script). */
function credentialJsonLd(p: Program, institution: Institution, publicUrl: string) {
  const data = {
    '@context': 'https://schema.org',
    '@type': 'EducationalOccupationalCredential',
    name: p.title,
    description: p.summary,
    url: `${publicUrl}/catalog/${p.slug}`,
    credentialCategory: 'Micro-credential',
    educationalLevel: levelLabels[p.level],
    competencyRequired: p.skills.map((s) => ({
      '@type': 'DefinedTerm',
      name: s.name,
      ...(s.framework ? { inDefinedTermSet: s.framework } : {}),
      ...(s.code ? { termCode: s.code } : {}),
      ...(s.url ? { url: s.url } : {}),
    })),
    recognizedBy: { '@type': 'CollegeOrUniversity', name: institution.name, url: institution.url },
    offers: {
      '@type': 'Offer',
      price: decimalAmount(p.feeCents),
      priceCurrency: institution.currency,
      category: 'Badge fee',
    },
    ...(p.validityYears ? { validFor: `P${p.validityYears}Y` } : {}),
  };
  // `<` is escaped so no text in the data can close the script element.
  return JSON.stringify(data).replace(/</g, '\\u003c');
}

const pathText: Record<string, (institution: Institution) => string> = {
  new: (i) => `Apply to ${i.name} and work toward a degree while you earn this badge along the way.`,
  non_degree: () => 'Enrol as a non-degree-seeking learner and take only the courses this badge needs.',
  current: () =>
    'Already enrolled? Add this micro-credential to your record, take its courses, then request the badge.',
  returning: () =>
    'Away for more than three terms? Ask us to reactivate your record; staff confirm it, usually within a few days.',
};

/** The new student's way in: the institution's admissions page, or whom to ask while it has set none. */
function ApplyForAdmission({ institution, title }: { institution: Institution; title: string }) {
  const page = admissionsPage(institution);
  return page ? (
    <p>
      <a class="button button-small" href={page}>
        Apply for admission<span class="visually-hidden"> in {title}</span>
      </a>
    </p>
  ) : (
    <p>
      Write to <a href={`mailto:${institution.email}`}>{institution.email}</a> to ask how to apply.
    </p>
  );
}

/** `/catalog/<slug>`: everything a prospective learner needs to decide and enrol. */
export function ProgramPage(props: {
  ctx: PageContext;
  program: Program;
  /** The signed-in learner's enrolment in the program, shown instead of the ways to enrol. */
  joined: JoinedProgram | null;
  institution: Institution;
  publicUrl: string;
}) {
  const { ctx, program: p, joined, institution } = props;
  const fee = formatMoney(p.feeCents, institution.currency);
  const policy = feePolicy(institution);
  return (
    <Layout
      ctx={ctx}
      title={p.title}
      description={p.summary}
      head={
        <script
          type="application/ld+json"
          dangerouslySetInnerHTML={{ __html: credentialJsonLd(p, institution, props.publicUrl) }}
        />
      }
    >
      <p class="muted">
        <a href="/catalog">Catalog</a> › {p.department}
      </p>
      <h1>{p.title}</h1>
      {p.isRetired ? (
        <Notice kind="warn" role="status">
          <p>
            <strong>No longer offered.</strong> New learners cannot enrol. Badges already earned remain valid
            and verifiable.
          </p>
        </Notice>
      ) : null}
      {p.isPilot ? (
        <Notice kind="info" as="p">
          This micro-credential is in its pilot years: it is fully approved to run, and reviewed each year.
        </Notice>
      ) : null}
      <p class="lead">{p.summary}</p>
      <dl class="facts">
        <dt>Level</dt>
        <dd>{levelLabels[p.level]}</dd>
        <dt>Credits</dt>
        <dd>{formatCredits(p.creditsMin, p.creditsMax)}</dd>
        <dt>Credit</dt>
        <dd>{creditTypeLabels[p.creditType]}</dd>
        <dt>Department</dt>
        <dd>{p.department}</dd>
        {p.deliveryMode ? (
          <>
            <dt>Taught</dt>
            <dd>{deliveryModeLabels[p.deliveryMode]}</dd>
          </>
        ) : null}
        {p.audience ? (
          <>
            <dt>Who it is for</dt>
            <dd>{p.audience}</dd>
          </>
        ) : null}
        <dt>Badge fee</dt>
        <dd>
          {fee}, charged to your student account when the badge is issued
          {policy ? <p class="muted">{policy}</p> : null}
        </dd>
        <dt>Valid</dt>
        <dd>{p.validityYears ? `${p.validityYears} years from issue` : 'Does not expire'}</dd>
      </dl>
      <h2>About</h2>
      <p>{p.description}</p>

      <h2>Requirements</h2>
      <ul>
        {p.requirementLines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <div class="table-wrap">
        <table>
          <caption>Courses</caption>
          <thead>
            <tr>
              <th scope="col">Course</th>
              <th scope="col">Title</th>
              <th scope="col">Credits</th>
            </tr>
          </thead>
          <tbody>
            {p.courses.map((c) => (
              <tr key={c.code}>
                <td>{c.code}</td>
                <td>
                  {c.title}
                  {c.isProposed ? ' (a new course, not yet in the course catalog)' : ''}
                </td>
                <td>{c.credits}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>What you will be able to do</h2>
      <ul>
        {p.outcomes.map((o) => (
          <li key={o}>{o}</li>
        ))}
      </ul>

      <h2>Skills</h2>
      <ul class="tags" aria-label="Skills this badge recognises">
        {p.skills.map((s) => (
          <li class="tag" key={s.name}>
            {s.url ? (
              <a href={s.url} rel="external">
                {s.name}
                {s.framework ? <span class="visually-hidden"> ({s.framework})</span> : null}
              </a>
            ) : (
              s.name
            )}
            {s.code ? <span class="muted"> · {s.code}</span> : null}
          </li>
        ))}
      </ul>

      {joined ? (
        <>
          <h2 id="enrol">Your enrolment</h2>
          <JoinedNotice joined={joined} program={p} />
        </>
      ) : p.isRetired ? null : (
        <>
          <h2 id="enrol">How to enrol</h2>
          <ul class="cards">
            {p.enrolmentPaths.map((path) => (
              <li class="card" key={path}>
                <h3>{enrolmentPathHeadings[path]}</h3>
                <p>{pathText[path]?.(institution)}</p>
                {path === 'new' ? (
                  <ApplyForAdmission institution={institution} title={p.title} />
                ) : (
                  <p>
                    <a class="button button-small" href={`/enrol/${p.slug}?path=${path}`}>
                      {path === 'returning' ? 'Ask to reactivate' : 'Enrol'}
                      <span class="visually-hidden"> in {p.title}</span>
                    </a>
                  </p>
                )}
              </li>
            ))}
          </ul>
        </>
      )}

      {p.stacksInto.length > 0 ? (
        <>
          <h2>Counts toward</h2>
          <ul>
            {p.stacksInto.map((c) => (
              <li key={c.slug}>
                <a href={`/catalog/certificates/${c.slug}`}>{c.title}</a> ({c.creditsRequired} credits in all,
                of which this badge brings {p.creditsMin}): {c.description}
              </li>
            ))}
          </ul>
          {p.companions.length > 0 ? (
            <p>
              Other badges that count toward the same certificate:{' '}
              {p.companions.map((c, i) => (
                <span key={c.slug}>
                  {i > 0 ? ', ' : ''}
                  <a href={`/catalog/${c.slug}`}>{c.title}</a>
                </span>
              ))}
              .
            </p>
          ) : null}
        </>
      ) : null}

      <h2>Questions</h2>
      <details>
        <summary>Will it appear on my transcript?</summary>
        <p>{transcriptAnswer(institution, p.creditType)}</p>
      </details>
      <details>
        <summary>Can I use financial aid?</summary>
        <p>{financialAidAnswer(institution)}</p>
      </details>
      <details>
        <summary>How is the badge issued?</summary>
        <p>
          When your progress page shows every requirement met, request the badge there. Your program lead
          confirms it,
          {` ${institution.name}`} issues an Open Badges 3.0 credential signed in its name, and you receive an
          e-mail with a link to claim it. The {fee} fee is charged to your student account at that point.
        </p>
      </details>
      <details>
        <summary>How can an employer check my badge?</summary>
        <p>
          Every badge carries a digital signature. Anyone can check it on our{' '}
          <a href="/verify">verification page</a> or with any Open Badges 3.0 verifier; a copied or altered
          badge fails the check.
        </p>
      </details>
      <p class="muted">
        Questions? Write to <a href={`mailto:${institution.email}`}>{institution.email}</a>
        {institution.phone ? ` or call ${institution.phone}` : ''}.
      </p>
    </Layout>
  );
}
