import type { Skill } from '../platform/db/schema.ts';
import { describeRule, parseRule, RuleParseError } from '../requirements/index.ts';
import type { BadgeInput, StatusSlot } from './build-credential.ts';
import type { Evidence } from './credential-types.ts';

/** The facts of a program that go into its badge. */
export interface ProgramFacts {
  slug: string;
  title: string;
  summary: string;
  department: string;
  creditsMax: number;
  version: number;
  validityYears: number | null;
  skills: Skill[];
  requirement: unknown;
  /** Course code → title, in the program's order. */
  courses: ReadonlyMap<string, string>;
}

export interface AwardFacts {
  /** The credential's UUID (its id is `urn:uuid:<uuid>`). */
  uuid: string;
  publicUrl: string;
  issuer: BadgeInput['issuer'];
  program: ProgramFacts;
  learner: { email: string; did?: string };
  /** Random per credential, so equal e-mail addresses give unrelated hashes in different badges. */
  salt: string;
  /** When the badge is issued (see badgeInputForAward for the dates a badge carries). */
  validFrom: Date;
  /** Only for a badge earned for credit; never defaulted from the program. */
  creditsEarned?: number | undefined;
  /** The academic term the learner finished in. */
  term?: string | undefined;
  /** The day the learner finished the work, 'YYYY-MM-DD'. */
  completedOn?: string | undefined;
  evidence?: Omit<Evidence, 'type'>[];
  status: { revocation: StatusSlot };
}

/** The program's stable public page, which identifies its achievement in every badge. */
export const achievementUrl = (publicUrl: string, slug: string): string =>
  `${publicUrl}/catalog/${encodeURIComponent(slug)}`;

/** The program's badge artwork as served publicly. */
export const badgeImageUrl = (publicUrl: string, slug: string): string =>
  `${achievementUrl(publicUrl, slug)}/badge.png`;

/**
 * The plain-words criteria: the requirement rule described line by line, or, when the rule cannot be
 * read, the program's courses. Written as a Markdown list, as OB 3.0 narratives allow.
 */
export function criteriaNarrative(program: Pick<ProgramFacts, 'requirement' | 'courses'>): string {
  let lines: string[];
  try {
    lines = describeRule(parseRule(program.requirement), program.courses);
  } catch (error) {
    if (!(error instanceof RuleParseError)) throw error;
    lines = [...program.courses].map(([code, title]) => `Complete ${code} ${title}`);
  }
  return lines.map((line) => `- ${line}`).join('\n');
}

function addYears(date: Date, years: number): Date {
  const result = new Date(date);
  result.setUTCFullYear(result.getUTCFullYear() + years);
  return result;
}

/** The achievement part of a program's badges, as the catalog describes it. Pure. */
export function achievementInputFor(publicUrl: string, program: ProgramFacts): BadgeInput['program'] {
  const pageUrl = achievementUrl(publicUrl, program.slug);
  const image = { url: badgeImageUrl(publicUrl, program.slug), caption: `${program.title} badge` };
  return {
    url: pageUrl,
    name: program.title,
    description: program.summary,
    criteria: { url: pageUrl, narrative: criteriaNarrative(program) },
    image,
    alignments: program.skills.map((skill) => ({
      targetName: skill.name,
      // A skill without its own framework address points at the catalog's list of programs teaching it.
      targetUrl: skill.url ?? `${publicUrl}/catalog?skill=${encodeURIComponent(skill.name)}`,
      ...(skill.code ? { targetCode: skill.code } : {}),
      ...(skill.framework ? { targetFramework: skill.framework } : {}),
    })),
    creditsAvailable: program.creditsMax,
    fieldOfStudy: program.department,
    version: String(program.version),
  };
}

/**
 * Turns a program and a learner into the input of `buildOpenBadgeCredential`. Pure.
 *
 * The dates and credits of a badge follow one rule, whichever way it was issued (a request, a tracking list,
 * the API):
 * - `validFrom` and `awardedDate` are the moment the badge is issued. A badge is never back-dated to when the
 *   work was finished or a list was drawn up: it did not exist before it was signed, and OB 3.0 keeps
 *   `awardedDate` as the original award moment should the credential ever be re-issued with a new `validFrom`.
 * - `credentialSubject.activityEndDate` is the day the learner finished the work (the completion date a
 *   tracking list gives, or the day a request's requirements were first met), and `term` its academic term.
 * - `credentialSubject.creditsEarned` appears only on a badge earned for credit; a non-credit badge, and a
 *   hybrid program's non-credit cohort, claim no credits at all (the achievement still says `creditsAvailable`).
 */
export function badgeInputForAward(award: AwardFacts): BadgeInput {
  const { program, publicUrl } = award;
  const achievement = achievementInputFor(publicUrl, program);
  return {
    id: `urn:uuid:${award.uuid}`,
    issuer: award.issuer,
    validFrom: award.validFrom,
    validUntil: program.validityYears ? addYears(award.validFrom, program.validityYears) : undefined,
    name: program.title,
    description: program.summary,
    image: achievement.image,
    recipient: {
      did: award.learner.did,
      email: { address: award.learner.email, salt: award.salt },
    },
    program: achievement,
    awardedDate: award.validFrom,
    creditsEarned: award.creditsEarned,
    term: award.term,
    activityEndDate: award.completedOn ? new Date(`${award.completedOn}T00:00:00Z`) : undefined,
    evidence: award.evidence,
    status: award.status,
  };
}
