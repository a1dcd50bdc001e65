/**
 * Turns the proposal and program edit forms (plain strings, as a browser posts them) into checked program
 * fields, with one problem per field worded for the person filling the form in. Pure: the lists of known
 * departments, courses and certificates are passed in.
 */
import { readCredits, splitCourseCode } from '../catalog/academic-structure.ts';
import { undrawableOnBadge } from '../credentials/artwork-text.ts';
import type { Skill } from '../platform/db/schema.ts';
import type { FieldProblem } from '../platform/errors.ts';
import { decimalAmount } from '../platform/money.ts';
import {
  coursesInRule,
  normalizeCourseCode,
  parseRule,
  type Rule,
  RuleParseError,
} from '../requirements/index.ts';
import {
  type CreditType,
  type DeliveryMode,
  deliveryModeLabels,
  type EnrolmentPath,
  enrolmentPathLabels,
  type Level,
} from './program-vocabulary.ts';
import type { ProgramContact } from './programs.tables.ts';

/** The form as posted: one string per field, or several for checkbox groups. */
export type FormValues = Record<string, string | string[] | undefined>;

/** Everything that describes a program, as the service stores it. */
export interface ProgramFields {
  title: string;
  slug: string;
  summary: string;
  description: string;
  departmentCode: string;
  level: Level;
  creditsMin: number;
  creditsMax: number;
  creditType: CreditType;
  courses: string[];
  requirement: Rule;
  outcomes: string[];
  skills: Skill[];
  feeCents: number;
  validityYears: number | null;
  /**
   * What renewing the badge takes, met by work done after the award; null renews on the program's own
   * requirement met again (issue 19, point 7).
   */
  renewalRequirement: Rule | null;
  stacksInto: string[];
  enrolmentPaths: EnrolmentPath[];
  contacts: ProgramContact[];
  /** Null for programs proposed before the form asked. */
  deliveryMode: DeliveryMode | null;
  /** Who the program is for. */
  audience: string;
}

/** The parts of a proposal that are not part of the program itself. */
export interface ProposalFields {
  /** Why the university should offer it. */
  rationale: string;
  /** How learners are assessed against the outcomes. */
  assessmentPlan: string;
  marketAnalysis: string;
  financialModel: string;
  marketingPlan: string;
  isInterdisciplinary: boolean;
  hasThirdParty: boolean;
}

export interface KnownReferences {
  departments: ReadonlySet<string>;
  courses: ReadonlySet<string>;
  certificates: ReadonlySet<string>;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: FieldProblem[] };

/** A course a draft proposal names that the catalog does not have yet: it is added as proposed. */
export interface NewCourse {
  code: string;
  title: string;
  credits: number;
}

/** The program's fields, and the courses it proposes that the catalog lacks. */
export type ParsedProgram =
  | {
      ok: true;
      value: ProgramFields;
      newCourses: NewCourse[];
      /** Fields left blank that a complete proposal needs (a draft may be saved without them). */
      missing: string[];
    }
  | { ok: false; problems: FieldProblem[] };

const limits = {
  title: 200,
  slug: 80,
  summary: 500,
  description: 10_000,
  audience: 2000,
  narrative: 20_000,
  line: 500,
};
const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
// Addresses under /catalog/ that belong to the catalog itself, so no program page can hide them (or be hidden).
const reservedSlugs = new Set(['certificates']);
const emailPattern = /^[^\s@|]+@[^\s@|]+\.[^\s@|]+$/;

const one = (values: FormValues, name: string): string => {
  const value = values[name];
  return (Array.isArray(value) ? (value[0] ?? '') : (value ?? '')).trim();
};
const many = (values: FormValues, name: string): string[] => {
  const value = values[name];
  return (Array.isArray(value) ? value : value === undefined || value === '' ? [] : [value]).map((v) =>
    v.trim(),
  );
};
const lines = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');

/** A URL-friendly name from a title: 'Data & Society' becomes 'data-society'. */
export function slugify(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, limits.slug)
    .replace(/-+$/, '');
}

/** '10', '10.5' or '$10.50' as cents; undefined when it is not an amount of money. */
export function parseDollars(text: string): number | undefined {
  const match = /^\$?\s*(\d{1,6})(?:\.(\d{1,2}))?$/.exec(text.replace(/,/g, ''));
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
}

/** `Skill name | framework | url | code`, one per line; only the name is required. */
export function parseSkillLines(text: string): { skills: Skill[]; problem?: string } {
  const skills: Skill[] = [];
  for (const [index, line] of lines(text).entries()) {
    const [name = '', framework = '', url = '', code = ''] = line.split('|').map((part) => part.trim());
    if (name === '') return { skills, problem: `line ${index + 1} needs a skill name before the first "|"` };
    if (name.length > 200)
      return { skills, problem: `line ${index + 1} has a name longer than 200 characters` };
    if (url !== '' && !isWebAddress(url)) {
      return { skills, problem: `line ${index + 1} has a framework address that is not an http(s) URL` };
    }
    skills.push({
      name,
      ...(framework ? { framework } : {}),
      ...(url ? { url } : {}),
      ...(code ? { code } : {}),
    });
  }
  return { skills };
}

/** `Name | e-mail | role`, one per line. */
export function parseContactLines(text: string): { contacts: ProgramContact[]; problem?: string } {
  const contacts: ProgramContact[] = [];
  for (const [index, line] of lines(text).entries()) {
    const [name = '', email = '', role = ''] = line.split('|').map((part) => part.trim());
    // Length first: the pattern backtracks on long inputs, and a field may hold 256 KB.
    if (name === '' || email.length > 320 || !emailPattern.test(email)) {
      return { contacts, problem: `line ${index + 1} must read "Name | e-mail address | role"` };
    }
    contacts.push({ name, email, role });
  }
  return { contacts };
}

function isWebAddress(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function wholeNumber(text: string, min: number, max: number): number | undefined {
  if (!/^\d{1,4}$/.test(text)) return undefined;
  const value = Number(text);
  return value >= min && value <= max ? value : undefined;
}

/**
 * Reads the program part of the form. Every problem is reported, not just the first. With `mayProposeCourses`
 * (a draft proposal), a line "CODE | title | credits" names a course the catalog does not have yet. With
 * `isDraft`, a field left blank is not a problem but is listed in `missing`: a lead may save a draft unfinished,
 * and completeness is checked when they ask for signatures. Title, department, level and credit type are still
 * needed, since they file the draft. Delivery mode and audience are never required of an offered program's edit
 * (programs approved before the form asked have none), only of a proposal.
 */
export function parseProgramFields(
  values: FormValues,
  known: KnownReferences,
  options: { mayProposeCourses?: boolean; isDraft?: boolean } = {},
): ParsedProgram {
  const problems: FieldProblem[] = [];
  const missing: string[] = [];
  const problem = (field: string, reason: string) => problems.push({ field, reason });
  const isDraft = options.isDraft === true;
  /** A required field left blank: missing from a draft, a problem anywhere else. */
  const blank = (field: string, reason: string) => (isDraft ? missing.push(field) : problem(field, reason));

  const text = (name: string, max: number, required = true): string => {
    const value = one(values, name);
    // Even a draft needs its title: it is how the lead finds it again.
    if (required && value === '') (name === 'title' ? problem : blank)(name, 'is required');
    else if (value.length > max) problem(name, `must be at most ${max} characters`);
    return value;
  };

  const title = text('title', limits.title);
  const undrawable = undrawableOnBadge(title);
  if (undrawable.length > 0) {
    problem(
      'title',
      `cannot hold ${undrawable.join(' ')}: the badge artwork has no emoji; use words instead`,
    );
  }
  const slug = one(values, 'slug') || slugify(title);
  if (slug === '' && title !== '') problem('slug', 'could not be made from the title; enter one');
  else if (slug !== '' && (!slugPattern.test(slug) || slug.length > limits.slug)) {
    problem(
      'slug',
      `must be lower-case letters and digits joined by hyphens, at most ${limits.slug} characters`,
    );
  } else if (reservedSlugs.has(slug)) {
    problem('slug', `cannot be "${slug}": the catalog uses that address for its own page; choose another`);
  }
  const summary = text('summary', limits.summary);
  const description = text('description', limits.description);

  const departmentCode = one(values, 'department');
  if (!known.departments.has(departmentCode)) problem('department', 'must be one of the listed departments');
  const level = one(values, 'level');
  if (level !== 'undergraduate' && level !== 'graduate')
    problem('level', 'must be undergraduate or graduate');
  const creditType = one(values, 'credit_type');
  if (creditType !== 'credit' && creditType !== 'non_credit' && creditType !== 'hybrid') {
    problem('credit_type', 'must be credit-bearing, non-credit or hybrid');
  }

  const minText = one(values, 'credits_min');
  // A draft without credits yet is stored as 0 and listed as missing, so the 0 is never mistaken for a choice.
  const creditsMin = minText === '' && isDraft ? 0 : wholeNumber(minText, 0, 120);
  if (minText === '' && isDraft) missing.push('credits_min');
  else if (creditsMin === undefined) problem('credits_min', 'must be a whole number from 0 to 120');
  const maxText = one(values, 'credits_max');
  const creditsMax = maxText === '' ? creditsMin : wholeNumber(maxText, 0, 120);
  if (creditsMax === undefined && maxText !== '')
    problem('credits_max', 'must be a whole number from 0 to 120');
  else if (creditsMin !== undefined && creditsMax !== undefined && creditsMax < creditsMin) {
    problem('credits_max', 'must not be less than the minimum');
  }

  const courses: string[] = [];
  const newCourses: NewCourse[] = [];
  const proposing = options.mayProposeCourses === true;
  for (const entry of courseEntries(one(values, 'courses'))) {
    const code = normalizeCourseCode(entry.code);
    if (code === '') continue;
    if (courses.includes(code)) problem('courses', `lists ${code} twice`);
    else if (known.courses.has(code)) courses.push(code);
    else if (!proposing) problem('courses', `lists ${code}, which is not in the course catalog`);
    else if (entry.title === undefined) {
      problem(
        'courses',
        `lists ${code}, which is not in the course catalog; to propose it as a new course, write "${code} | title | credits" on a line of its own`,
      );
    } else {
      const reason = newCourseProblem(code, entry.title, entry.credits);
      if (reason) problem('courses', `proposes ${code}, but ${reason}`);
      else {
        courses.push(code);
        newCourses.push({ code, title: entry.title, credits: readCredits(entry.credits)! });
      }
    }
  }
  if (courses.length === 0 && !problems.some((p) => p.field === 'courses')) {
    blank('courses', 'must list at least one course code');
  }
  const requirement =
    courses.length === 0 && isDraft && one(values, 'requirement_json') === ''
      ? ({ type: 'all', rules: [] } as Rule)
      : parseRequirement(values, courses, problem);

  const outcomes = lines(one(values, 'outcomes'));
  if (outcomes.length === 0) blank('outcomes', 'must list at least one learning outcome');
  else if (outcomes.length > 30) problem('outcomes', 'must list at most 30 outcomes');
  else if (outcomes.some((o) => o.length > limits.line)) {
    problem('outcomes', `must have outcomes of at most ${limits.line} characters each`);
  }

  const skillsRead = parseSkillLines(one(values, 'skills'));
  if (skillsRead.problem) problem('skills', skillsRead.problem);
  else if (skillsRead.skills.length > 50) problem('skills', 'must list at most 50 skills');

  const feeText = one(values, 'fee');
  const feeCents = feeText === '' && isDraft ? 0 : parseDollars(feeText);
  if (feeText === '' && isDraft) missing.push('fee');
  else if (feeCents === undefined) problem('fee', 'must be an amount in dollars, such as 10.00');

  const validityText = one(values, 'validity_years');
  const validityYears = validityText === '' ? null : wholeNumber(validityText, 1, 50);
  if (validityYears === undefined) problem('validity_years', 'must be blank (no expiry) or 1 to 50 years');
  const renewalRequirement = parseRenewalRequirement(one(values, 'renewal_requirement_json'), problem);

  const stacksInto = many(values, 'stacks_into').filter((s) => s !== '');
  if (stacksInto.some((s) => !known.certificates.has(s))) {
    problem('stacks_into', 'must be chosen from the listed certificates');
  }
  const enrolmentPaths = many(values, 'enrolment_paths').filter((p) => p !== '');
  if (enrolmentPaths.length === 0) blank('enrolment_paths', 'must offer at least one way to enrol');
  else if (enrolmentPaths.some((p) => !(p in enrolmentPathLabels))) {
    problem('enrolment_paths', 'must be chosen from the listed ways to enrol');
  }

  const contactsRead = parseContactLines(one(values, 'contacts'));
  if (contactsRead.problem) problem('contacts', contactsRead.problem);
  else if (contactsRead.contacts.length > 10) problem('contacts', 'must list at most 10 contacts');

  const deliveryText = one(values, 'delivery_mode');
  const deliveryMode = deliveryText === '' ? null : (deliveryText as DeliveryMode);
  if (deliveryText === '') missing.push('delivery_mode');
  else if (!(deliveryText in deliveryModeLabels)) {
    problem('delivery_mode', 'must be online, in person or hybrid');
  }
  const audience = text('audience', limits.audience, false);
  if (audience === '') missing.push('audience');

  if (problems.length > 0 || requirement === undefined) return { ok: false, problems };
  return {
    ok: true,
    newCourses,
    missing,
    value: {
      title,
      slug,
      summary,
      description,
      departmentCode,
      level: level as Level,
      creditsMin: creditsMin!,
      creditsMax: creditsMax!,
      creditType: creditType as CreditType,
      courses,
      requirement,
      outcomes,
      skills: skillsRead.skills,
      feeCents: feeCents!,
      validityYears: validityYears!,
      renewalRequirement: renewalRequirement ?? null,
      stacksInto: [...new Set(stacksInto)],
      enrolmentPaths: [...new Set(enrolmentPaths)] as EnrolmentPath[],
      contacts: contactsRead.contacts,
      deliveryMode,
      audience,
    },
  };
}

/** The course list: codes separated by lines, commas or semicolons, or a "CODE | title | credits" line. */
function courseEntries(text: string): { code: string; title?: string; credits?: string }[] {
  return text.split(/\r?\n/).flatMap((line) => {
    if (!line.includes('|')) return line.split(/[,;]+/).map((code) => ({ code }));
    const [code = '', title = '', credits = ''] = line.split('|').map((part) => part.trim());
    return [{ code, title, credits }];
  });
}

/** Why a proposed course cannot be added as written, or undefined when it can. */
function newCourseProblem(code: string, title: string, credits: string | undefined): string | undefined {
  if (!splitCourseCode(code)) return 'its code must be a subject and a number, such as COMM 499';
  if (title === '' || title.length > 200) return 'its title must be 1 to 200 characters';
  if (readCredits(credits) === undefined) return 'its credits must be a whole number from 0 to 30';
  return undefined;
}

/**
 * The advanced JSON rule when one is given (its courses must be among the program's), otherwise every listed
 * course at the chosen minimum grade.
 */
function parseRequirement(
  values: FormValues,
  courses: readonly string[],
  problem: (field: string, reason: string) => void,
): Rule | undefined {
  const json = one(values, 'requirement_json');
  try {
    if (json !== '') {
      let raw: unknown;
      try {
        raw = JSON.parse(json);
      } catch {
        problem('requirement_json', 'is not valid JSON');
        return undefined;
      }
      const rule = parseRule(raw);
      const outside = coursesInRule(rule).filter((code) => !courses.includes(code));
      if (outside.length > 0) {
        problem('requirement_json', `names ${outside.join(', ')}, which the course list does not include`);
        return undefined;
      }
      return rule;
    }
    if (courses.length === 0) return undefined;
    const minGrade = one(values, 'min_grade') || 'C-';
    return parseRule({
      type: 'all',
      rules: courses.map((code) => ({ type: 'course', code, ...(minGrade === 'none' ? {} : { minGrade }) })),
    });
  } catch (error) {
    if (!(error instanceof RuleParseError)) throw error;
    const field = json !== '' ? 'requirement_json' : 'min_grade';
    problem(field, error.problems.map((p) => `${p.field} ${p.reason}`).join('; '));
    return undefined;
  }
}

/**
 * The renewal rule, when one is given. It may name courses outside the program's list (a refresher course) and
 * continuing-education experiences; blank means renewing takes the program's own requirement again.
 */
function parseRenewalRequirement(
  json: string,
  problem: (field: string, reason: string) => void,
): Rule | undefined {
  if (json === '') return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    problem('renewal_requirement_json', 'is not valid JSON');
    return undefined;
  }
  try {
    return parseRule(raw);
  } catch (error) {
    if (!(error instanceof RuleParseError)) throw error;
    problem('renewal_requirement_json', error.problems.map((p) => `${p.field} ${p.reason}`).join('; '));
    return undefined;
  }
}

/** Reads the proposal-only part of the form (narratives and the two MOU questions). */
export function parseProposalFields(values: FormValues): Parsed<ProposalFields> {
  const problems: FieldProblem[] = [];
  const narrative = (name: string) => {
    const value = one(values, name);
    if (value.length > limits.narrative) {
      problems.push({ field: name, reason: `must be at most ${limits.narrative} characters` });
    }
    return value;
  };
  const value: ProposalFields = {
    rationale: narrative('rationale'),
    assessmentPlan: narrative('assessment_plan'),
    marketAnalysis: narrative('market_analysis'),
    financialModel: narrative('financial_model'),
    marketingPlan: narrative('marketing_plan'),
    isInterdisciplinary: one(values, 'is_interdisciplinary') !== '',
    hasThirdParty: one(values, 'has_third_party') !== '',
  };
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value };
}

/**
 * The form values that show an existing program (and its proposal) in the edit form. Fields a draft was saved
 * without (`missing`) show blank again, not as the 0 stored in their place.
 */
export function formValuesOf(
  program: ProgramFields,
  proposal?: ProposalFields,
  missing: readonly string[] = [],
): FormValues {
  const allCourseRule =
    program.requirement.type === 'all' &&
    program.requirement.rules.length === program.courses.length &&
    program.requirement.rules.every(
      (rule, index) => rule.type === 'course' && rule.code === program.courses[index],
    );
  const firstGrade =
    allCourseRule && program.requirement.type === 'all' && program.requirement.rules[0]?.type === 'course'
      ? (program.requirement.rules[0].minGrade ?? 'none')
      : 'C-';
  const values: FormValues = {
    title: program.title,
    slug: program.slug,
    summary: program.summary,
    description: program.description,
    department: program.departmentCode,
    level: program.level,
    credits_min: String(program.creditsMin),
    credits_max: program.creditsMax === program.creditsMin ? '' : String(program.creditsMax),
    credit_type: program.creditType,
    courses: program.courses.join('\n'),
    min_grade: firstGrade,
    // A rule the simple form cannot express is kept in the advanced box, so saving does not lose it.
    requirement_json: allCourseRule ? '' : JSON.stringify(program.requirement, null, 2),
    outcomes: program.outcomes.join('\n'),
    skills: program.skills
      .map((s) => [s.name, s.framework ?? '', s.url ?? '', s.code ?? ''].join(' | ').replace(/( \| )+$/, ''))
      .join('\n'),
    fee: decimalAmount(program.feeCents),
    validity_years: program.validityYears === null ? '' : String(program.validityYears),
    renewal_requirement_json: program.renewalRequirement
      ? JSON.stringify(program.renewalRequirement, null, 2)
      : '',
    stacks_into: program.stacksInto,
    enrolment_paths: program.enrolmentPaths,
    contacts: program.contacts.map((c) => `${c.name} | ${c.email} | ${c.role}`).join('\n'),
    delivery_mode: program.deliveryMode ?? '',
    audience: program.audience,
  };
  for (const field of missing) if (field === 'credits_min' || field === 'fee') values[field] = '';
  if (proposal) {
    values.rationale = proposal.rationale;
    values.assessment_plan = proposal.assessmentPlan;
    values.market_analysis = proposal.marketAnalysis;
    values.financial_model = proposal.financialModel;
    values.marketing_plan = proposal.marketingPlan;
    values.is_interdisciplinary = proposal.isInterdisciplinary ? 'on' : '';
    values.has_third_party = proposal.hasThirdParty ? 'on' : '';
  }
  return values;
}
