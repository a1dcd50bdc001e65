import type { AppServices } from '../app-services.ts';
import { type CommandIo, commandGroup, commandLineActor, UsageMistake } from './command-io.ts';

export const listUsage = `Usage:
  stackable lists resume <list id>
      Takes up a tracking list that stopped (failed) or whose worker stopped answering (stalled, half a minute
      without a heartbeat). Rows already issued stay issued; a running server's workers issue the rest.`;

/** `stackable lists resume`: a thin wrapper over TrackingListsService.resumeList. */
async function resume(app: AppServices, args: string[], io: CommandIo): Promise<number> {
  const [listId, ...rest] = args;
  if (!listId || rest.length > 0) throw new UsageMistake('Give one list id.');
  await app.services.trackingLists.resumeList(commandLineActor(), listId);
  io.out(`The list ${listId} is queued again; the server's workers issue its remaining rows.`);
  return 0;
}

const lists = commandGroup({ name: 'lists', usage: listUsage, actions: { resume } });

/** `stackable lists …` on an app that is already open. */
export const runListCommand = lists.run;
/** Entry point for `stackable lists …`: opens the app without job workers or a port, runs, closes. */
export const runListCli = lists.cli;
