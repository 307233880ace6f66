/**
 * The page's own state, with one owner: the mode (free play, a lesson and one of its parts, or a
 * lesson the address names that does not exist), the inspector tab, whether the lesson list is
 * open, and the statement selected on the timeline. What the engine shows is the playground
 * controller's; this is everything else the page is in.
 *
 * - It owns the address: the first mode comes from it (`?lesson=ID&part=N`, see `pageOptions.ts`),
 *   every switch of mode pushes a history entry, and Back or Forward switch to the mode of the
 *   address they reach (without pushing one).
 * - A switch of mode, like Reset, gives the engine a fresh database for the mode: in a lesson its
 *   sessions, setup and the part's steps; in free play the editors' sessions and setup SQL.
 * - A lesson with a Go program opens on the timeout-phase simulator's tab; leaving it for a mode
 *   without one goes back to the timeline. Any other tab stays as it was.
 *
 * It holds no React state and renders nothing: `subscribe` / `getState` feed the UI.
 */
import { findLesson } from '../../lessons';
import type { PageHistory } from './pageHistory';
import { type PageMode, pageMode, searchFor } from './pageOptions';
import type { Baseline } from './playgroundController';
import { scenarioScript, type ScenarioScript, type ScriptStep } from './scenarioScript';

export type InspectorTab = 'timeline' | 'locks' | 'waits' | 'rows' | 'setup' | 'timeouts';

export interface PageState {
  mode: PageMode;
  /** The lesson's scenario, parsed once per switch; null outside a lesson. */
  script: ScenarioScript | null;
  tab: InspectorTab;
  lessonListOpen: boolean;
  /** The statement selected on the timeline (its block's key). */
  selectedStatement: string | null;
}

/** What a reset starts from: the baseline and the scenario's steps to step through (null in free play). */
export interface StartingPoint {
  baseline: Baseline;
  steps: ScriptStep[] | null;
}

/** The part of the playground controller the store drives. */
export interface ResettableEngine {
  reset(baseline: Baseline, steps: ScriptStep[] | null): Promise<void>;
}

export interface PageStoreOptions {
  history: PageHistory;
  engine: ResettableEngine;
  /** Free play's sessions and setup SQL, as the editors hold them now. */
  freePlayBaseline: () => Baseline;
}

export class PageStore {
  private state: PageState;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: PageStoreOptions) {
    const mode = modeAt(options.history.href());
    this.state = {
      mode,
      script: scriptOf(mode),
      tab: lessonTab(mode) ?? 'timeline',
      lessonListOpen: false,
      selectedStatement: null,
    };
  }

  // ---- for React (useSyncExternalStore) ----

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): PageState => this.state;

  // ---- intents from the UI ----

  /** A lesson's part (0-based), on a fresh database; an id that names no lesson does nothing. */
  openLesson(id: string, part = 0): void {
    const lesson = findLesson(id);
    if (lesson) this.switchTo({ kind: 'lesson', lesson, part });
  }

  openFreePlay(): void {
    this.switchTo({ kind: 'free play' });
  }

  /** Reset (and Run setup): a fresh database for the mode the page is in. */
  reset(): void {
    this.publish({ selectedStatement: null });
    const { baseline, steps } = this.startingPoint();
    void this.options.engine.reset(baseline, steps);
  }

  selectTab(tab: InspectorTab): void {
    this.publish({ tab });
  }

  toggleLessonList(): void {
    this.publish({ lessonListOpen: !this.state.lessonListOpen });
  }

  selectStatement(key: string | null): void {
    this.publish({ selectedStatement: key });
  }

  /** What the engine starts from in the current mode (the controller's first start, every reset). */
  startingPoint = (): StartingPoint => {
    const { mode, script } = this.state;
    if (mode.kind === 'lesson' && script) {
      return {
        baseline: {
          sessions: script.sessions.map((name) => ({ name })),
          setup: script.setup,
          sessionSetup: script.sessionSetup,
        },
        steps: script.parts[mode.part] ?? [],
      };
    }
    return { baseline: this.options.freePlayBaseline(), steps: null };
  };

  /** Switches to the mode of the address that Back or Forward reach; returns the function that stops. */
  followBackAndForward = (): (() => void) => {
    const { history } = this.options;
    return history.onBackOrForward(() => this.switchTo(modeAt(history.href()), false));
  };

  // ---- internals ----

  private switchTo(mode: PageMode, push = true): void {
    const { history } = this.options;
    if (push) history.push(addressOf(mode, history.href()));
    const { tab } = this.state;
    this.publish({
      mode,
      script: scriptOf(mode),
      tab: lessonTab(mode) ?? (tab === 'timeouts' ? 'timeline' : tab),
      lessonListOpen: false,
      selectedStatement: null,
    });
    this.reset();
  }

  /** Publishes a change; nothing when every value is the one already held. */
  private publish(patch: Partial<PageState>): void {
    const changed = (Object.keys(patch) as (keyof PageState)[]).some((key) => patch[key] !== this.state[key]);
    if (!changed) return;
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }
}

function modeAt(href: string): PageMode {
  return pageMode(new URL(href).search);
}

/** The address of a mode: the other parameters kept, a share link's fragment dropped. */
function addressOf(mode: PageMode, href: string): string {
  const url = new URL(href);
  url.search = searchFor(mode, url.search);
  url.hash = '';
  return url.href;
}

function scriptOf(mode: PageMode): ScenarioScript | null {
  return mode.kind === 'lesson' ? scenarioScript(mode.lesson.spec) : null;
}

/** The tab a mode opens on, if it has one of its own: a lesson with a Go program, the simulator's. */
function lessonTab(mode: PageMode): InspectorTab | null {
  return mode.kind === 'lesson' && mode.lesson.clientTimeouts ? 'timeouts' : null;
}
