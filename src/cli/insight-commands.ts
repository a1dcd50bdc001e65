import type { AppServices } from '../app-services.ts';
import {
  answerFailure,
  type CliIo,
  processIo,
  UsageMistake,
  unknownAction,
  withCliApp,
} from './command-io.ts';

export const insightUsage = `Usage:
  stackable insight rebuild   Count the dashboards' kept figures again from the awards and enrolments
                              (after loading data by hand; a server also builds them at start when missing)
  stackable insight verify    Compare every kept figure with the live count; exit 1 and list them if any differ`;

/** Entry point for `stackable insight …`: opens the app without job workers or a port, runs, closes. */
export async function runInsightCli(
  args: string[],
  io: Pick<CliIo, 'out' | 'err'> = processIo,
): Promise<number> {
  return withCliApp((app) => runInsightCommand(app, args, io));
}

/** A thin wrapper over InsightFiguresService's rebuild and differences. */
export async function runInsightCommand(
  app: Pick<AppServices, 'services'>,
  args: string[],
  io: Pick<CliIo, 'out' | 'err'>,
): Promise<number> {
  const [action, ...rest] = args;
  if (action === 'help') {
    io.out(insightUsage);
    return 0;
  }
  if (action !== 'rebuild' && action !== 'verify') {
    return answerFailure(unknownAction('insight', action), io, insightUsage);
  }
  if (rest.length > 0) {
    return answerFailure(new UsageMistake(`"${action}" takes no arguments.`), io, insightUsage);
  }
  const figures = app.services.insightFigures;
  if (action === 'rebuild') {
    const built = await figures.rebuild();
    io.out(
      `Counted again: ${built.badgeDays} program-days of badges and ${built.enrolmentDays} of enrolments (days in ${built.timeZone}).`,
    );
    return 0;
  }
  const differences = await figures.differences();
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
