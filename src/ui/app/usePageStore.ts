/**
 * The page store for the page: created once, on the window's history and the playground controller,
 * following Back and Forward while the page is mounted, and followed with useSyncExternalStore.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { browserPageHistory } from '../playground/pageHistory';
import { PageStore, type PageState, type ResettableEngine } from '../playground/pageStore';
import type { Baseline } from '../playground/playgroundController';

/** `freePlayBaseline` is read at every switch to free play and every reset in it; it is taken once. */
export function usePageStore(
  engine: ResettableEngine,
  freePlayBaseline: () => Baseline,
): [PageState, PageStore] {
  const [store] = useState(
    () => new PageStore({ history: browserPageHistory(window), engine, freePlayBaseline }),
  );
  useEffect(() => store.followBackAndForward(), [store]);
  return [useSyncExternalStore(store.subscribe, store.getState), store];
}
