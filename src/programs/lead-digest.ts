import { formatDay } from '../platform/http/moment.ts';

/**
 * The lead's weekly digest: which week a digest belongs to (its claim key in the reminders log) and what it says.
 * Pure; `PilotReviewsService.sendLeadDigests` sends it.
 */

import { countOf } from '../platform/words.ts';
import type { DatedObligation } from './pilot-obligations.ts';
import { programMail } from './programs.mail.ts';

/** The Monday of the week `day` falls in ('YYYY-MM-DD'): the key that lets a lead's digest go once a week. */
export function weekStartOf(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  const sinceMonday = (date.getUTCDay() + 6) % 7;
  return new Date(date.getTime() - sinceMonday * 86_400_000).toISOString().slice(0, 10);
}

/** Items by a key, in the order first met. */
export function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/** The weekly digest to one lead: what is overdue on their programs, then what falls due within 30 days. */
export function digestMail(
  late: readonly DatedObligation[],
  soon: readonly DatedObligation[],
  publicUrl: string,
) {
  const lead = late[0]!;
  const line = (o: DatedObligation, words: string) =>
    `${o.title}: ${o.label}, ${words} (${publicUrl}${o.path})`;
  return programMail({
    to: { name: lead.leadName ?? 'program lead', email: lead.leadEmail! },
    subject: `What is due on your programs: ${late.length} overdue`,
    lines: [
      `Overdue on the programs you lead (${late.length}):`,
      ...late.map((o) => line(o, `due ${formatDay(o.dueOn)}, ${countOf(o.days, 'day')} late`)),
      ...(soon.length > 0
        ? [`Due within 30 days (${soon.length}):`, ...soon.map((o) => line(o, `due ${formatDay(o.dueOn)}`))]
        : []),
      'This summary comes once a week while something is overdue.',
    ],
    action: { label: 'Open your home page', url: `${publicUrl}/home` },
  });
}
