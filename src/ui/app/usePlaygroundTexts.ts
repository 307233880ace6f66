/**
 * The sessions on screen and the text of every editor (setup and one per session). Texts are kept
 * as drafts in localStorage, so they survive a reload; a share link opened with the page replaces
 * them.
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import { browserStorage, createDraftStore } from '../persistence/editorDrafts';
import { maxSessions, minSessions } from '../session/SessionColumns';
import type { ShareState } from '../share/shareLinkCodec';

const sessionNames = ['A', 'B', 'C', 'D'] as const;
const sessionsKey = 'sessions';

export interface PlaygroundTexts {
  sessions: string[];
  initialText(editor: string): string;
  /** Per editor: a new object when its text was replaced from outside (share link, reset). */
  replacements: Record<string, { text: string }>;
  setText(editor: string, text: string): void;
  currentText(editor: string): string;
  addSession(): void;
  removeSession(name: string): void;
  /** The state a share link carries. */
  shareState(): ShareState;
  load(state: ShareState): void;
}

export const setupEditor = 'setup';
export const sessionEditor = (name: string) => `session:${name}`;

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
  const [replacements, setReplacements] = useState<Record<string, { text: string }>>({});
  // The live text of every editor; editors are uncontrolled, so this need not re-render anything.
  const texts = useRef(new Map<string, string>());

  const currentText = useCallback(
    (editor: string) => texts.current.get(editor) ?? drafts.load(editor) ?? '',
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
      setSessions(next);
    },
    [drafts],
  );

  return {
    sessions,
    initialText: currentText,
    replacements,
    setText,
    currentText,
    addSession() {
      const name = sessionNames.find((candidate) => !sessions.includes(candidate));
      if (name && sessions.length < maxSessions) saveSessions([...sessions, name]);
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
