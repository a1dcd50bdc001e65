import type { InstitutionService } from '../institution/institution.service.ts';
import type { Actor } from '../platform/actor.ts';
import { barChartSvg } from '../platform/charts.ts';
import type { Database } from '../platform/db/database.ts';
import { forbidden, notFound } from '../platform/errors.ts';
import { calendarDateIn } from '../programs/pilot-calendar.ts';
import { enrolmentPathLabels, type ProgramState } from '../programs/program-vocabulary.ts';
import type { ProgressService } from '../progress/progress.service.ts';
import { maySeeProgram } from './insight.policy.ts';
import type { InsightRepository } from './insight.repository.ts';
import { type ProgramFigures, programFigures } from './program-figures.ts';

export interface ProgramInsight {
  program: { id: string; slug: string; title: string; status: ProgramState; feeCents: number };
  figures: ProgramFigures;
  /** Server-drawn SVG charts; the page shows each beside a table of the same figures. */
  charts: { byTerm: string | null; needs: string | null; paths: string | null };
}

/** How a program is doing, for the people who run and judge it. Reads only; figures come from the pure core. */
export class InsightService {
  constructor(
    private readonly database: Database,
    private readonly institution: InstitutionService,
    private readonly progress: ProgressService,
    private readonly repository: InsightRepository,
  ) {}

  /** A program's figures; refused to anyone who may not see this program's (another program's lead, say). */
  async programFigures(actor: Actor, slug: string): Promise<Omit<ProgramInsight, 'charts'>> {
    const db = this.database.db;
    const program = await this.repository.findProgram(db, slug);
    if (!program) throw notFound('That program');
    if (!maySeeProgram(actor, { leadUserId: program.lead_user_id })) {
      throw forbidden(
        'Only the program’s lead, the credentials office, approvers and administrators see its figures.',
      );
    }
    const [institution, terms, enrolments, awards, progress] = await Promise.all([
      this.institution.get(),
      this.repository.terms(db),
      this.repository.enrolments(db, program.id),
      this.repository.awards(db, program.id),
      this.progress.evaluateProgram(program.id),
    ]);
    const { timeZone } = this.institution.displayOf(institution);
    const figures = programFigures({
      academicYearStartMonth: institution.academic_year_start_month,
      terms: terms.map((t) => ({ code: t.code, name: t.name, startsOn: t.starts_on, endsOn: t.ends_on })),
      enrolments: enrolments.map((e) => ({
        learnerId: e.learner_id,
        path: e.path,
        enrolledOn: e.enrolled_on,
        status: e.status,
      })),
      progress: progress.learners.map((l) => ({
        learnerId: l.learnerId,
        state: l.progress.status,
        missing: l.progress.missing,
      })),
      awards: awards.map((a) => ({
        learnerId: a.learner_id,
        creditMode: a.credit_mode,
        completedOn: a.completion_date ?? calendarDateIn(a.issued_at, timeZone),
        credentialStatus: a.credential_status,
        claimed: a.claimed_at !== null,
        fee:
          a.fee_status === null || a.fee_cents === null ? null : { status: a.fee_status, cents: a.fee_cents },
      })),
    });
    return {
      program: {
        id: program.id,
        slug: program.slug,
        title: program.title,
        status: program.status,
        feeCents: program.fee_cents,
      },
      figures,
    };
  }

  /** The figures with their charts, for the insight page. */
  async programInsight(actor: Actor, slug: string): Promise<ProgramInsight> {
    const { program, figures } = await this.programFigures(actor, slug);
    const topNeeds = figures.needs.slice(0, 10);
    const [byTerm, needs, paths] = await Promise.all([
      figures.byTerm.length === 0
        ? null
        : barChartSvg({
            title: `Enrolments and completions per term, ${program.title}`,
            description: termDescription(figures),
            categories: figures.byTerm.map((t) => t.term),
            categoryTitle: 'Term',
            valueTitle: 'Learners',
            series: [
              { name: 'Enrolled', values: figures.byTerm.map((t) => t.enrolled) },
              { name: 'Completed', values: figures.byTerm.map((t) => t.completed) },
            ],
          }),
      topNeeds.length === 0
        ? null
        : barChartSvg({
            title: `What learners of ${program.title} still need`,
            description: `Requirements still missing for learners working toward the badge, most needed first: ${topNeeds
              .map((n) => `${n.requirement} ${n.learners}`)
              .join(', ')}.`,
            categories: topNeeds.map((n) => n.requirement),
            categoryTitle: 'Requirement',
            valueTitle: 'Learners who need it',
            series: [{ name: 'Learners', values: topNeeds.map((n) => n.learners) }],
            horizontal: true,
          }),
      figures.enrolled === 0
        ? null
        : barChartSvg({
            title: `How learners enrolled in ${program.title}`,
            description: `Learners by enrolment path: ${figures.paths
              .map((p) => `${enrolmentPathLabels[p.path]} ${p.count}`)
              .join(', ')}.`,
            categories: figures.paths.map((p) => enrolmentPathLabels[p.path]),
            categoryTitle: 'Enrolment path',
            valueTitle: 'Learners',
            series: [{ name: 'Learners', values: figures.paths.map((p) => p.count) }],
            horizontal: true,
          }),
    ]);
    return { program, figures, charts: { byTerm, needs, paths } };
  }
}

function termDescription(figures: ProgramFigures): string {
  const first = figures.byTerm[0]!;
  const last = figures.byTerm[figures.byTerm.length - 1]!;
  const span = first === last ? first.term : `${first.term} to ${last.term}`;
  return `${figures.enrolled} enrolled and ${figures.completed} completed from ${span}; the table below gives each term.`;
}
