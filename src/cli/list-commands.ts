import { userInfo } from 'node:os';
import type { AppServices } from '../app-services.ts';
import { isConnectionFailure } from '../platform/db/connection-failure.ts';
import { AppError } from '../platform/errors.ts';
import { type CliIo, processIo, withCliApp } from './credential-commands.ts';
import { EXIT_UNAVAILABLE } from './exit-codes.ts';

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
  if (action === 'help') {
    io.out(listUsage);
    return 0;
  }
  if (action !== 'resume' || !listId || rest.length > 0) {
    io.err(listUsage);
    return 2;
  }
  try {
    await app.services.trackingLists.resumeList({ system: `command line (${userInfo().username})` }, listId);
    io.out(`The list ${listId} is queued again; the server's workers issue its remaining rows.`);
    return 0;
  } catch (error) {
    if (isConnectionFailure(error)) {
      io.err('The database did not answer; nothing was changed. Try again when it is back.');
      return EXIT_UNAVAILABLE;
    }
    if (!(error instanceof AppError)) throw error;
    io.err(error.publicMessage);
    return 1;
  }
}
