import type { AccountsService } from '../accounts/accounts.service.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { CredentialsService } from '../credentials/credentials.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { invalid, invalidState, notFound } from '../platform/errors.ts';
import { isUuid, newId } from '../platform/ids.ts';
import type { BackpackItemRow } from './backpack.tables.ts';
import { type BadgeFacts, badgeFacts } from './badge-view.ts';
import { ProfileRepository } from './profile.repository.ts';
import { handleProblem, tidyHandle } from './profile-handle.ts';
import { type ShareLink, shareLinks } from './share-links.ts';

/** A badge as a profile shows it. */
export type ProfileBadge = Pick<
  BadgeFacts,
  'id' | 'name' | 'issuerName' | 'imagePath' | 'imageUrl' | 'imageCaption' | 'issuedAt' | 'pageUrl'
>;

export interface ProfileCollection {
  id: string;
  name: string;
  badges: ProfileBadge[];
}

/** What the learner edits: their profile (if started), collections, and the badges they may show. */
export interface ProfileEditor {
  handle: string | null;
  bio: string;
  isPublished: boolean;
  /** What comes before the handle in the profile's address. */
  addressPrefix: string;
  profileUrl: string | null;
  collections: ProfileCollection[];
  /** Every accepted badge in good standing: all a profile shows. */
  badges: ProfileBadge[];
  /** For the owner to paste elsewhere, once published. */
  embeds: { badge: ProfileBadge; html: string }[];
  profileEmbed: string | null;
}

/** A published profile as the public sees it. */
export interface PublicProfile {
  name: string;
  handle: string;
  bio: string;
  url: string;
  collections: ProfileCollection[];
  badges: ProfileBadge[];
  share: ShareLink[];
}

const MAX_COLLECTIONS = 20;
const MAX_BIO = 500;

// Pasted into other people's pages: every value is escaped for an HTML attribute or text.
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function collectionName(typed: string): string {
  const name = typed.trim();
  if (name.length < 1 || name.length > 80) {
    throw invalid([{ field: 'name', reason: 'must be between 1 and 80 characters' }]);
  }
  return name;
}

/**
 * The learner's public profile: off until they publish it, at a handle they choose; it lists the badges they
 * accepted (never one pending, declined, hidden or no longer in good standing), in collections they name and order,
 * with a short bio. Unpublished, its address is not found for anyone.
 */
export class ProfileService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly credentials: CredentialsService,
    private readonly accounts: Pick<AccountsService, 'findUser'>,
    private readonly clock: Clock,
    private readonly settings: { publicUrl: string },
    private readonly repository = new ProfileRepository(),
  ) {}

  async editor(actor: Actor): Promise<ProfileEditor> {
    const db = this.database.db;
    const profile = await this.repository.findByUser(db, actor.id);
    const badges = await this.#shownBadges(db, actor.id);
    const collections = await this.#collections(db, actor.id, badges);
    const profileUrl = profile ? `${this.settings.publicUrl}/p/${profile.handle}` : null;
    const published = profile?.is_published === true;
    return {
      handle: profile?.handle ?? null,
      bio: profile?.bio ?? '',
      addressPrefix: `${this.settings.publicUrl}/p/`,
      isPublished: published,
      profileUrl,
      collections,
      badges,
      embeds: badges.map((badge) => ({
        badge,
        html: `<a href="${escapeHtml(badge.pageUrl)}"><img src="${escapeHtml(badge.imageUrl)}" alt="${escapeHtml(
          `${badge.name} badge, issued by ${badge.issuerName}`,
        )}" width="120" height="120"></a>`,
      })),
      profileEmbed:
        published && profileUrl
          ? `<a href="${escapeHtml(profileUrl)}">${escapeHtml(`${actor.name}’s badges`)}</a>`
          : null,
    };
  }

  /** Starts or changes the profile's handle and bio (it stays as published or unpublished as it was). */
  async save(actor: Actor, input: { handle: string; bio: string }): Promise<void> {
    const handle = tidyHandle(input.handle);
    const bio = input.bio.trim();
    const problems = [];
    const problem = handleProblem(handle);
    if (problem) problems.push({ field: 'handle', reason: problem });
    if (bio.length > MAX_BIO)
      problems.push({ field: 'bio', reason: `must be at most ${MAX_BIO} characters` });
    if (problems.length > 0) throw invalid(problems, 'Your profile could not be saved yet.');
    await this.database.db.transaction().execute(async (trx) => {
      const taken = await this.repository.findByHandle(trx, handle);
      if (taken && taken.user_id !== actor.id) {
        throw invalid([{ field: 'handle', reason: 'is already taken: choose another' }]);
      }
      const before = await this.repository.findByUser(trx, actor.id);
      try {
        await this.repository.save(trx, actor.id, { handle, bio }, this.clock.now());
      } catch (error) {
        // Two people choosing one handle at once: the unique index decides, and the second is told plainly.
        const e = error as { code?: string; constraint?: string };
        if (e.code === '23505' && e.constraint === 'learner_profiles_handle_key') {
          throw invalid([{ field: 'handle', reason: 'is already taken: choose another' }]);
        }
        throw error;
      }
      await this.audit.record(trx, actor, {
        action: 'backpack.profile_saved',
        entityType: 'user',
        entityId: actor.id,
        before: before ? { handle: before.handle, bio: before.bio } : null,
        after: { handle, bio },
      });
    });
  }

  /** Publishes the profile or takes it down (then its address is not found). */
  async setPublished(actor: Actor, isPublished: boolean): Promise<void> {
    await this.database.db.transaction().execute(async (trx) => {
      const profile = await this.repository.findByUser(trx, actor.id);
      if (!profile) throw invalidState('Choose your profile’s address first.');
      if (profile.is_published === isPublished) return;
      await this.repository.setPublished(trx, actor.id, isPublished, this.clock.now());
      await this.audit.record(trx, actor, {
        action: isPublished ? 'backpack.profile_published' : 'backpack.profile_unpublished',
        entityType: 'user',
        entityId: actor.id,
        after: { handle: profile.handle },
      });
    });
  }

  async addCollection(actor: Actor, typedName: string): Promise<void> {
    const name = collectionName(typedName);
    await this.database.db.transaction().execute(async (trx) => {
      if ((await this.repository.collectionsOf(trx, actor.id)).length >= MAX_COLLECTIONS) {
        throw invalid([
          {
            field: 'name',
            reason: `cannot be added: a profile holds at most ${MAX_COLLECTIONS} collections`,
          },
        ]);
      }
      const id = newId();
      await this.repository.insertCollection(trx, { id, userId: actor.id, name });
      await this.audit.record(trx, actor, {
        action: 'backpack.collection_added',
        entityType: 'user',
        entityId: actor.id,
        after: { collectionId: id, name },
      });
    });
  }

  /** Renames a collection and sets its badges, in the order given; only the learner's accepted badges count. */
  async changeCollection(
    actor: Actor,
    id: string,
    input: { name: string; credentialIds: readonly string[] },
  ): Promise<void> {
    const name = collectionName(input.name);
    await this.database.db.transaction().execute(async (trx) => {
      const collection = await this.#collection(trx, actor, id);
      const shown = new Set(
        (await this.repository.acceptedItemsOf(trx, actor.id)).map((i) => i.credential_id),
      );
      const chosen = [...new Set(input.credentialIds.map((c) => c.toLowerCase()))];
      const stranger = chosen.find((c) => !shown.has(c));
      if (stranger) throw invalid([{ field: 'badges', reason: 'may hold only badges you have accepted' }]);
      await this.repository.renameCollection(trx, id, name);
      await this.repository.replaceCollectionBadges(trx, id, chosen);
      await this.audit.record(trx, actor, {
        action: 'backpack.collection_changed',
        entityType: 'user',
        entityId: actor.id,
        before: { collectionId: id, name: collection.name },
        after: { collectionId: id, name, badges: chosen },
      });
    });
  }

  /** Moves a collection one place up or down the profile. */
  async moveCollection(actor: Actor, id: string, direction: 'up' | 'down'): Promise<void> {
    await this.database.db.transaction().execute(async (trx) => {
      await this.#collection(trx, actor, id);
      const order = await this.repository.collectionsOf(trx, actor.id);
      const at = order.findIndex((c) => c.id === id);
      const to = direction === 'up' ? at - 1 : at + 1;
      if (to < 0 || to >= order.length) return;
      const moved = [...order];
      [moved[at], moved[to]] = [moved[to]!, moved[at]!];
      for (const [i, c] of moved.entries()) await this.repository.setPosition(trx, c.id, i + 1);
      await this.audit.record(trx, actor, {
        action: 'backpack.collection_moved',
        entityType: 'user',
        entityId: actor.id,
        after: { collectionId: id, direction },
      });
    });
  }

  async removeCollection(actor: Actor, id: string): Promise<void> {
    await this.database.db.transaction().execute(async (trx) => {
      const collection = await this.#collection(trx, actor, id);
      await this.repository.deleteCollection(trx, id);
      await this.audit.record(trx, actor, {
        action: 'backpack.collection_removed',
        entityType: 'user',
        entityId: actor.id,
        before: { collectionId: id, name: collection.name },
      });
    });
  }

  /** A published profile, or not found (unknown, or not published). */
  async publicProfile(typedHandle: string): Promise<PublicProfile> {
    const handle = tidyHandle(typedHandle);
    if (handleProblem(handle) !== null) throw notFound('That profile');
    const db = this.database.db;
    const profile = await this.repository.findByHandle(db, handle);
    if (!profile?.is_published) throw notFound('That profile');
    const user = await this.accounts.findUser(profile.user_id);
    if (user?.status !== 'active') throw notFound('That profile');
    const badges = await this.#shownBadges(db, profile.user_id);
    const url = `${this.settings.publicUrl}/p/${profile.handle}`;
    return {
      name: user.name,
      handle: profile.handle,
      bio: profile.bio,
      url,
      collections: (await this.#collections(db, profile.user_id, badges)).filter((c) => c.badges.length > 0),
      badges,
      share: shareLinks(url, `${user.name}’s badges`),
    };
  }

  async #collection(trx: Db, actor: Actor, id: string) {
    const collection = isUuid(id) ? await this.repository.findCollection(trx, actor.id, id) : undefined;
    if (!collection) throw notFound('That collection');
    return collection;
  }

  /** Accepted badges whose page is public and that are in good standing: nothing else goes on a profile. */
  async #shownBadges(db: Db, userId: string): Promise<ProfileBadge[]> {
    const shown: ProfileBadge[] = [];
    for (const item of await this.repository.acceptedItemsOf(db, userId)) {
      const row = await this.credentials.find(item.credential_id);
      if (!row?.is_public || row.status !== 'active') continue;
      shown.push(cardOf(badgeFacts(row, item as BackpackItemRow, this.settings.publicUrl, this.clock.now())));
    }
    return shown;
  }

  async #collections(db: Db, userId: string, badges: ProfileBadge[]): Promise<ProfileCollection[]> {
    const byId = new Map(badges.map((b) => [b.id, b]));
    const placed = await this.repository.collectionBadgesOf(db, userId);
    return (await this.repository.collectionsOf(db, userId)).map((c) => ({
      id: c.id,
      name: c.name,
      badges: placed
        .filter((p) => p.collection_id === c.id)
        .flatMap((p) => (byId.has(p.credential_id) ? [byId.get(p.credential_id)!] : [])),
    }));
  }
}

const cardOf = (facts: BadgeFacts): ProfileBadge => ({
  id: facts.id,
  name: facts.name,
  issuerName: facts.issuerName,
  imagePath: facts.imagePath,
  imageUrl: facts.imageUrl,
  imageCaption: facts.imageCaption,
  issuedAt: facts.issuedAt,
  pageUrl: facts.pageUrl,
});
