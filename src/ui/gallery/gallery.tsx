/**
 * The component gallery: the UI's components rendered from hand-written fixtures that have the
 * exact shape of the engine's contract, for end-to-end tests and screenshots before (and beside)
 * the engine. Built only in mode `gallery` (the tests); never part of the app. Choose a scene with
 * `?scene=deadlock-waiting|deadlock-end|outputs`.
 */
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ClockControls } from '../controls/ClockControls';
import { StepControls } from '../controls/StepControls';
import { deadlockEventLog } from '../fixtures/deadlockEventLog';
import {
  sessionAAfterDeadlock,
  sessionAWaiting,
  sessionBAborted,
  sessionBWaiting,
  sessionCRepeatableRead,
} from '../fixtures/sessionViewFixtures';
import {
  cachedPlanError,
  doWithNotice,
  selectWithNulls,
  syntaxError,
} from '../fixtures/statementOutputFixtures';
import { SessionColumn } from '../session/SessionColumn';
import { SessionColumns } from '../session/SessionColumns';
import { sessionOutputs } from '../session/sessionOutputs';
import { Timeline } from '../timeline/Timeline';
import { layoutTimeline } from '../timeline/timelineLayout';
import '../styles/theme.css';
import '../app/App.css';
import type { SessionView, EngineEvent } from '../../engine/pgEmulator';
import type { StatementOutput } from '../session/sessionOutputs';

interface Scene {
  title: string;
  events: EngineEvent[];
  sessions: { name: string; view: SessionView; outputs?: StatementOutput[]; text: string }[];
  selected: string | null;
  now: number;
  nextTimerAt: number | null;
}

const transferA =
  'BEGIN;\nUPDATE accounts SET balance = balance - 10 WHERE id = 1;\nUPDATE accounts SET balance = balance + 10 WHERE id = 2;\nCOMMIT;';
const transferB =
  'BEGIN;\nUPDATE accounts SET balance = balance - 10 WHERE id = 2;\nUPDATE accounts SET balance = balance + 10 WHERE id = 1;\nCOMMIT;';
const beforeTheDeadlock = deadlockEventLog.filter((event) => event.time === 0);

const scenes: Record<string, Scene> = {
  'deadlock-waiting': {
    title: 'Two transfers wait for each other',
    events: beforeTheDeadlock,
    sessions: [
      { name: 'A', view: sessionAWaiting, text: transferA },
      { name: 'B', view: sessionBWaiting, text: transferB },
    ],
    selected: null,
    now: 0,
    nextTimerAt: 1000,
  },
  'deadlock-end': {
    title: 'deadlock_timeout elapsed: B is the victim',
    events: deadlockEventLog,
    sessions: [
      { name: 'A', view: sessionAAfterDeadlock, text: transferA },
      { name: 'B', view: sessionBAborted, text: transferB },
    ],
    selected: '6:0',
    now: 1000,
    nextTimerAt: null,
  },
  outputs: {
    title: 'Results, notices and errors',
    events: [],
    sessions: [
      { name: 'A', view: sessionAAfterDeadlock, outputs: [selectWithNulls, doWithNotice], text: 'SELECT …' },
      { name: 'B', view: sessionBAborted, outputs: [syntaxError], text: 'SELECT *\n  FORM accounts;' },
      { name: 'C', view: sessionCRepeatableRead, outputs: [cachedPlanError], text: 'EXECUTE all_accounts;' },
    ],
    selected: null,
    now: 0,
    nextTimerAt: null,
  },
};

const params = new URLSearchParams(window.location.search);
const sceneName = params.get('scene') ?? 'deadlock-end';
const theme = params.get('theme') === 'dark' ? 'dark' : 'light';
document.documentElement.dataset.theme = theme;

function Gallery() {
  const scene = scenes[sceneName] ?? scenes['deadlock-end'];
  const [selected, setSelected] = useState<string | null>(scene?.selected ?? null);
  if (!scene) return null;
  const timeline = layoutTimeline(scene.events);
  const selectedSession = timeline.lanes.find((lane) =>
    lane.blocks.some((block) => block.key === selected),
  )?.session;
  return (
    <div className="app">
      <header className="top-bar">
        <h1>Component gallery</h1>
        <span className="engine-status" data-state="loading">
          Fixtures, not engine output: {scene.title}
        </span>
        <StepControls
          position={{ done: sceneName === 'deadlock-end' ? 6 : 4, total: 6 }}
          canStep={sceneName !== 'deadlock-end'}
          canStepBack
          disabledReason={null}
          onStep={() => undefined}
          onStepBack={() => undefined}
          onRunToEnd={() => undefined}
          onReset={() => undefined}
        />
        <ClockControls
          now={scene.now}
          nextTimerAt={scene.nextTimerAt}
          disabledReason={null}
          onAdvanceTime={() => undefined}
          onAdvanceToNextTimer={() => undefined}
          followRealTime={false}
          onFollowRealTimeChange={() => undefined}
        />
      </header>
      <main className="sessions">
        <SessionColumns count={scene.sessions.length} onAdd={() => undefined}>
          {scene.sessions.map((session) => (
            <SessionColumn
              key={session.name}
              name={session.name}
              view={session.view}
              outputs={session.outputs ?? sessionOutputs(scene.events, session.name)}
              selectedStatement={selectedSession === session.name ? selected : null}
              initialText={session.text}
              onRunAtCursor={() => undefined}
              onRunAll={() => undefined}
              runDisabledReason={null}
              onRemove={scene.sessions.length > 2 ? () => undefined : undefined}
              theme={theme}
              fontSize={18}
            />
          ))}
        </SessionColumns>
      </main>
      {scene.events.length > 0 && (
        <section className="timeline-panel" aria-label="Timeline">
          <h2>Timeline</h2>
          <Timeline model={timeline} selectedKey={selected} onSelect={setSelected} />
        </section>
      )}
    </div>
  );
}

const container = document.getElementById('root');
if (container) {
  createRoot(container).render(
    <StrictMode>
      <Gallery />
    </StrictMode>,
  );
}
