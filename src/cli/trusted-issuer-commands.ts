import type { AppServices } from '../app-services.ts';
import { type CommandIo, commandGroup, commandLineActor, readOptions, UsageMistake } from './command-io.ts';

export const trustedIssuersUsage = `Usage:
  stackable trusted-issuers list
  stackable trusted-issuers add <did> --name <name> [--note <text>]
  stackable trusted-issuers remove <did>
  stackable trusted-issuers add-registry <https-url> --name <name>   fetched when STACKABLE_ALLOW_NETWORK=true
  stackable trusted-issuers refresh <registry-id>`;

/** Every action reads the same options, so that one given where it means nothing is ignored, not refused. */
function readIssuerOptions(args: string[]) {
  const { values, positionals } = readOptions({
    args,
    allowPositionals: true,
    options: { name: { type: 'string' }, note: { type: 'string' } },
  });
  return { ...values, target: positionals[0] };
}

/** `stackable trusted-issuers list`: the added issuers, then the registries and how their last refresh went. */
async function list(app: AppServices, args: string[], io: CommandIo): Promise<number> {
  readIssuerOptions(args); // for its answer to a misspelt option, as the other actions give
  const overview = await app.services.trustedIssuers.overview(commandLineActor());
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

async function add(app: AppServices, args: string[], io: CommandIo): Promise<number> {
  const { target, name, note } = readIssuerOptions(args);
  if (!target || !name) throw new UsageMistake('Give the DID and --name.');
  await app.services.trustedIssuers.addIssuer(commandLineActor(), { did: target, name, note });
  io.out(`${target} is a trusted issuer, shown as ${name}.`);
  return 0;
}

async function remove(app: AppServices, args: string[], io: CommandIo): Promise<number> {
  const { target } = readIssuerOptions(args);
  if (!target) throw new UsageMistake('Give the DID to remove.');
  await app.services.trustedIssuers.removeIssuer(commandLineActor(), target);
  io.out(`${target} is no longer a trusted issuer.`);
  return 0;
}

async function addRegistry(app: AppServices, args: string[], io: CommandIo): Promise<number> {
  const { target, name } = readIssuerOptions(args);
  if (!target || !name) throw new UsageMistake('Give the registry address and --name.');
  const added = await app.services.trustedIssuers.addRegistry(commandLineActor(), { name, url: target });
  io.out(`Registry ${added.id} added.`);
  return reportRefresh(added.refreshed, io);
}

async function refresh(app: AppServices, args: string[], io: CommandIo): Promise<number> {
  const { target } = readIssuerOptions(args);
  if (!target) throw new UsageMistake('Give the registry id.');
  return reportRefresh(await app.services.trustedIssuers.refreshRegistry(commandLineActor(), target), io);
}

function reportRefresh(
  outcome: Awaited<ReturnType<AppServices['services']['trustedIssuers']['refreshRegistry']>> | null,
  io: CommandIo,
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

const trustedIssuers = commandGroup({
  name: 'trusted-issuers',
  usage: trustedIssuersUsage,
  actions: { list, add, remove, 'add-registry': addRegistry, refresh },
});

/** `stackable trusted-issuers …` (thin wrappers over TrustedIssuersService) on an app that is already open. */
export const runTrustedIssuersCommand = trustedIssuers.run;
/** Entry point for `stackable trusted-issuers …`: opens the app without job workers or a port, runs, closes. */
export const runTrustedIssuersCli = trustedIssuers.cli;
