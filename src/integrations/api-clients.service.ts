import type { AuditActor, AuditService } from '../audit/audit.service.ts';
import { type ApiScope, allApiScopes, isApiScope } from '../platform/api-scopes.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import { type FieldProblem, forbidden, invalid, invalidState, notFound } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { ApiClientsRepository } from './api-clients.repository.ts';
import { digestOf, newClientId, newClientSecret } from './client-credentials.ts';
import { type IntegrationsAction, mayDo } from './integrations.policy.ts';

/** A client's secret, handed back once: to show the administrator who made or rotated it, and then forget. */
export interface RevealedSecret {
  id: string;
  clientId: string;
  name: string;
  secret: string;
}

/**
 * The administrators' side of integrations: API clients made, their secrets rotated, revoked. Every change is
 * audit-logged without the secret, which leaves this service only in the return value of the call that made it.
 */
export class ApiClientsService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly repository = new ApiClientsRepository(),
  ) {}

  /** The clients, newest state first, with what this person may do with them. */
  async overview(actor: AuditActor | null) {
    this.#authorize(actor, 'view_api_clients');
    const clients = await this.repository.listClients(this.database.db);
    return {
      clients: clients.map((c) => ({ ...c, isRevoked: c.revoked_at !== null })),
      scopes: allApiScopes,
      canManage: mayDo(actor, 'manage_api_clients'),
    };
  }

  async createClient(
    actor: AuditActor | null,
    input: { name: string; scopes: readonly string[] },
  ): Promise<RevealedSecret> {
    this.#authorize(actor, 'manage_api_clients');
    const name = input.name.trim();
    const problems: FieldProblem[] = [];
    if (name === '' || name.length > 120)
      problems.push({ field: 'name', reason: 'must be 1 to 120 characters' });
    const unknown = input.scopes.filter((scope) => !isApiScope(scope));
    if (input.scopes.length === 0)
      problems.push({ field: 'scopes', reason: 'must include at least one scope' });
    else if (unknown.length > 0) problems.push({ field: 'scopes', reason: 'must be chosen from the list' });
    if (problems.length > 0) throw invalid(problems);
    // Kept in the list's order, so the same choice always reads the same.
    const scopes: ApiScope[] = allApiScopes.filter((scope) => input.scopes.includes(scope));
    const revealed = { id: newId(), clientId: newClientId(), name, secret: newClientSecret() };
    await this.database.db.transaction().execute(async (trx) => {
      await this.repository.insertClient(trx, {
        id: revealed.id,
        clientId: revealed.clientId,
        name,
        scopes,
        secretHash: digestOf(revealed.secret),
        createdBy: actor && 'id' in actor ? actor.id : null,
      });
      await this.audit.record(trx, actor, {
        action: 'api_client.created',
        entityType: 'api_client',
        entityId: revealed.id,
        after: { clientId: revealed.clientId, name, scopes },
      });
    });
    return revealed;
  }

  /** A new secret; the old one and every token it obtained stop working at once. */
  async rotateSecret(actor: AuditActor | null, id: string): Promise<RevealedSecret> {
    this.#authorize(actor, 'manage_api_clients');
    const secret = newClientSecret();
    return this.database.db.transaction().execute(async (trx) => {
      const client = await this.repository.findClient(trx, id);
      if (!client) throw notFound('That API client');
      if (client.revoked_at) throw invalidState('This client is revoked; make a new one instead.');
      await this.repository.replaceSecret(trx, id, digestOf(secret), this.clock.now());
      await this.repository.deleteTokens(trx, id);
      await this.audit.record(trx, actor, {
        action: 'api_client.secret_rotated',
        entityType: 'api_client',
        entityId: id,
        after: { clientId: client.client_id },
      });
      return { id, clientId: client.client_id, name: client.name, secret };
    });
  }

  /** Revoked for good: its secret and tokens stop working; the row stays so the audit log keeps its meaning. */
  async revokeClient(actor: AuditActor | null, id: string): Promise<void> {
    this.#authorize(actor, 'manage_api_clients');
    await this.database.db.transaction().execute(async (trx) => {
      const client = await this.repository.findClient(trx, id);
      if (!client) throw notFound('That API client');
      if (client.revoked_at) throw invalidState('This client is already revoked.');
      await this.repository.markRevoked(trx, id, this.clock.now());
      await this.repository.deleteTokens(trx, id);
      await this.audit.record(trx, actor, {
        action: 'api_client.revoked',
        entityType: 'api_client',
        entityId: id,
        before: { clientId: client.client_id, name: client.name, scopes: client.scopes },
      });
    });
  }

  #authorize(actor: AuditActor | null, action: IntegrationsAction): void {
    if (!mayDo(actor, action)) throw forbidden('Only administrators manage API clients.');
  }
}
