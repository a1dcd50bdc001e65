import type { Institution } from '../platform/db/schema.ts';
import { Layout } from '../platform/http/layout.tsx';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { levelLabels } from '../programs/program-vocabulary.ts';
import { badgesPhrase, creditsPhrase } from './catalog.format.ts';
import type { CertificateEntry, Pathway, PersonalStanding } from './certificates.service.ts';
import { pathwayJsonLd } from './pathway-json-ld.ts';
import { ExtraCourses, PersonalProgress, StackBadge } from './pathway-parts.tsx';

/** `/catalog/certificates`: every certificate and how many offered badges stack into it. */
export function CertificatesPage({
  ctx,
  certificates,
}: {
  ctx: PageContext;
  certificates: CertificateEntry[];
}) {
  return (
    <Layout
      ctx={ctx}
      title="Certificates"
      description={`Certificates at ${ctx.institutionName} that micro-credentials stack into, and what each needs.`}
    >
      <p class="muted">
        <a href="/catalog">Catalog</a> › Certificates
      </p>
      <h1>Certificates</h1>
      <p class="lead">
        A certificate is a larger award made of several micro-credentials plus a few more courses. The badges
        you earn on the way count toward it, so nothing you take is wasted.
      </p>
      {certificates.length === 0 ? (
        <p>No certificates are offered at the moment.</p>
      ) : (
        <ul class="cards">
          {certificates.map((c) => (
            <li class="card" key={c.slug}>
              <h2>
                <a href={`/catalog/certificates/${c.slug}`}>{c.title}</a>
              </h2>
              <p>{c.description}</p>
              <p class="tags">
                <span class="tag">{levelLabels[c.level]}</span>
                <span class="tag">{creditsPhrase(c.creditsRequired)}</span>
                <span class="tag tag-accent">
                  {c.isTranscripted ? 'On your transcript' : 'Not transcripted'}
                </span>
                <span class="tag">
                  {c.badgeCount === 1 ? '1 micro-credential' : `${c.badgeCount} micro-credentials`}
                </span>
              </p>
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href="/catalog">Browse all micro-credentials</a>
      </p>
    </Layout>
  );
}

/** `/catalog/certificates/<slug>`: the certificate, its stack in order, how the credits add up, how to start. */
export function PathwayPage(props: {
  ctx: PageContext;
  pathway: Pathway;
  personal: PersonalStanding | null;
  institution: Institution;
  publicUrl: string;
}) {
  const { ctx, pathway: c, personal, institution } = props;
  const { plan } = c;
  const first = c.stack[0];
  const required = c.courses.filter((course) => course.isRequired);
  const electives = c.courses.filter((course) => !course.isRequired);
  const isAtLeast = c.badgesRequired !== null && c.badgesRequired < c.stack.length;
  const badgeRangeVaries = c.stack.some((b) => b.creditsMin !== b.creditsMax) || isAtLeast;
  const awarder = c.isTranscripted ? 'the registrar' : 'the credentials office';
  return (
    <Layout
      ctx={ctx}
      title={c.title}
      description={c.description}
      head={
        <script
          type="application/ld+json"
          dangerouslySetInnerHTML={{ __html: pathwayJsonLd(c, institution, props.publicUrl) }}
        />
      }
    >
      <p class="muted">
        <a href="/catalog">Catalog</a> › <a href="/catalog/certificates">Certificates</a>
      </p>
      <h1>{c.title}</h1>
      <p class="lead">{c.description}</p>
      <dl class="facts">
        <dt>Level</dt>
        <dd>{levelLabels[c.level]}</dd>
        <dt>Credits</dt>
        <dd>{creditsPhrase(c.creditsRequired)} in all</dd>
        <dt>Transcript</dt>
        <dd>
          {c.isTranscripted
            ? 'Transcripted: awarded by the registrar and shown on your transcript'
            : 'Not transcripted: recognised by the university, not shown on your transcript'}
        </dd>
        <dt>Micro-credentials</dt>
        <dd>{badgesPhrase(plan.badgesNeeded, plan.badgesOffered)}</dd>
        {c.outcome ? (
          <>
            <dt>Outcome</dt>
            <dd>{c.outcome}</dd>
          </>
        ) : null}
      </dl>

      {personal ? <PersonalProgress personal={personal} plan={plan} awarder={awarder} /> : null}

      <h2 id="stack">The stack</h2>
      {c.stack.length === 0 ? (
        <p>No micro-credential counts toward this certificate at the moment.</p>
      ) : (
        <p>
          {isAtLeast
            ? `Earn any ${plan.badgesNeeded} of these micro-credentials`
            : 'Earn these micro-credentials'}
          {c.courses.length > 0 ? ', then complete the courses after them' : ''}. They are listed in a
          suggested order, starting with the one whose courses come earliest.
        </p>
      )}
      {c.stack.length + c.courses.length === 0 ? null : (
        <ol class="pathway" aria-labelledby="stack">
          {c.stack.map((b) => (
            <StackBadge
              key={b.slug}
              badge={b}
              isTranscripted={c.isTranscripted}
              standing={personal?.standing.badges.get(b.slug)}
            />
          ))}
          {required.length > 0 ? (
            <li>
              <p class="kicker">Courses</p>
              <h3>Required courses</h3>
              <ExtraCourses
                id="required-courses"
                courses={required}
                personal={personal}
                caption="Required courses"
              />
            </li>
          ) : null}
          {electives.length > 0 ? (
            <li>
              <p class="kicker">Courses</p>
              <h3>Electives</h3>
              <p>
                {plan.electiveCredits === 0
                  ? 'Optional: the badges and required courses already make up the total.'
                  : badgeRangeVaries
                    ? `Choose from these courses to make up the total: up to ${creditsPhrase(plan.electiveCredits)}, fewer if your badges bring more.`
                    : `Choose ${creditsPhrase(plan.electiveCredits)} from these courses.`}
              </p>
              <ExtraCourses
                id="electives"
                courses={electives}
                personal={personal}
                caption="Elective courses"
              />
            </li>
          ) : null}
        </ol>
      )}

      <h2 id="credits">How the credits add up</h2>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">How the credits add up</caption>
          <thead>
            <tr>
              <th scope="col">Part</th>
              <th scope="col">Credits</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">{badgesPhrase(plan.badgesNeeded, plan.badgesOffered)}</th>
              <td>{badgeRangeVaries ? `at least ${plan.badgeCredits}` : plan.badgeCredits}</td>
            </tr>
            <tr>
              <th scope="row">
                {required.length === 1 ? '1 required course' : `${required.length} required courses`}
              </th>
              <td>{plan.requiredCourseCredits}</td>
            </tr>
            <tr>
              <th scope="row">Electives</th>
              <td>
                {badgeRangeVaries && plan.electiveCredits > 0
                  ? `up to ${plan.electiveCredits}`
                  : plan.electiveCredits}
              </td>
            </tr>
            <tr class="sum-total">
              <th scope="row">Total</th>
              <td>{plan.total}</td>
            </tr>
          </tbody>
        </table>
      </div>
      {badgeRangeVaries ? (
        <p class="muted">
          Badge credits are counted at their smallest. A badge you complete with more credits, or an extra
          badge, leaves fewer elective credits to choose.
        </p>
      ) : null}
      {c.shared.map((s) => (
        <p key={s.code}>
          {s.code} belongs to both {s.badges.join(' and ')}. You take it once, so its credits count once
          toward the certificate.
        </p>
      ))}
      {plan.isReachable ? null : (
        <Notice kind="warn" role="status">
          <p>
            The micro-credentials and courses offered right now do not make up the {creditsPhrase(plan.total)}{' '}
            this certificate needs. Ask {awarder} how to complete it.
          </p>
        </Notice>
      )}

      <h2 id="start">How to start</h2>
      {first ? (
        <p>
          Start with <a href={`/catalog/${first.slug}`}>{first.title}</a>: its page explains how to enrol as a
          new, current, returning or non-degree student. Courses you take for one badge count toward the
          certificate as you go.
        </p>
      ) : null}
      <p>
        When you hold the micro-credentials and have completed the courses, ask {awarder} to award the
        certificate. {c.isTranscripted ? 'It then appears on your transcript alongside your badges.' : ''}
      </p>
      {ctx.actor ? null : (
        <p>
          Already studying with us? <a href={`/login?next=/catalog/certificates/${c.slug}`}>Sign in</a> to see
          which pieces of this certificate you already have.
        </p>
      )}
      <p class="muted">
        Questions? Write to <a href={`mailto:${institution.email}`}>{institution.email}</a>.
      </p>
    </Layout>
  );
}
