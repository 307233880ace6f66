/**
 * The playground page: top bar (engine state, stepping, theme, share), setup, the session columns
 * and the timeline. It renders engine state and sends intents; until the multi-session engine is
 * connected it says so and runs nothing.
 */
import { useMemo, useState } from 'react';
import type { EngineEvent } from '../../engine/api/events';
import { StepControls } from '../controls/StepControls';
import { SessionColumn } from '../session/SessionColumn';
import { SessionColumns, minSessions } from '../session/SessionColumns';
import { sessionOutputs } from '../session/sessionOutputs';
import { type DecodedShareLink, decodeShareLink, encodeShareLink } from '../share/shareLinkCodec';
import { shareLinkFromUrl, urlWithShareLink } from '../share/shareLinkUrl';
import { Timeline } from '../timeline/Timeline';
import type { EngineConnection } from '../worker/engineClient';
import { layoutTimeline } from '../timeline/timelineLayout';
import { EngineStatusChip } from './EngineStatusChip';
import { SetupPanel } from './SetupPanel';
import { type EngineStatus, useEngineConnection } from './useEngineConnection';
import { sessionEditor, setupEditor, usePlaygroundTexts } from './usePlaygroundTexts';
import { useStatementFinder } from './useStatementFinder';
import { useTheme } from './useTheme';
import './App.css';

const fontSize = 18;

function runDisabledReason(engine: EngineStatus): string {
  if (engine.state === 'loading') return 'The engine is loading…';
  if (engine.state === 'failed') return 'The engine could not start.';
  return 'Running SQL needs the multi-session engine, which this build does not have yet.';
}

function shareLinkOfThisPage(): DecodedShareLink | null {
  const link = shareLinkFromUrl(new URL(window.location.href));
  return link === null ? null : decodeShareLink(link);
}

export interface AppProps {
  engineConnection: Promise<EngineConnection>;
}

export function App({ engineConnection }: AppProps) {
  const engine = useEngineConnection(engineConnection);
  const [theme, setTheme] = useTheme();
  const [sharedOnLoad] = useState(shareLinkOfThisPage);
  const texts = usePlaygroundTexts(sharedOnLoad?.ok ? sharedOnLoad.state : null);
  const [notice, setNotice] = useState<string | null>(
    sharedOnLoad && !sharedOnLoad.ok ? sharedOnLoad.message : null,
  );
  const [selectedStatement, setSelectedStatement] = useState<string | null>(null);
  const [followRealTime, setFollowRealTime] = useState(false);
  const findStatement = useStatementFinder(engine.state !== 'loading');
  // The engine's event log; empty until the engine is connected.
  const events: EngineEvent[] = useMemo(() => [], []);
  const timeline = useMemo(() => layoutTimeline(events), [events]);
  const disabledReason = runDisabledReason(engine);

  const copyShareLink = async () => {
    const url = urlWithShareLink(new URL(window.location.href), encodeShareLink(texts.shareState()));
    window.history.replaceState(null, '', url);
    try {
      await navigator.clipboard.writeText(url.href);
      setNotice('Share link copied to the clipboard.');
    } catch {
      setNotice('The share link is now in the address bar.');
    }
  };

  const selectedSession = selectedStatement
    ? timeline.lanes.find((lane) => lane.blocks.some((block) => block.key === selectedStatement))?.session
    : undefined;

  return (
    <div className="app">
      <header className="top-bar">
        <h1>SQL concurrency playground</h1>
        <EngineStatusChip engine={engine} />
        <StepControls
          position={null}
          now={0}
          nextTimerAt={null}
          disabledReason={disabledReason}
          onStep={() => undefined}
          onStepBack={() => undefined}
          onRunToEnd={() => undefined}
          onReset={() => undefined}
          onAdvanceTime={() => undefined}
          followRealTime={followRealTime}
          onFollowRealTimeChange={setFollowRealTime}
        />
        <div className="top-bar-end">
          <button type="button" onClick={() => void copyShareLink()}>
            Copy link
          </button>
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
        <div className="notice-bar" role="status">
          <span>{notice}</span>
          <button type="button" onClick={() => setNotice(null)} aria-label="Dismiss">
            ✕
          </button>
        </div>
      )}
      <SetupPanel
        initialText={texts.initialText(setupEditor)}
        replaceText={texts.replacements[setupEditor]}
        onTextChange={(text) => texts.setText(setupEditor, text)}
        onRunSetup={() => undefined}
        runDisabledReason={disabledReason}
        theme={theme}
        fontSize={fontSize}
      />
      <main className="sessions">
        <SessionColumns count={texts.sessions.length} onAdd={texts.addSession}>
          {texts.sessions.map((name) => (
            <SessionColumn
              key={name}
              name={name}
              view={null}
              outputs={sessionOutputs(events, name)}
              selectedStatement={selectedSession === name ? selectedStatement : null}
              initialText={texts.initialText(sessionEditor(name))}
              replaceText={texts.replacements[sessionEditor(name)]}
              onTextChange={(text) => texts.setText(sessionEditor(name), text)}
              onRunAtCursor={() => undefined}
              onRunAll={() => undefined}
              runDisabledReason={disabledReason}
              onRemove={texts.sessions.length > minSessions ? () => texts.removeSession(name) : undefined}
              theme={theme}
              fontSize={fontSize}
              findStatement={findStatement}
            />
          ))}
        </SessionColumns>
      </main>
      <section className="timeline-panel" aria-label="Timeline">
        <h2>Timeline</h2>
        <Timeline model={timeline} selectedKey={selectedStatement} onSelect={setSelectedStatement} />
      </section>
    </div>
  );
}
