/**
 * Academic terms as the student information system writes them: a year and a season, '2025 Fall'.
 * Each term ends on a fixed day of the year, which stands in for a completion date the file does not give.
 */

export const seasons = ['Winter', 'Spring', 'Summer', 'Fall'] as const;
export type Season = (typeof seasons)[number];

// Month-day each term's grades are final, in the university's calendar.
const lastDayOf: Record<Season, string> = {
  Winter: '03-20',
  Spring: '06-12',
  Summer: '08-21',
  Fall: '12-12',
};

export interface AcademicTerm {
  year: number;
  season: Season;
  /** The canonical spelling, '2025 Fall'. */
  label: string;
  /** The last day of the term, 'YYYY-MM-DD'. */
  endsOn: string;
}

const seasonByLowerName = new Map<string, Season>(seasons.map((s) => [s.toLowerCase(), s]));

/**
 * Reads '2025 Fall', 'fall 2025' or '2025 FALL' (any case, either order) into a term; null when the text is
 * not a year between 1900 and 2199 and one of the four seasons.
 */
export function parseTerm(text: string): AcademicTerm | null {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 2) return null;
  const [first = '', second = ''] = parts;
  const [yearText, seasonText] = /^\d{4}$/.test(first) ? [first, second] : [second, first];
  if (!/^(19|20|21)\d\d$/.test(yearText)) return null;
  const season = seasonByLowerName.get(seasonText.toLowerCase());
  if (!season) return null;
  return {
    year: Number(yearText),
    season,
    label: `${yearText} ${season}`,
    endsOn: `${yearText}-${lastDayOf[season]}`,
  };
}

/**
 * The last term end a completions file may give: the end of the academic year after the current one. Grades
 * can arrive for this year's terms and, early, for next year's; a term further ahead ('2035 Fall') is a typing
 * mistake, and taking it would leave a grade that waits years to count. The academic year starts on the first
 * of `startMonth` (1 to 12), as the institution's profile sets it; `today` is 'YYYY-MM-DD'.
 */
export function latestTermEnd(today: string, startMonth: number): string {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  // The academic year in progress started in this calendar year or the one before.
  const currentStart = month >= startMonth ? year : year - 1;
  // Two academic years on from the current one's start is where refusal begins; the day before is the limit.
  const refusedFrom = new Date(Date.UTC(currentStart + 2, startMonth - 1, 1));
  return new Date(refusedFrom.getTime() - 86_400_000).toISOString().slice(0, 10);
}
