/**
 * Plain-words text about requirements: `explainEvaluation` for a learner's progress (learner pages, staff
 * dashboards) and `describeRule` for the public catalog entry of a credential.
 */
import { countOf, formatCount } from '../platform/words.ts';
import { normalizeCourseCode } from './course-code.ts';
import type { Evaluation } from './evaluation.ts';
import { describeMinimumGrade, joinWords } from './label.ts';
import type { Rule } from './rule.ts';

/**
 * One or two sentences on where a learner stands, e.g.
 * "2 of 3 required courses done; still needs COMM 330 or COMM 340; 8 of 12 credits."
 * Reasons evidence did not count (grade too low, too old, already used) follow as separate sentences.
 */
export function explainEvaluation(evaluation: Evaluation): string {
  const windows: string[] = [];
  let root = evaluation;
  while (root.type === 'within' && root.children?.[0] !== undefined) {
    windows.push(root.summary);
    root = root.children[0];
  }
  const items = root.type === 'all' ? (root.children ?? []) : [root];

  let coursesDone = 0;
  let coursesTotal = 0;
  let groupsDone = 0;
  let groupsTotal = 0;
  const signedOff: string[] = [];
  const needs: string[] = [];
  const credits: string[] = [];
  for (const item of items) {
    if (item.type === 'credits') {
      credits.push(item.summary);
      continue;
    }
    if (!item.met) needs.push(...item.missing);
    if (item.type === 'course' || isChoiceOfCourses(item)) {
      coursesDone += item.progress.done;
      coursesTotal += item.progress.total;
    } else if (item.type === 'experience') {
      if (item.met) signedOff.push(item.summary);
    } else {
      groupsTotal += 1;
      if (item.met) groupsDone += 1;
    }
  }

  const phrases: string[] = [];
  if (coursesTotal > 0) phrases.push(`${coursesDone} of ${countOf(coursesTotal, 'required course')} done`);
  if (groupsTotal > 0) phrases.push(`${groupsDone} of ${countOf(groupsTotal, 'requirement group')} done`);
  phrases.push(...signedOff);
  if (needs.length > 0) phrases.push(`still needs ${joinNeeds(needs)}`);
  phrases.push(...credits);

  const sentences = [
    evaluation.met ? `All requirements met: ${phrases.join('; ')}.` : `${capitalize(phrases.join('; '))}.`,
  ];
  for (const window of windows) sentences.push(`${window}.`);
  // Reasons matter only while something is missing; once met they would read as problems that are not.
  if (!evaluation.met) sentences.push(...collectNotes(evaluation));
  return sentences.join(' ');
}

function isChoiceOfCourses(evaluation: Evaluation): boolean {
  return (
    evaluation.type === 'choose' && (evaluation.children ?? []).every((child) => child.type === 'course')
  );
}

/** Joins needs with commas and 'and'; a two-way choice gets 'either' so its 'or' stays readable. */
function joinNeeds(needs: readonly string[]): string {
  if (needs.length === 1) return needs[0]!;
  const readable = needs.map((need) =>
    // Only an 'or' between alternatives counts; the one inside '(C- or better)' does not.
    / or /.test(need.replace(/\([^)]*\)/g, '')) && !/^(one of|\d)/.test(need) ? `either ${need}` : need,
  );
  return joinWords(readable, 'and');
}

function collectNotes(evaluation: Evaluation): string[] {
  const notes = new Set<string>();
  const visit = (node: Evaluation): void => {
    for (const note of node.notes ?? []) notes.add(note);
    for (const child of node.children ?? []) visit(child);
  };
  visit(evaluation);
  return [...notes];
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The requirement in catalog wording, one line per requirement; nested requirements are indented two
 * spaces per level. At the top, an `all` is implied (every line must be met) and its courses share one
 * line, e.g. ['Complete all of: COMM 330 Persuasion (C- or better), COMM 340 Rhetoric',
 * 'Earn at least 12 credits from these courses: ...', 'All within 4 years: ...'].
 *
 * @param courseTitles optional course titles by code, shown after each code.
 */
export function describeRule(rule: Rule, courseTitles?: ReadonlyMap<string, string>): string[] {
  const titles = new Map<string, string>();
  for (const [code, title] of courseTitles ?? []) titles.set(normalizeCourseCode(code), title);
  const describer = new RuleDescriber(titles);
  if (rule.type === 'within') {
    const span = countOf(rule.years, 'year');
    return [
      ...describer.describeTop(rule.rule),
      `All within ${span}: only work completed in the last ${span} counts`,
    ];
  }
  return describer.describeTop(rule);
}

class RuleDescriber {
  constructor(private readonly titles: ReadonlyMap<string, string>) {}

  describeTop(rule: Rule): string[] {
    if (rule.type === 'course') return [`Complete ${this.nameCourse(rule)}`];
    if (rule.type !== 'all') return this.describe(rule, 0);
    const courses = rule.rules.filter((child) => child.type === 'course');
    const lines: string[] = [];
    let coursesPlaced = false;
    for (const child of rule.rules) {
      if (child.type !== 'course') {
        lines.push(...this.describe(child, 0));
      } else if (!coursesPlaced) {
        coursesPlaced = true;
        lines.push(
          courses.length === 1
            ? `Complete ${this.nameCourse(child)}`
            : `Complete all of: ${courses.map((course) => this.nameCourse(course)).join(', ')}`,
        );
      }
    }
    return lines;
  }

  describe(rule: Rule, depth: number): string[] {
    const indent = '  '.repeat(depth);
    switch (rule.type) {
      case 'course':
        return [`${indent}${this.nameCourse(rule)}`];
      case 'credits': {
        const level = rule.level === undefined ? '' : `${rule.level} `;
        const from =
          rule.fromCourses === undefined
            ? ''
            : ` from these courses: ${rule.fromCourses.map((code) => this.nameCode(code)).join(', ')}`;
        return [`${indent}Earn at least ${countOf(rule.min, `${level}credit`)}${from}`];
      }
      case 'experience':
        return [`${indent}Complete an applied experience: ${rule.name}, signed off by faculty`];
      case 'all':
      case 'choose': {
        const heading = rule.type === 'all' ? 'Complete all of' : `Choose ${formatCount(rule.count)} of`;
        if (rule.rules.every((child) => child.type === 'course')) {
          return [`${indent}${heading}: ${rule.rules.map((child) => this.nameCourse(child)).join(', ')}`];
        }
        return [`${indent}${heading}:`, ...rule.rules.flatMap((child) => this.describe(child, depth + 1))];
      }
      case 'within': {
        const inner = this.describe(rule.rule, depth + 1);
        const span = countOf(rule.years, 'year');
        if (inner.length === 1) return [`${indent}Within ${span}, ${lowerFirst(inner[0]!.trimStart())}`];
        return [`${indent}Within ${span}:`, ...inner];
      }
    }
  }

  private nameCourse(rule: Rule): string {
    if (rule.type !== 'course') return '';
    return `${this.nameCode(rule.code)}${describeMinimumGrade(rule.minGrade)}`;
  }

  private nameCode(code: string): string {
    const normalized = normalizeCourseCode(code);
    const title = this.titles.get(normalized);
    return title === undefined ? normalized : `${normalized} ${title}`;
  }
}

function lowerFirst(text: string): string {
  // Course codes stay upper case ('Within 2 years, COMM 330'); only sentence openers are lowered.
  return /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}
