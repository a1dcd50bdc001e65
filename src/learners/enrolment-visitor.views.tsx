import { Layout } from '../platform/http/layout.tsx';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import type { EnrolmentPath } from '../programs/program-vocabulary.ts';
import { enrolmentPathHeadings } from '../programs/program-vocabulary.ts';
import { ApplyForAdmission, type EnrolmentState } from './enrolment.views.tsx';
import type { Admissions } from './learners.service.ts';

/** `/enrol/<slug>` for a visitor: the ways in, each leading to creating an account (or signing in) and back. */
export function VisitorEnrolPage(props: {
  ctx: PageContext;
  program: EnrolmentState['program'];
  isOpen: boolean;
  admissions: Admissions;
}) {
  const { ctx, program } = props;
  const back = (path: EnrolmentPath) => encodeURIComponent(`/enrol/${program.slug}?path=${path}`);
  return (
    <Layout ctx={ctx} title={`Enrol: ${program.title}`}>
      <p>
        <a href={`/catalog/${program.slug}`}>Back to {program.title}</a>
      </p>
      <h1>Enrol in {program.title}</h1>
      {props.isOpen ? (
        <>
          <p>Choose how you are joining {program.title}.</p>
          <ul class="cards">
            {program.enrolmentPaths.map((path) => (
              <li class="card" key={path}>
                <h2>{enrolmentPathHeadings[path]}</h2>
                {path === 'new' ? (
                  <ApplyForAdmission admissions={props.admissions} />
                ) : path === 'current' ? (
                  <p>
                    <a class="button button-small" href={`/login?next=${back(path)}`}>
                      Sign in<span class="visually-hidden"> as a current student</span>
                    </a>{' '}
                    or{' '}
                    <a href={`/signup?next=${back(path)}`}>create an account with your university e-mail</a>
                  </p>
                ) : (
                  <p>
                    <a class="button button-small" href={`/signup?next=${back(path)}`}>
                      Create an account<span class="visually-hidden">: {enrolmentPathHeadings[path]}</span>
                    </a>{' '}
                    or <a href={`/login?next=${back(path)}`}>sign in</a>
                  </p>
                )}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <Notice kind="warn" role="alert">
          <p>
            {program.title} is not open for enrolment at the moment. <a href="/catalog">Browse the catalog</a>{' '}
            for programs that are.
          </p>
        </Notice>
      )}
    </Layout>
  );
}
