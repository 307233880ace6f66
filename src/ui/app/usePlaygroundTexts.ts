/**
 * The sessions on screen and the text of every editor (setup and one per session). Texts are kept
 * as drafts in localStorage, so they survive a reload; a share link opened with the page replaces
 * them. Before anything was typed, the editors hold `defaultTexts`.
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import { browserStorage, createDraftStore } from '../persistence/editorDrafts';
import type { Baseline } from '../playground/playgroundController';
import { maxSessions, minSessions } from '../session/SessionColumns';
import type { ShareState } from '../share/shareLinkCodec';
import { defaultTexts } from './defaultTexts';

const sessionNames = ['A', 'B', 'C', 'D'] as const;
const sessionsKey = 'sessions';

export interface PlaygroundTexts {
  sessions: string[];
  /** The editor's text: typed, else a draft, else the default, else `fallback`. */
  initialText(editor: string, fallback?: string): string;
  /** Per editor: a new object when its text was replaced from outside (share link, reset). */
  replacements: Record<string, { text: string }>;
  setText(editor: string, text: string): void;
  currentText(editor: string, fallback?: string): string;
  /** Adds the next free session name (A–D); returns it, or null when four are open. */
  addSession(): string | null;
  removeSession(name: string): void;
  /** The state a share link carries. */
  shareState(): ShareState;
  /**
   * What free play starts from: the sessions and the setup SQL as they are now. The same function
   * for the page's whole life, so it can be handed on once.
   */
  freePlayBaseline(): Baseline;
  load(state: ShareState): void;
}

export const setupEditor = 'setup';
export const sessionEditor = (name: string) => `session:${name}`;
/** A session's editor in a lesson part: drafts per lesson and part. */
export const lessonEditor = (lesson: string, part: number, name: string) =>
  `lesson:${lesson}:${part}:session:${name}`;

export function usePlaygroundTexts(sharedOnLoad: ShareState | null): PlaygroundTexts {
  const drafts = useMemo(() => createDraftStore(browserStorage()), []);
  const [sessions, setSessions] = useState<string[]>(() => {
    if (sharedOnLoad) {
      drafts.save(setupEditor, sharedOnLoad.setup);
      for (const session of sharedOnLoad.sessions) drafts.save(sessionEditor(session.name), session.sql);
      drafts.save(sessionsKey, sharedOnLoad.sessions.map((session) => session.name).join(','));
      return sharedOnLoad.sessions.map((session) => session.name);
    }
    const stored =
      drafts
        .load(sessionsKey)
        ?.split(',')
        .filter((name) => name !== '') ?? [];
    return stored.length >= minSessions && stored.length <= maxSessions ? stored : ['A', 'B'];
  });
  // The sessions as the last change left them, for freePlayBaseline (which must not change).
  const liveSessions = useRef(sessions);
  const [replacements, setReplacements] = useState<Record<string, { text: string }>>({});
  // The live text of every editor; editors are uncontrolled, so this need not re-render anything.
  const texts = useRef(new Map<string, string>());

  const currentText = useCallback(
    (editor: string, fallback = '') =>
      texts.current.get(editor) ?? drafts.load(editor) ?? defaultTexts[editor] ?? fallback,
    [drafts],
  );
  const setText = useCallback(
    (editor: string, text: string) => {
      texts.current.set(editor, text);
      drafts.save(editor, text);
    },
    [drafts],
  );
  const saveSessions = useCallback(
    (next: string[]) => {
      drafts.save(sessionsKey, next.join(','));
      liveSessions.current = next;
      setSessions(next);
    },
    [drafts],
  );
  const freePlayBaseline = useCallback(
    (): Baseline => ({
      sessions: liveSessions.current.map((name) => ({ name })),
      setup: [currentText(setupEditor)],
    }),
    [currentText],
  );

  return {
    sessions,
    initialText: currentText,
    replacements,
    setText,
    currentText,
    addSession() {
      const name = sessionNames.find((candidate) => !sessions.includes(candidate));
      if (!name || sessions.length >= maxSessions) return null;
      saveSessions([...sessions, name]);
      return name;
    },
    removeSession(name) {
      if (sessions.length > minSessions) saveSessions(sessions.filter((session) => session !== name));
    },
    shareState() {
      return {
        setup: currentText(setupEditor),
        sessions: sessions.map((name) => ({ name, sql: currentText(sessionEditor(name)) })),
      };
    },
    freePlayBaseline,
    load(state) {
      const next: Record<string, { text: string }> = { [setupEditor]: { text: state.setup } };
      setText(setupEditor, state.setup);
      for (const session of state.sessions) {
        setText(sessionEditor(session.name), session.sql);
        next[sessionEditor(session.name)] = { text: session.sql };
      }
      saveSessions(state.sessions.map((session) => session.name));
      setReplacements(next);
    },
  };
}
