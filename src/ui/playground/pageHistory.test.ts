import { describe, expect, it } from 'vitest';
import { browserPageHistory, type HistoryWindow } from './pageHistory';

/** The window's location, history and popstate listeners, as far as browserPageHistory uses them. */
function fakeWindow(href: string) {
  const location = { href };
  const pushed: unknown[][] = [];
  const listeners = new Map<string, Set<EventListenerOrEventListenerObject>>();
  const window = {
    location,
    history: {
      pushState: (...args: unknown[]) => {
        pushed.push(args);
        location.href = String(args[2]);
      },
    },
    addEventListener: (type: string, listener: EventListenerOrEventListenerObject) => {
      listeners.set(type, (listeners.get(type) ?? new Set()).add(listener));
    },
    removeEventListener: (type: string, listener: EventListenerOrEventListenerObject) => {
      listeners.get(type)?.delete(listener);
    },
  };
  const fire = (type: string) => {
    for (const listener of listeners.get(type) ?? []) {
      if (typeof listener === 'function') listener(new Event(type));
    }
  };
  return { window: window as unknown as HistoryWindow, pushed, fire };
}

describe('browserPageHistory', () => {
  it('reads the address, pushes entries without state, and hears popstate until stopped', () => {
    const { window, pushed, fire } = fakeWindow('https://playground.test/?runaway=3');
    const history = browserPageHistory(window);
    expect(history.href()).toBe('https://playground.test/?runaway=3');
    history.push('https://playground.test/?lesson=lost-update');
    expect(pushed).toEqual([[null, '', 'https://playground.test/?lesson=lost-update']]);
    expect(history.href()).toBe('https://playground.test/?lesson=lost-update');

    let heard = 0;
    const stop = history.onBackOrForward(() => heard++);
    fire('hashchange');
    fire('popstate');
    expect(heard).toBe(1);
    stop();
    fire('popstate');
    expect(heard).toBe(1);
  });
});
