/** What the evaluator knows about one learner: the evidence requirement rules are checked against. */
export interface LearnerRecord {
  completions: CourseCompletion[];
  experiences: ExperienceSignOff[];
  substitutions: CourseSubstitution[];
}

/** One attempt at a course, as the registrar reports it. Retakes are separate completions. */
export interface CourseCompletion {
  course: string;
  credits: number;
  level: 'undergraduate' | 'graduate';
  /** A+ to F, P, NP, W or I (see grades.ts). */
  grade: string;
  /** ISO date ('YYYY-MM-DD'); a time part, if any, is ignored. */
  completedOn: string;
  /** The academic term ('2025 Fall'), when the record says; rules never read it, a badge's facts do. */
  term?: string;
}

/** Faculty confirmation that the learner completed an applied experience. */
export interface ExperienceSignOff {
  key: string;
  signedOffOn: string;
  /** Who signed off; an empty value is not treated as a sign-off. */
  signedOffBy: string;
}

/** An approved exception: a completion of `substitute` counts as a completion of `required`. */
export interface CourseSubstitution {
  required: string;
  substitute: string;
  /** Who approved it; an unapproved (empty) substitution is ignored. */
  approvedBy: string;
}

export interface EvaluationOptions {
  /** The evaluation day, ISO date. Work dated after it is ignored; `within` windows end on it. */
  asOf: string;
}
