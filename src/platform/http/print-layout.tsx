import type { ComponentChildren } from 'preact';
import type { PageContext } from './page-context.ts';

/**
 * A page meant to be printed or saved as PDF: the site's styles without its header, navigation or footer. A link
 * back (`back`) stays on screen and is left off the paper.
 */
export function PrintLayout({
  ctx,
  title,
  back,
  children,
}: {
  ctx: PageContext;
  title: string;
  back: { href: string; label: string };
  children: ComponentChildren;
}) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${ctx.institutionShortName} Micro-credentials`}</title>
        <link rel="stylesheet" href="/assets/site.css" />
      </head>
      <body class="print-page">
        <main id="main">
          <p class="no-print">
            <a href={back.href}>{back.label}</a>
          </p>
          <p class="print-issuer">{ctx.institutionName}</p>
          {children}
        </main>
      </body>
    </html>
  );
}
