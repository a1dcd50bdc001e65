import type { AppServices } from '../app-services.ts';
import { type CommandIo, commandGroup, UsageMistake } from './command-io.ts';

export const insightUsage = `Usage:
  stackable insight rebuild   Count the dashboards' kept figures again from the awards and enrolments
                              (after loading data by hand; a server also builds them at start when missing)
  stackable insight verify    Compare every kept figure with the live count; exit 1 and list them if any differ`;

/** `stackable insight rebuild`: a thin wrapper over InsightFiguresService.rebuild. */
async function rebuild(app: AppServices, args: string[], io: CommandIo): Promise<number> {
  if (args.length > 0) throw new UsageMistake('"rebuild" takes no arguments.');
  const built = await app.services.insightFigures.rebuild();
  io.out(
    `Counted again: ${built.badgeDays} program-days of badges and ${built.enrolmentDays} of enrolments (days in ${built.timeZone}).`,
  );
  return 0;
}

/** `stackable insight verify`: a thin wrapper over InsightFiguresService.differences. */
async function verify(app: AppServices, args: string[], io: CommandIo): Promise<number> {
  if (args.length > 0) throw new UsageMistake('"verify" takes no arguments.');
  const differences = await app.services.insightFigures.differences();
  if (differences.length === 0) {
    io.out('Every kept figure equals the live count.');
    return 0;
  }
  for (const d of differences.slice(0, 50)) {
    io.out(`${d.table} ${d.key}: kept ${d.kept ?? 'nothing'}, live ${d.live ?? 'nothing'}`);
  }
  io.err(
    `${differences.length} kept figures differ from the live counts; stackable insight rebuild counts them again.`,
  );
  return 1;
}

const insight = commandGroup({
  name: 'insight',
  usage: insightUsage,
  actions: { rebuild, verify },
  // A count that fails on our side was a fault thrown to `main` before the group's frame answered it: its cause
  // is logged rather than lost.
});

/** `stackable insight …` on an app that is already open. */
export const runInsightCommand = insight.run;
/** Entry point for `stackable insight …`: opens the app without job workers or a port, runs, closes. */
export const runInsightCli = insight.cli;
