/**
 * Ways to share a page that are plain links: each network's own "share" address with the page filled in. No
 * script or widget of theirs is loaded, so nothing is sent to them until the visitor follows a link.
 */

/** One share link, with the words a button shows. */
export interface ShareLink {
  label: string;
  href: string;
}

/** The share links for a page, LinkedIn first (where people show credentials), e-mail last. */
export function shareLinks(pageUrl: string, title: string): ShareLink[] {
  const url = encodeURIComponent(pageUrl);
  const text = encodeURIComponent(title);
  return [
    { label: 'LinkedIn', href: `https://www.linkedin.com/sharing/share-offsite/?url=${url}` },
    {
      label: 'Bluesky',
      href: `https://bsky.app/intent/compose?text=${encodeURIComponent(`${title} ${pageUrl}`)}`,
    },
    { label: 'X', href: `https://x.com/intent/post?text=${text}&url=${url}` },
    { label: 'Facebook', href: `https://www.facebook.com/sharer/sharer.php?u=${url}` },
    { label: 'Reddit', href: `https://www.reddit.com/submit?url=${url}&title=${text}` },
    { label: 'E-mail', href: `mailto:?subject=${text}&body=${url}` },
  ];
}
