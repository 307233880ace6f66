/**
 * The playground page: top bar (lessons, stepping, engine state, share, theme), setup, the session
 * columns, the lesson beside them, and the timeline and inspectors below. It renders the engine's
 * state and sends intents through the playground controller; it computes no database behaviour.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { IsolationLevelName } from '../../engine/pgEmulator';
import { findLesson, standInSession, type Lesson } from '../../lessons';
import { ClockControls } from '../controls/ClockControls';
import { StepControls } from '../controls/StepControls';
import type { RunAtCursorRequest } from '../editor/SqlEditor';
import { formatMilliseconds } from '../format/milliseconds';
import { LessonList } from '../lesson/LessonList';
import { LessonPanel } from '../lesson/LessonPanel';
import type { Baseline } from '../playground/playgroundController';
import { scenarioScript, sessionScriptText, type ScenarioScript } from '../playground/scenarioScript';
import { SessionColumn } from '../session/SessionColumn';
import { SessionColumns, minSessions } from '../session/SessionColumns';
import { sessionOutputs } from '../session/sessionOutputs';
import { type DecodedShareLink, decodeShareLink, encodeShareLink } from '../share/shareLinkCodec';
import { shareLinkFromUrl, urlWithShareLink } from '../share/shareLinkUrl';
import { layoutTimeline } from '../timeline/timelineLayout';
import { ClientTimeoutsPanel } from '../timeouts/ClientTimeoutsPanel';
import { useClientTimeouts } from '../timeouts/useClientTimeouts';
import type { EngineConnection } from '../worker/engineClient';
import { EngineStatusChip } from './EngineStatusChip';
import { type InspectorTab, InspectorDock } from './InspectorDock';
import { type PageMode, pageMode, runawayLimitMs, searchFor } from '../playground/pageOptions';
import { SetupPanel } from './SetupPanel';
import { useFollowRealTime } from './useFollowRealTime';
import { usePlayground } from './usePlayground';
import { lessonEditor, sessionEditor, setupEditor, usePlaygroundTexts } from './usePlaygroundTexts';
import { useStatementFinder } from './useStatementFinder';
import { useEditorFontSize } from './useEditorFontSize';
import { useTheme } from './useTheme';
import './App.css';

function shareLinkOfThisPage(): DecodedShareLink | null {
  const link = shareLinkFromUrl(new URL(window.location.href));
  return link === null ? null : decodeShareLink(link);
}

/** A lesson with a Go program opens on the timeout-phase simulator. */
function tabFor(mode: PageMode): InspectorTab | null {
  return mode.kind === 'lesson' && mode.lesson.clientTimeouts ? 'timeouts' : null;
}

/** The lesson's sessions on screen: not the one that only stands in for a Go driver's cancel. */
function shownSessions(lesson: Lesson, sessions: readonly string[]): string[] {
  const hidden = standInSession(lesson);
  return sessions.filter((name) => name !== hidden);
}

/** The lesson part's scenario, parsed once per lesson. */
function lessonScript(mode: PageMode): ScenarioScript | null {
  return mode.kind === 'lesson' ? scenarioScript(mode.lesson.spec) : null;
}

export interface AppProps {
  engineConnection: Promise<EngineConnection>;
}

export function App({ engineConnection }: AppProps) {
  const [mode, setMode] = useState<PageMode>(() => pageMode(window.location.search));
  const [theme, setTheme] = useTheme();
  const fontSize = useEditorFontSize();
  const [sharedOnLoad] = useState(shareLinkOfThisPage);
  const texts = usePlaygroundTexts(sharedOnLoad?.ok ? sharedOnLoad.state : null);
  const [shareNotice, setShareNotice] = useState<string | null>(
    sharedOnLoad && !sharedOnLoad.ok ? sharedOnLoad.message : null,
  );
  const [selectedStatement, setSelectedStatement] = useState<string | null>(null);
  const [followRealTime, setFollowRealTime] = useState(false);
  const [tab, setTab] = useState<InspectorTab>(() => tabFor(mode) ?? 'timeline');
  const [showLessons, setShowLessons] = useState(false);
  const script = useMemo(() => lessonScript(mode), [mode]);

  /** What a reset starts from, in the current mode. */
  const baselineOf = useCallback(
    (forMode: PageMode, forScript: ScenarioScript | null) => {
      if (forMode.kind === 'lesson' && forScript) {
        return {
          baseline: {
            sessions: forScript.sessions.map((name) => ({ name })),
            setup: forScript.setup,
            sessionSetup: forScript.sessionSetup,
          } satisfies Baseline,
          steps: forScript.parts[forMode.part] ?? [],
        };
      }
      return {
        baseline: {
          sessions: texts.sessions.map((name) => ({ name })),
          setup: [texts.currentText(setupEditor)],
        } satisfies Baseline,
        steps: null,
      };
    },
    [texts],
  );

  const { controller, state, serverVersion } = usePlayground(
    engineConnection,
    runawayLimitMs(window.location.search),
    () => baselineOf(mode, script),
  );
  const { snapshot, scenario, status } = state;
  const timeouts = useClientTimeouts(
    controller,
    mode.kind === 'lesson' ? (mode.lesson.clientTimeouts ?? null) : null,
  );
  const findStatement = useStatementFinder(status.state !== 'starting');
  const timeline = useMemo(() => layoutTimeline(snapshot.events), [snapshot.events]);
  const engineReady = status.state === 'ready' && serverVersion !== null;
  const disabledReason = engineReady
    ? null
    : status.state === 'failed'
      ? 'The engine stopped.'
      : status.state === 'restarting'
        ? 'The engine is restarting…'
        : 'The engine is loading…';
  const somethingWaits = snapshot.sessions.some((session) => session.busy);
  useFollowRealTime(controller, followRealTime && engineReady, somethingWaits);

  // Row versions are read only while their tab is open.
  const [watchedTable, setWatchedTable] = useState<string | null>(null);
  useEffect(() => {
    void controller.watchRowVersions(tab === 'rows' ? { table: watchedTable } : null);
  }, [controller, tab, watchedTable]);

  // A new mode (a lesson, a part, free play): a fresh database for it.
  const switchMode = useCallback(
    (next: PageMode, push = true) => {
      if (push) {
        const url = new URL(window.location.href);
        url.search = searchFor(next, url.search);
        url.hash = '';
        window.history.pushState(null, '', url);
      }
      setMode(next);
      setTab((current) => tabFor(next) ?? (current === 'timeouts' ? 'timeline' : current));
      setSelectedStatement(null);
      setShowLessons(false);
      const { baseline, steps } = baselineOf(next, lessonScript(next));
      void controller.reset(baseline, steps);
    },
    [baselineOf, controller],
  );
  useEffect(() => {
    const onPopState = () => switchMode(pageMode(window.location.search), false);
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, [switchMode]);

  const reset = () => {
    setSelectedStatement(null);
    const { baseline, steps } = baselineOf(mode, script);
    void controller.reset(baseline, steps);
  };

  const runAtCursor = (session: string, request: RunAtCursorRequest) => {
    const statement = findStatement?.(request.text, request.offset);
    if (statement && statement.text.trim() !== '') void controller.run(session, statement.text);
  };
  const runAll = (session: string, text: string) => {
    if (text.trim() !== '') void controller.run(session, text);
  };
  const changeIsolation = (session: string, level: IsolationLevelName) =>
    void controller.run(session, `SET default_transaction_isolation = '${level}'`);

  const copyShareLink = async () => {
    const url = urlWithShareLink(new URL(window.location.href), encodeShareLink(texts.shareState()));
    window.history.replaceState(null, '', url);
    try {
      await navigator.clipboard.writeText(url.href);
      setShareNotice('Share link copied to the clipboard.');
    } catch {
      setShareNotice('The share link is now in the address bar.');
    }
  };

  const selectedSession = selectedStatement
    ? timeline.lanes.find((lane) => lane.blocks.some((block) => block.key === selectedStatement))?.session
    : undefined;

  const lesson = mode.kind === 'lesson' ? mode.lesson : null;
  const sessions = lesson && script ? shownSessions(lesson, script.sessions) : texts.sessions;
  const next = scenario?.next;
  const position = scenario ? { done: scenario.done, total: scenario.steps.length } : null;
  const notice = state.notice ?? shareNotice;

  return (
    <div className="app" data-mode={mode.kind === 'lesson' ? 'lesson' : 'free'} data-working={state.working}>
      <header className="top-bar">
        <h1>
          <a href="./" onClick={(event) => (event.preventDefault(), switchMode({ kind: 'free play' }))}>
            SQL concurrency playground
          </a>
        </h1>
        <div className="lessons-menu">
          <button type="button" aria-expanded={showLessons} onClick={() => setShowLessons(!showLessons)}>
            Lessons ▾
          </button>
          {showLessons && (
            <div className="lessons-popover">
              <LessonList onOpen={(id) => openLesson(id)} />
              {mode.kind === 'lesson' && (
                <button type="button" onClick={() => switchMode({ kind: 'free play' })}>
                  Leave the lesson: free play
                </button>
              )}
            </div>
          )}
        </div>
        <StepControls
          position={position}
          stepLabel={
            next?.kind === 'let time pass' ? `Let time pass ▶ ${formatMilliseconds(next.until)}` : 'Step ▶'
          }
          stepTitle={
            next?.kind === 'let time pass'
              ? `Session ${next.session} is still busy: let virtual time pass to the next timer`
              : next?.kind === 'launch'
                ? `Run step ${next.step.name} on session ${next.step.session}`
                : undefined
          }
          canStep={next?.kind === 'launch' || next?.kind === 'let time pass'}
          canStepBack={state.canGoBack}
          disabledReason={disabledReason}
          onStep={() => void controller.step()}
          onStepBack={() => void controller.back()}
          onRunToEnd={() => void controller.runToEnd()}
          onReset={reset}
        />
        <div className="top-bar-end">
          <EngineStatusChip status={status} serverVersion={serverVersion} />
          {mode.kind !== 'lesson' && (
            <button type="button" onClick={() => void copyShareLink()}>
              Copy link
            </button>
          )}
          <button
            type="button"
            onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
            aria-pressed={theme === 'dark'}
          >
            {theme === 'dark' ? 'Light' : 'Dark'}
          </button>
        </div>
      </header>
      {notice && (
        <div className="notice-bar" role="status" data-testid="notice">
          <span>{notice}</span>
          <button
            type="button"
            onClick={() => (state.notice ? controller.dismissNotice() : setShareNotice(null))}
            aria-label="Dismiss"
          >
            ✕
          </button>
        </div>
      )}
      <div className="workspace">
        <div className="work-main">
          <main className="sessions">
            <SessionColumns
              count={sessions.length}
              onAdd={
                lesson
                  ? undefined
                  : () => {
                      const name = texts.addSession();
                      if (name) void controller.openSession(name);
                    }
              }
            >
              {sessions.map((name) => {
                const editor = lesson
                  ? lessonEditor(lesson.id, mode.kind === 'lesson' ? mode.part : 0, name)
                  : sessionEditor(name);
                const scriptText =
                  script && mode.kind === 'lesson'
                    ? sessionScriptText(script.parts[mode.part] ?? [], name)
                    : '';
                return (
                  <SessionColumn
                    key={`${editor}`}
                    name={name}
                    view={snapshot.sessions.find((session) => session.name === name) ?? null}
                    outputs={sessionOutputs(snapshot.events, name)}
                    selectedStatement={selectedSession === name ? selectedStatement : null}
                    initialText={texts.initialText(editor, scriptText)}
                    replaceText={lesson ? null : texts.replacements[editor]}
                    onTextChange={(text) => texts.setText(editor, text)}
                    onRunAtCursor={(request) => runAtCursor(name, request)}
                    onRunAll={(text) => runAll(name, text)}
                    onCancel={() => void controller.cancel(name)}
                    onIsolationChange={lesson ? undefined : (level) => changeIsolation(name, level)}
                    runDisabledReason={disabledReason}
                    nextStep={next?.kind === 'launch' && next.step.session === name ? next.step.name : null}
                    onRemove={
                      !lesson && texts.sessions.length > minSessions
                        ? () => {
                            texts.removeSession(name);
                            void controller.closeSession(name);
                          }
                        : undefined
                    }
                    theme={theme}
                    fontSize={fontSize}
                    findStatement={findStatement}
                  />
                );
              })}
            </SessionColumns>
          </main>
        </div>
        {lesson && mode.kind === 'lesson' && (
          <LessonPanel
            key={`${lesson.id}:${mode.part}`}
            lesson={lesson}
            part={mode.part}
            scenario={scenario}
            onPart={(part) => switchMode({ kind: 'lesson', lesson, part })}
          />
        )}
        {mode.kind === 'unknown lesson' && (
          <aside className="lesson-panel unknown-lesson" aria-label="Lessons" role="alert">
            <div className="lesson-body">
              <h2>There is no lesson “{mode.id}”.</h2>
              <p>Pick one of these — or play freely with the sessions on the left.</p>
              <LessonList onOpen={(id) => openLesson(id)} />
            </div>
          </aside>
        )}
      </div>
      <InspectorDock
        tab={tab}
        onTab={setTab}
        snapshot={snapshot}
        timeline={timeline}
        selectedStatement={selectedStatement}
        onSelectStatement={setSelectedStatement}
        onWatchTable={setWatchedTable}
        setup={
          <SetupPanel
            key={lesson ? `lesson:${lesson.id}` : 'free'}
            initialText={script ? script.setup.join(';\n\n') : texts.initialText(setupEditor)}
            replaceText={lesson ? null : texts.replacements[setupEditor]}
            onTextChange={(text) => !lesson && texts.setText(setupEditor, text)}
            onRunSetup={reset}
            runDisabledReason={disabledReason}
            readOnly={lesson !== null}
            theme={theme}
            fontSize={fontSize}
          />
        }
        timeouts={
          <ClientTimeoutsPanel
            key={lesson ? `lesson:${lesson.id}` : 'free'}
            attachment={lesson?.clientTimeouts ?? null}
            settings={timeouts.settings}
            onSettings={timeouts.setSettings}
            snapshot={snapshot}
            scenario={scenario}
          />
        }
        clock={
          <ClockControls
            now={snapshot.now}
            nextTimerAt={snapshot.nextTimerAt}
            disabledReason={disabledReason}
            onAdvanceTime={(milliseconds) => void controller.advanceTime(milliseconds)}
            onAdvanceToNextTimer={() => void controller.advanceToNextTimer()}
            followRealTime={followRealTime}
            onFollowRealTimeChange={setFollowRealTime}
          />
        }
      />
    </div>
  );

  function openLesson(id: string) {
    const found = findLesson(id);
    if (found) switchMode({ kind: 'lesson', lesson: found, part: 0 });
  }
}
