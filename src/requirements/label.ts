/**
 * Short names for rules, used where a whole requirement has to fit inside a sentence
 * ("still needs COMM 330 or COMM 340").
 */
import { countOf, formatCount } from '../platform/words.ts';
import { normalizeCourseCode } from './course-code.ts';
import { normalizeGrade } from './grades.ts';
import type { Rule } from './rule.ts';

/** A short plain-words name for a rule, e.g. 'COMM 330 (C- or better)' or '12 graduate credits'. */
export function labelRule(rule: Rule): string {
  switch (rule.type) {
    case 'course':
      return `${normalizeCourseCode(rule.code)}${describeMinimumGrade(rule.minGrade)}`;
    case 'credits':
      return `${formatCount(rule.min)} ${rule.level === undefined ? '' : `${rule.level} `}credits${
        rule.fromCourses === undefined ? '' : ' from the listed courses'
      }`;
    case 'experience':
      return rule.name;
    case 'all':
      return rule.rules.length === 1 ? labelRule(rule.rules[0]!) : `all of (${labelList(rule.rules)})`;
    case 'choose':
      return `${rule.count} of (${labelList(rule.rules)})`;
    case 'within':
      return `${labelRule(rule.rule)} within ${countOf(rule.years, 'year')}`;
  }
}

/** ' (C- or better)' for a letter minimum; nothing when any pass will do (no minimum, or 'P'). */
export function describeMinimumGrade(minGrade: string | undefined): string {
  if (minGrade === undefined) return '';
  const normalized = normalizeGrade(minGrade);
  return normalized === 'P' ? '' : ` (${normalized} or better)`;
}

/** 'A', 'A or B', 'A, B or C' (with the given final word). */
export function joinWords(items: readonly string[], finalWord: 'and' | 'or'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${finalWord} ${items[items.length - 1]}`;
}

function labelList(rules: readonly Rule[]): string {
  return rules.map(labelRule).join(', ');
}
