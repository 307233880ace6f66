/**
 * The embedding hooks: when the engine is ready the page says so on `<html data-engine>` (for tests
 * and scripts) and, inside an iframe, with a `{ type: "ready" }` message to the parent window.
 */
export type EngineState = 'loading' | 'ready' | 'failed';

export interface ReadyMessage {
  type: 'ready';
}

export function setEngineState(root: HTMLElement, state: EngineState): void {
  root.dataset.engine = state;
}

export function announceEngineReady(win: Window): void {
  setEngineState(win.document.documentElement, 'ready');
  win.performance.mark('engine-ready');
  if (win.parent !== win) {
    const message: ReadyMessage = { type: 'ready' };
    // The embedding page may live on any origin (a documentation site), and the message carries nothing private.
    win.parent.postMessage(message, '*');
  }
}
