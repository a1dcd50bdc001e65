import type { AppServices } from '../app-services.ts';
import {
  answerFailure,
  type CliIo,
  commandLineActor,
  processIo,
  readOptions,
  UsageMistake,
  unknownAction,
  withCliApp,
} from './command-io.ts';

export const trustedIssuersUsage = `Usage:
  stackable trusted-issuers list
  stackable trusted-issuers add <did> --name <name> [--note <text>]
  stackable trusted-issuers remove <did>
  stackable trusted-issuers add-registry <https-url> --name <name>   fetched when STACKABLE_ALLOW_NETWORK=true
  stackable trusted-issuers refresh <registry-id>`;

/** Entry point for `stackable trusted-issuers …`: opens the app without job workers or a port, runs, closes. */
export async function runTrustedIssuersCli(args: string[], io = processIo): Promise<number> {
  return withCliApp((app) => runTrustedIssuersCommand(app, args, io));
}

/** `stackable trusted-issuers …`: thin wrappers over TrustedIssuersService. */
export async function runTrustedIssuersCommand(app: AppServices, args: string[], io: CliIo): Promise<number> {
  const service = app.services.trustedIssuers;
  const [action, ...rest] = args;
  try {
    const { values, positionals } = readOptions({
      args: rest,
      allowPositionals: true,
      options: { name: { type: 'string' }, note: { type: 'string' } },
    });
    const [target] = positionals;
    switch (action) {
      case 'list': {
        const overview = await service.overview(commandLineActor());
        for (const issuer of overview.added)
          io.out(`${issuer.did}  ${issuer.name}${issuer.note ? `  (${issuer.note})` : ''}`);
        for (const registry of overview.registries) {
          const state = registry.fetched_at
            ? `${registry.entry_count} issuers, fetched ${registry.fetched_at.toISOString()}`
            : 'not fetched';
          io.out(
            `registry ${registry.id}  ${registry.name}  ${registry.url}  ${state}${registry.last_error ? `  last refresh failed: ${registry.last_error}` : ''}`,
          );
        }
        return 0;
      }
      case 'add':
        if (!target || !values.name) throw new UsageMistake('Give the DID and --name.');
        await service.addIssuer(commandLineActor(), { did: target, name: values.name, note: values.note });
        io.out(`${target} is a trusted issuer, shown as ${values.name}.`);
        return 0;
      case 'remove':
        if (!target) throw new UsageMistake('Give the DID to remove.');
        await service.removeIssuer(commandLineActor(), target);
        io.out(`${target} is no longer a trusted issuer.`);
        return 0;
      case 'add-registry': {
        if (!target || !values.name) throw new UsageMistake('Give the registry address and --name.');
        const added = await service.addRegistry(commandLineActor(), { name: values.name, url: target });
        io.out(`Registry ${added.id} added.`);
        return reportRefresh(added.refreshed, io);
      }
      case 'refresh':
        if (!target) throw new UsageMistake('Give the registry id.');
        return reportRefresh(await service.refreshRegistry(commandLineActor(), target), io);
      case 'help':
        io.out(trustedIssuersUsage);
        return 0;
      default:
        throw unknownAction('trusted-issuers', action);
    }
  } catch (error) {
    return answerFailure(error, io, trustedIssuersUsage, { app });
  }
}

function reportRefresh(
  outcome: Awaited<ReturnType<AppServices['services']['trustedIssuers']['refreshRegistry']>> | null,
  io: CliIo,
) {
  if (outcome === null) {
    io.out('Not fetched: this server may not reach other sites (STACKABLE_ALLOW_NETWORK is off).');
    return 0;
  }
  if (!outcome.ok) {
    io.err(`The registry could not be fetched: ${outcome.problem}`);
    return 1;
  }
  io.out(`The registry lists ${outcome.count} issuers.`);
  return 0;
}
