import type { AppServices } from '../app-services.ts';
import {
  answerFailure,
  type CliIo,
  commandLineActor,
  processIo,
  UsageMistake,
  unknownAction,
  withCliApp,
} from './command-io.ts';

export const listUsage = `Usage:
  stackable lists resume <list id>
      Takes up a tracking list that stopped (failed) or whose worker stopped answering (stalled, half a minute
      without a heartbeat). Rows already issued stay issued; a running server's workers issue the rest.`;

/** Entry point for `stackable lists …`: opens the app without job workers or a port, runs, closes. */
export async function runListCli(
  args: string[],
  io: Pick<CliIo, 'out' | 'err'> = processIo,
): Promise<number> {
  return withCliApp((app) => runListCommand(app, args, io));
}

/** `stackable lists resume`: a thin wrapper over TrackingListsService.resumeList. */
export async function runListCommand(
  app: Pick<AppServices, 'services'>,
  args: string[],
  io: Pick<CliIo, 'out' | 'err'>,
): Promise<number> {
  const [action, listId, ...rest] = args;
  try {
    if (action === 'help') {
      io.out(listUsage);
      return 0;
    }
    if (action !== 'resume') throw unknownAction('lists', action);
    if (!listId || rest.length > 0) throw new UsageMistake('Give one list id.');
    await app.services.trackingLists.resumeList(commandLineActor(), listId);
    io.out(`The list ${listId} is queued again; the server's workers issue its remaining rows.`);
    return 0;
  } catch (error) {
    return answerFailure(error, io, listUsage);
  }
}
