/** The events the learners module publishes, each inside the transaction that made the change. */
export interface LearnersEvents {
  /** Enrolments were made or reopened (a reopened one has a new day and path) in these programs. */
  'enrolments.recorded': { programIds: readonly string[] };
}
