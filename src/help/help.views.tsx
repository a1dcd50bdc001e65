import type { ComponentChildren } from 'preact';
import { Layout } from '../platform/http/layout.tsx';
import type { PageContext } from '../platform/http/page-context.ts';

/** The help pages, each with its address and the one line the index shows for it. */
export const helpPages = {
  learners: {
    href: '/help/learners',
    title: 'Help for learners',
    line: 'Enrolling, asking for a badge, fees, claiming, sharing and checking badges.',
  },
  staff: {
    href: '/help/staff',
    title: 'Help for staff',
    line: 'How a badge is proposed and approved, how badges are issued, and who does what.',
  },
} as const;

function HelpLayout(props: { ctx: PageContext; title: string; children: ComponentChildren }) {
  return (
    <Layout
      ctx={props.ctx}
      title={props.title}
      description={`${props.title} at ${props.ctx.institutionName}.`}
    >
      <p class="muted">
        <a href="/help">Help</a> › {props.title}
      </p>
      <h1>{props.title}</h1>
      {props.children}
    </Layout>
  );
}

/** `/help`: where to start, for learners and for staff. */
export function HelpIndexPage({ ctx }: { ctx: PageContext }) {
  return (
    <Layout ctx={ctx} title="Help" description={`How micro-credentials work at ${ctx.institutionName}.`}>
      <h1>Help</h1>
      <p class="lead">
        At {ctx.institutionName}, a micro-credential is a short, focused set of courses or activities. When
        you complete one, you receive a digital badge that anyone can check.
      </p>
      <ul class="cards">
        {Object.values(helpPages).map((page) => (
          <li class="card" key={page.href}>
            <h2>
              <a href={page.href}>{page.title}</a>
            </h2>
            <p>{page.line}</p>
          </li>
        ))}
      </ul>
      <p>
        Looking for something to study? Start in the <a href="/catalog">catalog</a>. Handed a badge to check?
        Use <a href="/verify">Verify a badge</a>.
      </p>
    </Layout>
  );
}

/** `/help/learners`: the learner's road from enrolling to sharing a badge, in plain words. */
export function LearnerHelpPage({ ctx }: { ctx: PageContext }) {
  const name = ctx.institutionName;
  return (
    <HelpLayout ctx={ctx} title={helpPages.learners.title}>
      <nav aria-label="On this page">
        <ul>
          <li>
            <a href="#enrol">Enrolling</a>
          </li>
          <li>
            <a href="#request">Asking for your badge</a>
          </li>
          <li>
            <a href="#fees">Fees</a>
          </li>
          <li>
            <a href="#claim">Claiming your badge</a>
          </li>
          <li>
            <a href="#share">Sharing it</a>
          </li>
          <li>
            <a href="#verify">How others check it</a>
          </li>
        </ul>
      </nav>
      <h2 id="enrol">Enrolling</h2>
      <p>Each program page in the catalog says who may join it. There are four ways in:</p>
      <ul>
        <li>New students apply to {name} and choose the micro-credential when they enrol.</li>
        <li>Current students add it to the courses they are already taking.</li>
        <li>Learners who are not seeking a degree take only the courses the micro-credential needs.</li>
        <li>Former students coming back ask to return first; the registrar looks at the request.</li>
      </ul>
      <p>
        Some badges stack into a larger certificate. The <a href="/catalog/certificates">certificates page</a>{' '}
        shows which, and how many credits each certificate needs.
      </p>
      <h2 id="request">Asking for your badge</h2>
      <p>
        Your grades arrive from the student records system. Once you have met every requirement,{' '}
        <a href="/progress">My progress</a> says so and offers a button to ask for the badge. The program's
        staff check the request. If something is missing, they tell you what, and you can ask again once it is
        sorted out.
      </p>
      <h2 id="fees">Fees</h2>
      <p>
        Some badges carry a small fee, shown on the program's page. It is added to your student account when
        the badge is issued, not before. The bursar's office and the credentials office can waive it in some
        cases.
      </p>
      <h2 id="claim">Claiming your badge</h2>
      <p>
        When your badge is issued you receive an e-mail with a personal link. Open it, sign in, and the badge
        is placed in <a href="/backpack">My badges</a>. Keep that e-mail to yourself: the link is for you
        alone.
      </p>
      <h2 id="share">Sharing it</h2>
      <p>
        From My badges you can download the badge as an image with its record built in, add it to LinkedIn, or
        copy a public link. You decide whether the public page shows your name.
      </p>
      <h2 id="verify">How others check it</h2>
      <p>
        Anyone can upload the badge file or paste its link into <a href="/verify">Verify a badge</a>. The page
        says whether {name} issued it, whether it has been changed, and whether it is still valid.
      </p>
    </HelpLayout>
  );
}

/** `/help/staff`: the proposal and issuing processes and each role's part, in plain words. */
export function StaffHelpPage({ ctx }: { ctx: PageContext }) {
  const name = ctx.institutionName;
  return (
    <HelpLayout ctx={ctx} title={helpPages.staff.title}>
      <nav aria-label="On this page">
        <ul>
          <li>
            <a href="#proposal">From proposal to program</a>
          </li>
          <li>
            <a href="#issuing">From request to badge</a>
          </li>
          <li>
            <a href="#certificates">Certificates</a>
          </li>
          <li>
            <a href="#roles">Who does what</a>
          </li>
        </ul>
      </nav>
      <h2 id="proposal">From proposal to program</h2>
      <ol>
        <li>
          <strong>Proposal.</strong> A program lead drafts the program: its courses, outcomes, the rule for
          earning it and who may enrol. The credentials office can comment while it is being written.
        </li>
        <li>
          <strong>Signatures.</strong> The lead names the people whose support the proposal needs, such as the
          department chair. Each signs or declines; it moves on once everyone has signed.
        </li>
        <li>
          <strong>Approval.</strong> The proposal goes through {name}'s approval steps, one after another. Any
          step can send it back with questions; the lead revises and it continues.
        </li>
        <li>
          <strong>Pilot.</strong> Once approved, the program is listed in the catalog and runs as a pilot. The
          lead writes a short review each year: how many enrolled, what went well, what will change.
        </li>
        <li>
          <strong>Decision.</strong> In the pilot's third year the lead submits a full proposal. The approval
          steps decide whether the program becomes established or closes.
        </li>
      </ol>
      <p>Nobody records a decision on a proposal they wrote or lead: another person takes that step.</p>
      <h2 id="issuing">From request to badge</h2>
      <ol>
        <li>
          <strong>Request.</strong> A learner who has met the requirements asks for the badge.
        </li>
        <li>
          <strong>Approval.</strong> The program's staff check the record and approve the request, or decline
          it with a reason.
        </li>
        <li>
          <strong>Fee.</strong> When the badge is issued, any fee is posted to the learner's account; the
          bursar can waive it.
        </li>
        <li>
          <strong>Claim.</strong> The learner receives an e-mail with a personal link to claim the badge.
          For-credit badges are also sent to the transcript by the registrar.
        </li>
      </ol>
      <p>
        Non-credit programs can also be issued in bulk from a tracking list: one person uploads it, a second
        checks and issues it.
      </p>
      <h2 id="certificates">Certificates</h2>
      <p>
        The credentials office looks after the certificates that badges stack into. A change is saved as a
        draft and reaches the public page only when it is published; earlier versions stay on record.
      </p>
      <h2 id="roles">Who does what</h2>
      <dl>
        <dt>Program lead</dt>
        <dd>
          Writes proposals, follows learners' progress, approves badge requests and writes the pilot reviews.
        </dd>
        <dt>Approver</dt>
        <dd>Signs proposals and takes the approval steps assigned to them.</dd>
        <dt>Credentials office</dt>
        <dd>
          Advises on proposals, looks after certificates and learners' records, and issues non-credit badges.
        </dd>
        <dt>Registrar</dt>
        <dd>Issues for-credit badges, sends them to transcripts and decides requests to return.</dd>
        <dt>Bursar</dt>
        <dd>
          Keeps the fee ledger, waives fees where that is right and exports charges to student accounts.
        </dd>
        <dt>Administrator</dt>
        <dd>Invites people, gives them roles, sets the approval steps and reads the audit log.</dd>
      </dl>
    </HelpLayout>
  );
}
