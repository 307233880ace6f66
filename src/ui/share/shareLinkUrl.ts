/** Where a share link lives in the page URL: the fragment `#s=<link>`, never sent to a server. */
const fragmentPrefix = '#s=';

export function shareLinkFromUrl(url: URL): string | null {
  return url.hash.startsWith(fragmentPrefix)
    ? decodeURIComponent(url.hash.slice(fragmentPrefix.length))
    : null;
}

export function urlWithShareLink(url: URL, link: string): URL {
  const next = new URL(url);
  next.hash = fragmentPrefix.slice(1) + link;
  return next;
}
