/**
 * The playground page: top bar (lessons, stepping, engine state, share, theme), setup, the session
 * columns, the lesson beside them, and the timeline and inspectors below. It renders the engine's
 * state (the playground controller's) and the page's (the page store's: mode, tab, lesson list,
 * selection, the address) and sends intents to them; it computes no database behaviour.
 */
import { useEffect, useMemo, useState } from 'react';
import type { IsolationLevelName } from '../../engine/pgEmulator';
import { standInSession, type Lesson } from '../../lessons';
import { ClockControls } from '../controls/ClockControls';
import { StepControls } from '../controls/StepControls';
import type { RunAtCursorRequest } from '../editor/SqlEditor';
import { formatMilliseconds } from '../format/milliseconds';
import { LessonList } from '../lesson/LessonList';
import { LessonPanel } from '../lesson/LessonPanel';
import { runawayLimitMs } from '../playground/pageOptions';
import { sessionScriptText } from '../playground/scenarioScript';
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
import { InspectorDock } from './InspectorDock';
import { SetupPanel } from './SetupPanel';
import { useFollowRealTime } from './useFollowRealTime';
import { usePageStore } from './usePageStore';
import { usePlayground, usePlaygroundController } from './usePlayground';
import { lessonEditor, sessionEditor, setupEditor, usePlaygroundTexts } from './usePlaygroundTexts';
import { useStatementFinder } from './useStatementFinder';
import { useEditorFontSize } from './useEditorFontSize';
import { useTheme } from './useTheme';
import './App.css';

function shareLinkOfThisPage(): DecodedShareLink | null {
  const link = shareLinkFromUrl(new URL(window.location.href));
  return link === null ? null : decodeShareLink(link);
}

/** The lesson's sessions on screen: not the one that only stands in for a Go driver's cancel. */
function shownSessions(lesson: Lesson, sessions: readonly string[]): string[] {
  const hidden = standInSession(lesson);
  return sessions.filter((name) => name !== hidden);
}

export interface AppProps {
  engineConnection: Promise<EngineConnection>;
}

export function App({ engineConnection }: AppProps) {
  const [theme, setTheme] = useTheme();
  const fontSize = useEditorFontSize();
  const [sharedOnLoad] = useState(shareLinkOfThisPage);
  const texts = usePlaygroundTexts(sharedOnLoad?.ok ? sharedOnLoad.state : null);
  const [shareNotice, setShareNotice] = useState<string | null>(
    sharedOnLoad && !sharedOnLoad.ok ? sharedOnLoad.message : null,
  );
  const [followRealTime, setFollowRealTime] = useState(false);
  const controller = usePlaygroundController(runawayLimitMs(window.location.search));
  const [page, pageStore] = usePageStore(controller, texts.freePlayBaseline);
  const { mode, script, tab, lessonListOpen, selectedStatement } = page;
  const { state, serverVersion } = usePlayground(controller, engineConnection, pageStore.startingPoint);
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

  const reset = () => pageStore.reset();

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
          <a href="./" onClick={(event) => (event.preventDefault(), pageStore.openFreePlay())}>
            SQL concurrency playground
          </a>
        </h1>
        <div className="lessons-menu">
          <button type="button" aria-expanded={lessonListOpen} onClick={() => pageStore.toggleLessonList()}>
            Lessons ▾
          </button>
          {lessonListOpen && (
            <div className="lessons-popover">
              <LessonList onOpen={(id) => pageStore.openLesson(id)} />
              {mode.kind === 'lesson' && (
                <button type="button" onClick={() => pageStore.openFreePlay()}>
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
            onPart={(part) => pageStore.openLesson(lesson.id, part)}
          />
        )}
        {mode.kind === 'unknown lesson' && (
          <aside className="lesson-panel unknown-lesson" aria-label="Lessons" role="alert">
            <div className="lesson-body">
              <h2>There is no lesson “{mode.id}”.</h2>
              <p>Pick one of these — or play freely with the sessions on the left.</p>
              <LessonList onOpen={(id) => pageStore.openLesson(id)} />
            </div>
          </aside>
        )}
      </div>
      <InspectorDock
        tab={tab}
        onTab={(next) => pageStore.selectTab(next)}
        snapshot={snapshot}
        timeline={timeline}
        selectedStatement={selectedStatement}
        onSelectStatement={(key) => pageStore.selectStatement(key)}
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
}
