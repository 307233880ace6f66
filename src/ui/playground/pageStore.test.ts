import { describe, expect, it } from 'vitest';
import { findLesson } from '../../lessons';
import type { PageHistory } from './pageHistory';
import type { Baseline } from './playgroundController';
import { PageStore } from './pageStore';
import { scenarioScript, type ScriptStep } from './scenarioScript';

const origin = 'https://playground.test/';

/** A browser's session history: entries, the current one, Back and Forward firing the listeners. */
function fakeHistory(first: string) {
  const entries = [new URL(first, origin).href];
  let index = 0;
  const listeners = new Set<() => void>();
  const move = (by: number) => {
    index += by;
    for (const listener of listeners) listener();
  };
  return {
    href: () => entries[index] ?? '',
    push(href: string) {
      entries.splice(index + 1, entries.length, href);
      index = entries.length - 1;
    },
    onBackOrForward(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    back: () => move(-1),
    forward: () => move(1),
    entries,
    get index() {
      return index;
    },
  } satisfies PageHistory & Record<string, unknown>;
}

function fakeEngine() {
  const resets: { baseline: Baseline; steps: ScriptStep[] | null }[] = [];
  return {
    resets,
    reset(baseline: Baseline, steps: ScriptStep[] | null) {
      resets.push({ baseline, steps });
      return Promise.resolve();
    },
  };
}

const freePlay: Baseline = { sessions: [{ name: 'A' }, { name: 'B' }], setup: ['CREATE TABLE t (id int)'] };

function pageAt(address: string, freePlayBaseline = () => freePlay) {
  const history = fakeHistory(address);
  const engine = fakeEngine();
  const store = new PageStore({ history, engine, freePlayBaseline });
  return { store, history, engine };
}

function scriptOf(id: string) {
  const lesson = findLesson(id);
  if (!lesson) throw new Error(`no lesson ${id}`);
  return scenarioScript(lesson.spec);
}

/** What a reset into a lesson's part starts from, from the lesson's own spec. */
function lessonStart(id: string, part: number) {
  const script = scriptOf(id);
  return {
    baseline: {
      sessions: script.sessions.map((name) => ({ name })),
      setup: script.setup,
      sessionSetup: script.sessionSetup,
    },
    steps: script.parts[part],
  };
}

describe('page store', () => {
  it('starts in the mode the address asks for, on its tab, with the engine’s starting point for it', () => {
    const free = pageAt('/');
    expect(free.store.getState()).toMatchObject({
      mode: { kind: 'free play' },
      script: null,
      tab: 'timeline',
      lessonListOpen: false,
      selectedStatement: null,
    });
    expect(free.store.startingPoint()).toEqual({ baseline: freePlay, steps: null });

    const lesson = pageAt('/?lesson=lost-update&part=2');
    expect(lesson.store.getState()).toMatchObject({
      mode: { kind: 'lesson', lesson: { id: 'lost-update' }, part: 1 },
      tab: 'timeline',
    });
    expect(lesson.store.getState().script).toEqual(scriptOf('lost-update'));
    expect(lesson.store.startingPoint()).toEqual(lessonStart('lost-update', 1));

    expect(pageAt('/?lesson=client-timeout-phases').store.getState().tab).toBe('timeouts');

    const unknown = pageAt('/?lesson=no-such-lesson');
    expect(unknown.store.getState().mode).toEqual({ kind: 'unknown lesson', id: 'no-such-lesson' });
    expect(unknown.store.startingPoint()).toEqual({ baseline: freePlay, steps: null });
    // Reading the address neither pushes an entry nor resets the engine (the controller's start does).
    expect(unknown.history.entries).toHaveLength(1);
    expect(unknown.engine.resets).toEqual([]);
  });

  it('opens a lesson’s part: a history entry with its address, a fresh database for it, the list closed, no selection', () => {
    const { store, history, engine } = pageAt('/?runaway=120#s=shared');
    store.toggleLessonList();
    store.selectStatement('A:1');
    store.openLesson('lost-update');
    expect(history.entries).toEqual([
      `${origin}?runaway=120#s=shared`,
      `${origin}?runaway=120&lesson=lost-update`,
    ]);
    expect(engine.resets).toEqual([lessonStart('lost-update', 0)]);
    expect(store.getState()).toMatchObject({
      mode: { kind: 'lesson', lesson: { id: 'lost-update' }, part: 0 },
      lessonListOpen: false,
      selectedStatement: null,
    });

    store.openLesson('lost-update', 2);
    expect(history.href()).toBe(`${origin}?runaway=120&lesson=lost-update&part=3`);
    expect(engine.resets.at(-1)).toEqual(lessonStart('lost-update', 2));
    expect(store.getState().mode).toMatchObject({ kind: 'lesson', part: 2 });
  });

  it('does nothing for a lesson id that names no lesson', () => {
    const { store, history, engine } = pageAt('/');
    const before = store.getState();
    store.openLesson('no-such-lesson');
    expect(store.getState()).toBe(before);
    expect(history.entries).toHaveLength(1);
    expect(engine.resets).toEqual([]);
  });

  it('leaves a lesson for free play with the editors’ sessions and setup as they are at that moment', () => {
    let editors: Baseline = freePlay;
    const { store, history, engine } = pageAt('/?lesson=rc-vs-rr&runaway=3', () => editors);
    editors = { sessions: [{ name: 'A' }, { name: 'B' }, { name: 'C' }], setup: ['SELECT 1'] };
    store.openFreePlay();
    expect(history.href()).toBe(`${origin}?runaway=3`);
    expect(store.getState()).toMatchObject({ mode: { kind: 'free play' }, script: null });
    expect(engine.resets).toEqual([{ baseline: editors, steps: null }]);
  });

  it('opens a lesson with a Go program on the simulator’s tab and leaves it for the timeline; other tabs stay', () => {
    const { store } = pageAt('/');
    store.selectTab('locks');
    store.openLesson('rc-vs-rr');
    expect(store.getState().tab).toBe('locks');
    store.openLesson('client-timeout-phases');
    expect(store.getState().tab).toBe('timeouts');
    store.openLesson('lost-update');
    expect(store.getState().tab).toBe('timeline');

    // The simulator's tab picked by hand in free play also goes back to the timeline on a switch.
    store.openFreePlay();
    store.selectTab('timeouts');
    store.openFreePlay();
    expect(store.getState().tab).toBe('timeline');
    store.selectTab('rows');
    store.openLesson('client-timeout-phases');
    store.openFreePlay();
    expect(store.getState().tab).toBe('timeline');
  });

  it('follows Back and Forward: the mode of the address reached, a fresh database, no new entry', () => {
    const { store, history, engine } = pageAt('/?runaway=120');
    const stop = store.followBackAndForward();
    store.openLesson('client-timeout-phases');
    store.openLesson('lost-update', 1);
    store.selectStatement('A:2');
    expect(history.entries).toHaveLength(3);

    history.back();
    expect(store.getState()).toMatchObject({
      mode: { kind: 'lesson', lesson: { id: 'client-timeout-phases' }, part: 0 },
      tab: 'timeouts',
      selectedStatement: null,
    });
    expect(engine.resets.at(-1)).toEqual(lessonStart('client-timeout-phases', 0));

    history.back();
    expect(store.getState()).toMatchObject({ mode: { kind: 'free play' }, tab: 'timeline' });
    expect(engine.resets.at(-1)).toEqual({ baseline: freePlay, steps: null });

    history.forward();
    history.forward();
    expect(store.getState().mode).toMatchObject({ kind: 'lesson', lesson: { id: 'lost-update' }, part: 1 });
    expect(engine.resets.at(-1)).toEqual(lessonStart('lost-update', 1));
    expect(history.entries).toHaveLength(3);
    expect(history.index).toBe(2);
    expect(engine.resets).toHaveLength(6);

    stop();
    history.back();
    expect(store.getState().mode).toMatchObject({ kind: 'lesson', lesson: { id: 'lost-update' } });
    expect(engine.resets).toHaveLength(6);
  });

  it('resets the mode it is in: a fresh database, the selection cleared, the address and tab kept', () => {
    const { store, history, engine } = pageAt('/?lesson=lost-update&part=2');
    store.selectTab('rows');
    store.selectStatement('B:1');
    store.reset();
    expect(engine.resets).toEqual([lessonStart('lost-update', 1)]);
    expect(store.getState()).toMatchObject({ tab: 'rows', selectedStatement: null });
    expect(history.entries).toHaveLength(1);
  });

  it('tells its subscribers of every change, and only of changes', () => {
    const { store } = pageAt('/');
    let calls = 0;
    const unsubscribe = store.subscribe(() => calls++);
    store.toggleLessonList();
    expect(store.getState().lessonListOpen).toBe(true);
    store.toggleLessonList();
    expect(store.getState().lessonListOpen).toBe(false);
    store.selectTab('timeline');
    store.selectStatement(null);
    expect(calls).toBe(2);
    store.selectStatement('A:1');
    expect(store.getState().selectedStatement).toBe('A:1');
    expect(calls).toBe(3);
    unsubscribe();
    store.selectTab('waits');
    expect(calls).toBe(3);
  });
});
