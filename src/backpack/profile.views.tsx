import type { FieldProblem } from '../platform/errors.ts';
import { ChoicesField, CsrfField, ErrorSummary, Field, TextAreaField } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import { DateText, ShareLinkField } from './badge-parts.tsx';
import type { ProfileBadge, ProfileCollection, ProfileEditor, PublicProfile } from './profile.service.ts';

const labels = { handle: 'Profile address', bio: 'About you', name: 'Collection name', badges: 'Badges' };

/** The learner's own profile settings: address, bio, publishing, collections and embed code. */
export function ProfileEditorPage(props: {
  ctx: PageContext;
  editor: ProfileEditor;
  notice?: string;
  errors?: FieldProblem[];
  typed?: { handle?: string; bio?: string };
}) {
  const { ctx, editor } = props;
  const errors = props.errors ?? [];
  return (
    <Layout ctx={ctx} title="My public profile" head={<script src="/backpack/copy-link.js" defer />}>
      <h1>My public profile</h1>
      {props.notice ? (
        <Notice kind="ok">
          <p>{props.notice}</p>
        </Notice>
      ) : null}
      <ErrorSummary errors={errors} labels={labels} />
      <p>
        One page with the badges you have accepted, grouped as you like, to link from a CV, a website or an
        e-mail signature. It is off until you publish it; badges you have not accepted, or whose page you hid,
        are never on it.
      </p>
      <section aria-labelledby="address-heading" class="stack">
        <h2 id="address-heading">Address and bio</h2>
        <form method="post" action="/backpack/profile" class="stack">
          <CsrfField token={ctx.csrfToken} />
          <Field
            name="handle"
            label={labels.handle}
            hint={`Your profile will be at ${editor.addressPrefix}<address>: 3 to 30 letters, digits or hyphens.`}
            value={props.typed?.handle ?? editor.handle ?? ''}
            autocomplete="off"
            errors={errors}
            required
          />
          <TextAreaField
            name="bio"
            label={labels.bio}
            hint="A sentence or two, at most 500 characters."
            value={props.typed?.bio ?? editor.bio}
            maxLength={500}
            errors={errors}
          />
          <div>
            <button type="submit">Save the address and bio</button>
          </div>
        </form>
      </section>
      {editor.handle ? <Publishing ctx={ctx} editor={editor} /> : null}
      <section aria-labelledby="collections-heading" class="stack">
        <h2 id="collections-heading">Collections</h2>
        <p>Group badges under names of your own, such as “Data skills”. Collections show in this order.</p>
        {editor.collections.map((collection, index) => (
          <CollectionForm
            key={collection.id}
            ctx={ctx}
            collection={collection}
            badges={editor.badges}
            isFirst={index === 0}
            isLast={index === editor.collections.length - 1}
          />
        ))}
        <form method="post" action="/backpack/profile/collections" class="stack">
          <CsrfField token={ctx.csrfToken} />
          <Field name="name" id="new-collection" label="New collection’s name" errors={errors} required />
          <div>
            <button type="submit" class="button-secondary">
              Add the collection
            </button>
          </div>
        </form>
      </section>
      {editor.isPublished && editor.embeds.length > 0 ? <Embeds editor={editor} /> : null}
    </Layout>
  );
}

function Publishing({ ctx, editor }: { ctx: PageContext; editor: ProfileEditor }) {
  return (
    <section aria-labelledby="publish-heading" class="stack">
      <h2 id="publish-heading">Publishing</h2>
      <form method="post" action="/backpack/profile/publish" class="stack">
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="published" value={editor.isPublished ? 'false' : 'true'} />
        <p>
          {editor.isPublished
            ? 'Your profile is published: anyone with its address can see it.'
            : 'Your profile is not published: its address answers “not found” to everyone.'}
        </p>
        {editor.isPublished && editor.profileUrl ? (
          <>
            <ShareLinkField id="profile-link" url={editor.profileUrl} label="Your profile’s address" />
            <p>
              <a href={editor.profileUrl}>Open my public profile</a>
            </p>
          </>
        ) : null}
        <div>
          <button type="submit" class={editor.isPublished ? 'button-secondary' : undefined}>
            {editor.isPublished ? 'Take the profile down' : 'Publish my profile'}
          </button>
        </div>
      </form>
    </section>
  );
}

function CollectionForm(props: {
  ctx: PageContext;
  collection: ProfileCollection;
  badges: ProfileBadge[];
  isFirst: boolean;
  isLast: boolean;
}) {
  const { ctx, collection } = props;
  const base = `/backpack/profile/collections/${collection.id}`;
  const named = <span class="visually-hidden"> ({collection.name})</span>;
  return (
    <article class="profile-collection-edit" aria-label={`Collection ${collection.name}`}>
      <form method="post" action={base} class="stack">
        <CsrfField token={ctx.csrfToken} />
        <Field
          name="name"
          id={`name-${collection.id}`}
          label="Collection name"
          value={collection.name}
          required
        />
        {props.badges.length > 0 ? (
          <ChoicesField
            kind="checkbox"
            name="badges"
            id={`badges-${collection.id}`}
            label="Badges in this collection"
            options={props.badges.map((b) => ({ value: b.id, label: b.name }))}
            chosen={collection.badges.map((b) => b.id)}
          />
        ) : (
          <p>Accept a badge in your backpack to put it in a collection.</p>
        )}
        <div>
          <button type="submit">Save the collection{named}</button>
        </div>
      </form>
      <div class="actions">
        {props.isFirst ? null : (
          <form method="post" action={`${base}/move`} class="inline-form">
            <CsrfField token={ctx.csrfToken} />
            <input type="hidden" name="direction" value="up" />
            <button type="submit" class="button-secondary button-small">
              Move up{named}
            </button>
          </form>
        )}{' '}
        {props.isLast ? null : (
          <form method="post" action={`${base}/move`} class="inline-form">
            <CsrfField token={ctx.csrfToken} />
            <input type="hidden" name="direction" value="down" />
            <button type="submit" class="button-secondary button-small">
              Move down{named}
            </button>
          </form>
        )}{' '}
        <form method="post" action={`${base}/delete`} class="inline-form">
          <CsrfField token={ctx.csrfToken} />
          <button type="submit" class="button-secondary button-small">
            Remove{named}
          </button>
        </form>
      </div>
    </article>
  );
}

/** Code to paste into a website or an e-mail signature: plain HTML and image links, no script. */
function Embeds({ editor }: { editor: ProfileEditor }) {
  return (
    <section aria-labelledby="embed-heading" class="stack">
      <h2 id="embed-heading">Embed your badges</h2>
      <p>
        Paste the HTML into a web page or an e-mail signature that accepts HTML; where only an image address
        is asked for, use the image link. Neither loads any script.
      </p>
      {editor.profileEmbed ? (
        <ShareLinkField id="embed-profile" url={editor.profileEmbed} label="HTML link to your profile" />
      ) : null}
      {editor.embeds.map(({ badge, html }) => (
        <div key={badge.id} class="stack">
          <h3>{badge.name}</h3>
          <ShareLinkField id={`embed-html-${badge.id}`} url={html} label={`HTML for ${badge.name}`} />
          <ShareLinkField
            id={`embed-image-${badge.id}`}
            url={badge.imageUrl}
            label={`Image link for ${badge.name}`}
          />
        </div>
      ))}
    </section>
  );
}

function BadgeTile({ badge }: { badge: ProfileBadge }) {
  return (
    <li class="profile-badge">
      <a href={badge.pageUrl} class="profile-badge-link">
        <img src={badge.imagePath} alt="" width={96} height={96} />
        <span class="profile-badge-name">{badge.name}</span>
      </a>
      <span class="muted">
        {badge.issuerName}, <DateText date={badge.issuedAt} />
      </span>
    </li>
  );
}

/** A learner's published profile. */
export function PublicProfilePage({ ctx, profile }: { ctx: PageContext; profile: PublicProfile }) {
  const title = `${profile.name}’s badges`;
  return (
    <Layout
      ctx={ctx}
      title={title}
      description={profile.bio || `Digital badges earned by ${profile.name}.`}
      head={<link rel="canonical" href={profile.url} />}
    >
      <h1>{title}</h1>
      {profile.bio ? <p class="profile-bio">{profile.bio}</p> : null}
      {profile.collections.map((collection) => (
        <section key={collection.id} aria-labelledby={`c-${collection.id}`}>
          <h2 id={`c-${collection.id}`}>{collection.name}</h2>
          <ul class="profile-badges">
            {collection.badges.map((badge) => (
              <BadgeTile key={badge.id} badge={badge} />
            ))}
          </ul>
        </section>
      ))}
      <section aria-labelledby="all-heading">
        <h2 id="all-heading">All badges</h2>
        {profile.badges.length === 0 ? (
          <p>No badges to show yet.</p>
        ) : (
          <ul class="profile-badges">
            {profile.badges.map((badge) => (
              <BadgeTile key={badge.id} badge={badge} />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="share-heading">
        <h2 id="share-heading">Share this profile</h2>
        <p class="button-row">
          {profile.share.map((link) => (
            <a key={link.label} class="button button-secondary" href={link.href} rel="noopener">
              Share {link.label === 'E-mail' ? 'by e-mail' : `on ${link.label}`}
            </a>
          ))}
        </p>
      </section>
    </Layout>
  );
}
