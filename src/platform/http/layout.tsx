import type { ComponentChildren } from 'preact';
import type { PageContext } from './page-context.ts';

interface LayoutProps {
  ctx: PageContext;
  title: string;
  description?: string;
  head?: ComponentChildren;
  children: ComponentChildren;
}

function NavLink({ href, path, children }: { href: string; path: string; children: ComponentChildren }) {
  const current = path === href || (href !== '/' && path.startsWith(`${href}/`));
  return (
    <li>
      <a href={href} aria-current={current ? 'page' : undefined}>
        {children}
      </a>
    </li>
  );
}

/** The one page layout: skip link, landmarks, navigation that follows the person's roles. */
export function Layout({ ctx, title, description, head, children }: LayoutProps) {
  const { actor, path } = ctx;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${ctx.institutionShortName} Micro-credentials`}</title>
        {description ? <meta name="description" content={description} /> : null}
        <link rel="stylesheet" href="/assets/site.css" />
        {/^#[0-9a-fA-F]{6}$/.test(ctx.brandColour) ? (
          <style>{`:root{--brand:${ctx.brandColour}}`}</style>
        ) : null}
        {head}
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to main content
        </a>
        <header class="site-header">
          <div class="wrap header-row">
            <a class="brand" href="/">
              <span class="brand-mark" aria-hidden="true">
                {ctx.institutionShortName}
              </span>
              <span class="brand-text">{ctx.institutionName} Micro-credentials</span>
            </a>
            <nav aria-label="Main">
              <ul class="nav">
                <NavLink href="/catalog" path={path}>
                  Catalog
                </NavLink>
                <NavLink href="/verify" path={path}>
                  Verify a badge
                </NavLink>
                {actor ? (
                  <NavLink href="/home" path={path}>
                    My home
                  </NavLink>
                ) : null}
                {ctx.showAdminLink ? (
                  <NavLink href="/admin/users" path={path}>
                    Admin
                  </NavLink>
                ) : null}
              </ul>
            </nav>
            <div class="account">
              {actor ? (
                <form method="post" action="/logout" class="inline-form">
                  <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                  <span class="who">{actor.name}</span>{' '}
                  <button type="submit" class="link-button">
                    Sign out
                  </button>
                </form>
              ) : (
                <a href="/login" class="button button-small">
                  Sign in
                </a>
              )}
            </div>
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          <div class="wrap">{children}</div>
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <p>
              {ctx.institutionName} · Micro-credentials and digital badges, verifiable by anyone.{' '}
              <a href="/verify">Verify a badge</a> · <a href="/docs">API</a>
            </p>
            <p class="muted">Powered by Stackable, open-source software for stackable credentials.</p>
          </div>
        </footer>
      </body>
    </html>
  );
}
