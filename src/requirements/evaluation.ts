import type { RuleType } from './rule.ts';

/** The result of checking one rule against a learner record; the tree mirrors the rule's tree. */
export interface Evaluation {
  /** The rule type this node evaluated, so readers can word results without the rule at hand. */
  type: RuleType;
  met: boolean;
  /**
   * Courses and experiences: 0 or 1 of 1. Credits: credits counted (capped at the minimum) of the minimum.
   * `all`: children met of children. `choose`: min(children met, count) of count.
   */
  progress: { done: number; total: number };
  /** One plain-words line about this rule, e.g. '2 of 3 required courses done'. */
  summary: string;
  /** What is still needed, in plain words, e.g. ['COMM 330 or COMM 340', '4 more credits']. Empty when met. */
  missing: string[];
  /** Why evidence did not count: grade too low, completed too long ago, already counted for another option. */
  notes?: string[];
  children?: Evaluation[];
}

/** The top of an evaluation tree, with the totals a progress view needs. */
export interface RuleEvaluation extends Evaluation {
  /** Credits of passing courses the rule counted, each course once. */
  creditsEarned: number;
  /** 0 to 100, whole number, for a progress bar; 100 only when met. */
  percent: number;
}
