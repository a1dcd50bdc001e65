import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseTerm, type Season, seasons } from '../learners/academic-term.ts';
import { LISTED_STATES } from '../programs/program-vocabulary.ts';

const role = z.enum([
  'learner',
  'program_lead',
  'approver',
  'credentials_office',
  'registrar',
  'bursar',
  'admin',
]);
const level = z.enum(['undergraduate', 'graduate']);

/** The shape of `demo-university.json`, checked before anything is written. */
export const demoUniversitySchema = z.object({
  institution: z.object({
    name: z.string(),
    shortName: z.string(),
    url: z.url(),
    /** Where new students apply; left out, the program pages say whom to ask instead. */
    admissionsUrl: z.url({ protocol: /^https?$/ }).optional(),
    email: z.email(),
    phone: z.string(),
    address: z.string(),
    description: z.string(),
    colours: z.object({
      primary: z.string().regex(/^#[0-9a-fA-F]{6}$/),
      accent: z.string().regex(/^#[0-9a-fA-F]{6}$/),
    }),
    academicYearStartMonth: z.number().int().min(1).max(12),
    defaultFeeCents: z.number().int().min(0),
  }),
  departments: z.array(z.object({ code: z.string(), name: z.string() })),
  courses: z.array(z.object({ code: z.string(), title: z.string(), credits: z.number().int(), level })),
  certificates: z.array(
    z.object({
      slug: z.string(),
      title: z.string(),
      description: z.string(),
      level,
      credits: z.number().int().min(0),
      transcripted: z.boolean(),
      /** Absent: every offered badge that stacks into the certificate. */
      badgesRequired: z.number().int().positive().optional(),
      outcome: z.string().optional(),
      courses: z.array(z.object({ code: z.string(), required: z.boolean() })),
    }),
  ),
  programs: z.array(
    z.object({
      slug: z.string(),
      title: z.string(),
      summary: z.string(),
      description: z.string(),
      department: z.string(),
      level,
      credits: z.object({ min: z.number().int(), max: z.number().int() }),
      creditType: z.enum(['credit', 'non_credit', 'hybrid']),
      // A demo program starts listed or as a draft; the demo workflow walks drafts through review.
      status: z.enum([...LISTED_STATES, 'draft']),
      pilotStartYear: z.number().int().optional(),
      feeCents: z.number().int().min(0),
      validityYears: z.number().int().positive().optional(),
      outcomes: z.array(z.string()),
      skills: z.array(
        z.object({
          name: z.string(),
          framework: z.string().optional(),
          url: z.string().optional(),
          code: z.string().optional(),
        }),
      ),
      courses: z.array(z.string()),
      requirement: z.unknown(),
      stacksInto: z.array(z.string()),
      enrolmentPaths: z.array(z.enum(['new', 'non_degree', 'current', 'returning'])),
      lead: z.email(),
    }),
  ),
  users: z.array(z.object({ email: z.email(), name: z.string(), roles: z.array(role) })),
  learners: z.array(
    z.object({
      email: z.email(),
      name: z.string(),
      studentId: z.string(),
      status: z.enum(['degree_seeking', 'non_degree_seeking', 'current', 'returning']),
      enrolments: z.array(
        z.object({
          program: z.string(),
          enrolledOn: z.string(),
          completions: z.array(z.object({ course: z.string(), term: z.string(), grade: z.string() })),
          stage: z.enum(['just_enrolled', 'half_way', 'complete', 'badge_issued']),
        }),
      ),
    }),
  ),
});

export type DemoUniversity = z.infer<typeof demoUniversitySchema>;

/** Reads and checks the demo university data file. */
export function loadDemoUniversity(): DemoUniversity {
  const raw = JSON.parse(readFileSync(new URL('./demo-university.json', import.meta.url), 'utf8'));
  return demoUniversitySchema.parse(raw);
}

/** The password of every demo account, printed at first start. Only for the demo: never in production. */
export const DEMO_PASSWORD = 'stackable-demo';

/** '2025 Fall' → '2025-12-12': the demo's terms end on the usual days (academic-term.ts). */
export function termEndDate(term: string): string {
  const read = parseTerm(term);
  if (!read) throw new Error(`Unknown term "${term}"`);
  return read.endsOn;
}

// Each season's code in the demo's student system (the month it starts) and its first day.
const seasonStarts: Record<Season, { code: string; firstDay: string }> = {
  Winter: { code: '01', firstDay: '01-06' },
  Spring: { code: '04', firstDay: '04-01' },
  Summer: { code: '06', firstDay: '06-22' },
  Fall: { code: '09', firstDay: '09-02' },
};

/**
 * The demo registrar's Terms page: every season from the first year the data's completions name to two years after
 * `thisYear`, coded as the demo's student system codes them ('202509'). They are named as the data writes terms
 * ('2025 Fall') and end on the same days, so the demo's completions and a file about them name the same terms.
 */
export function demoTerms(data: DemoUniversity, thisYear: number) {
  const years = data.learners.flatMap((l) =>
    l.enrolments.flatMap((e) => e.completions.map((c) => Number(c.term.slice(0, 4)))),
  );
  const terms = [];
  for (let year = Math.min(thisYear, ...years); year <= thisYear + 2; year++) {
    for (const season of seasons) {
      const { code, firstDay } = seasonStarts[season];
      const name = `${year} ${season}`;
      terms.push({
        code: `${year}${code}`,
        name,
        startsOn: `${year}-${firstDay}`,
        endsOn: termEndDate(name),
      });
    }
  }
  return terms;
}
