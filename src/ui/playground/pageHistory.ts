/**
 * The page's address and its session history, as the page store uses them: read the address, push
 * a new entry, hear Back and Forward. In the page it is the window's (`browserPageHistory`); the
 * tests pass a fake, so the store runs in Node without a DOM.
 */

export interface PageHistory {
  /** The page's address now. */
  href(): string;
  /** A new history entry with this address (the page does not reload). */
  push(href: string): void;
  /** Calls `listener` after Back or Forward changed the address; returns the function that stops it. */
  onBackOrForward(listener: () => void): () => void;
}

/** The browser window's part that `browserPageHistory` uses. */
export type HistoryWindow = Pick<Window, 'location' | 'history' | 'addEventListener' | 'removeEventListener'>;

export function browserPageHistory(window: HistoryWindow): PageHistory {
  return {
    href: () => window.location.href,
    push: (href) => window.history.pushState(null, '', href),
    onBackOrForward(listener) {
      window.addEventListener('popstate', listener);
      return () => window.removeEventListener('popstate', listener);
    },
  };
}
