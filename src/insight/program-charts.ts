import type { BarChart } from '../platform/charts.ts';
import { enrolmentPathLabels } from '../programs/program-vocabulary.ts';
import type { ProgramFigures } from './program-figures.ts';

export interface ProgramCharts {
  byTerm: BarChart | null;
  needs: BarChart | null;
  paths: BarChart | null;
}

/**
 * A program's three charts as data, from the same figures as the tables beside them; null where there is nothing
 * to draw. Data rather than SVG, so a review can keep them and draw them again later.
 */
export function programCharts(title: string, figures: ProgramFigures): ProgramCharts {
  const topNeeds = figures.needs.slice(0, 10);
  return {
    byTerm:
      figures.byTerm.length === 0
        ? null
        : {
            title: `Enrolments and completions per term, ${title}`,
            description: termDescription(figures),
            categories: figures.byTerm.map((t) => t.term),
            categoryTitle: 'Term',
            valueTitle: 'Learners',
            series: [
              { name: 'Enrolled', values: figures.byTerm.map((t) => t.enrolled) },
              { name: 'Completed', values: figures.byTerm.map((t) => t.completed) },
            ],
          },
    needs:
      topNeeds.length === 0
        ? null
        : {
            title: `What learners of ${title} still need`,
            description: `Requirements still missing for learners working toward the badge, most needed first: ${topNeeds
              .map((n) => `${n.requirement} ${n.learners}`)
              .join(', ')}.`,
            categories: topNeeds.map((n) => n.requirement),
            categoryTitle: 'Requirement',
            valueTitle: 'Learners who need it',
            series: [{ name: 'Learners', values: topNeeds.map((n) => n.learners) }],
            horizontal: true,
          },
    paths:
      figures.enrolled === 0
        ? null
        : {
            title: `How learners enrolled in ${title}`,
            description: `Learners by enrolment path: ${figures.paths
              .map((p) => `${enrolmentPathLabels[p.path]} ${p.count}`)
              .join(', ')}.`,
            categories: figures.paths.map((p) => enrolmentPathLabels[p.path]),
            categoryTitle: 'Enrolment path',
            valueTitle: 'Learners',
            series: [{ name: 'Learners', values: figures.paths.map((p) => p.count) }],
            horizontal: true,
          },
  };
}

function termDescription(figures: ProgramFigures): string {
  const first = figures.byTerm[0]!;
  const last = figures.byTerm[figures.byTerm.length - 1]!;
  const span = first === last ? first.term : `${first.term} to ${last.term}`;
  return `${figures.enrolled} enrolled and ${figures.completed} completed from ${span}; the table below gives each term.`;
}
