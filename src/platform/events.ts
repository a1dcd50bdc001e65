/**
 * The one way a module reacts to what happens in another: the publisher names an event and hands over its
 * payload inside its own transaction; every subscriber runs there, one after the other, in the order they
 * subscribed. A subscriber's failure propagates to the publisher, so the whole transaction rolls back and no
 * module is left half told. Subscriptions are made in the wiring files (`app.ts`, `<module>.wiring.ts`), never
 * in constructors, so the list of who reacts to what is in one place to read.
 *
 * Each publishing module declares its events as a map of name to payload type (`CredentialsEvents`); the
 * composition root builds one registry for the union of them.
 */
import type { Db } from './db/database.ts';

/** Event name → payload type (an interface of the publishing module). */
export type EventMap = object;

/** Runs inside the publisher's transaction; throwing refuses the whole change. */
export type Subscriber<Payload> = (trx: Db, payload: Payload) => Promise<void>;

/** What a publishing service receives: only the right to publish its own events. */
export interface EventPublisher<Events extends EventMap> {
  publish<Name extends keyof Events & string>(trx: Db, name: Name, payload: Events[Name]): Promise<void>;
}

/** What a wiring file receives: the right to subscribe. */
export interface EventSubscriptions<Events extends EventMap> {
  subscribe<Name extends keyof Events & string>(name: Name, subscriber: Subscriber<Events[Name]>): void;
}

export class EventRegistry<Events extends EventMap>
  implements EventPublisher<Events>, EventSubscriptions<Events>
{
  readonly #subscribers = new Map<string, Subscriber<never>[]>();

  subscribe<Name extends keyof Events & string>(name: Name, subscriber: Subscriber<Events[Name]>): void {
    const list = this.#subscribers.get(name) ?? [];
    list.push(subscriber as Subscriber<never>);
    this.#subscribers.set(name, list);
  }

  /**
   * Runs the event's subscribers inside `trx`. Refuses to run outside a transaction: a subscriber's writes
   * must commit or roll back with the publisher's.
   */
  async publish<Name extends keyof Events & string>(
    trx: Db,
    name: Name,
    payload: Events[Name],
  ): Promise<void> {
    if (!trx.isTransaction) throw new Error(`The event "${name}" was published outside a transaction.`);
    for (const subscriber of this.#subscribers.get(name) ?? []) {
      await (subscriber as Subscriber<Events[Name]>)(trx, payload);
    }
  }
}
