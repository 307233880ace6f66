/**
 * The timeout-phase simulator: a Go program under a context deadline, with one driver or several
 * side by side — the phase timeline with its draggable deadline, the comparison of what each
 * driver's caller, server, connection and transaction get, the popular beliefs this contradicts,
 * and (in a lesson with an engine link) the engine session that is the program's connection.
 * Everything shown comes from the model (src/engine/clientTimeouts) or from the engine.
 */
import { useState } from 'react';
import { DRIVER_NAMES, type DriverName, type Myth } from '../../engine/clientTimeouts';
import type { ClientTimeoutsAttachment } from '../../lessons';
import type { EngineSnapshot } from '../playground/engineSnapshot';
import type { ScenarioState } from '../playground/playgroundController';
import {
  deadlineGoroutine,
  driverShortLabel,
  naturalDurationMs,
  runProgram,
  withDeadline,
} from './clientProgram';
import { DriverComparison } from './DriverComparison';
import { driverOutcome } from './driverOutcome';
import { EngineLinkBox } from './EngineLinkBox';
import { deadlineDelivery, statementSubmission, type EngineLinkSetting } from './engineLinkStep';
import { engineObservations } from './engineObservations';
import { MythCallouts } from './MythCallouts';
import { axisExtent, axisTicks, layoutRun } from './phaseTimelineLayout';
import { PhaseTimeline, type EngineMark } from './PhaseTimeline';
import { ProgramForm } from './ProgramForm';
import { choosePreset, presetsFor, shownDrivers, type SimulatorSettings } from './simulatorSettings';
import './ClientTimeouts.css';

export interface ClientTimeoutsPanelProps {
  /** The lesson's simulator attachment, with its engine link; null in free play. */
  attachment: ClientTimeoutsAttachment | null;
  settings: SimulatorSettings;
  onSettings: (settings: SimulatorSettings) => void;
  snapshot: EngineSnapshot;
  scenario: ScenarioState | null;
}

export function ClientTimeoutsPanel(props: ClientTimeoutsPanelProps) {
  const { attachment, settings, snapshot, scenario } = props;
  const setSettings = props.onSettings;
  const [showForm, setShowForm] = useState(false);
  const presets = presetsFor(attachment);
  const { program, view } = settings;
  const drivers = shownDrivers(view, attachment);
  const goroutine = deadlineGoroutine(program);
  const deadlineMs = program.goroutines.find((candidate) => candidate.id === goroutine)?.deadlineMs ?? null;

  // The axis is sized from the program without its deadline, so it stays still while the deadline moves.
  const extentMs = axisExtent(Math.max(naturalDurationMs(program, drivers), deadlineMs ?? 0));
  const runs = drivers.map((driver) => runProgram(program, driver));
  const outcomes = runs.map((run) => driverOutcome(run, goroutine ?? ''));
  const groups = runs.map((run) => ({
    driver: run.driver,
    lanes: run.ok ? layoutRun(run.driver, run.result, extentMs) : [],
  }));
  const myths = uniqueMyths(
    outcomes.flatMap((outcome) => (outcome.kind === 'deadline' ? outcome.myths : [])),
  );

  // What the engine link delivers at the lesson's deadline step (useClientTimeouts installs it).
  const linkSetting: EngineLinkSetting | null =
    attachment && settings.linkedDriver ? { attachment, program, driver: settings.linkedDriver } : null;
  const link = attachment?.engineLink ?? null;
  const statementSql = link
    ? (scenario?.steps.find((step) => step.name === link.statementStep)?.sql ?? null)
    : null;
  const delivery =
    linkSetting && statementSql !== null ? deadlineDelivery(linkSetting, statementSql, snapshot) : null;
  const deadlineStepIndex = link
    ? (scenario?.steps.findIndex((step) => step.name === link.deadlineStep) ?? -1)
    : -1;
  const delivered = scenario !== null && deadlineStepIndex >= 0 && scenario.done > deadlineStepIndex;
  const submission =
    link && statementSql !== null ? statementSubmission(snapshot.events, link.session, statementSql) : null;
  const observations =
    link && submission ? engineObservations(snapshot.events, link.session, submission.submission) : [];
  const originMs = delivery?.kind === 'deliver' ? delivery.originMs : null;
  const engineMarks: EngineMark[] =
    delivered && settings.linkedDriver && originMs !== null
      ? observations
          .filter((observation) => observation.kind === 'error' || observation.kind === 'closed')
          .map((observation) => ({
            driver: settings.linkedDriver as DriverName,
            atMs: observation.time - originMs,
            label: observation.kind === 'error' ? (observation.sqlstate ?? 'error') : 'session closed',
          }))
      : [];

  const setDeadline = (ms: number | null) => {
    if (goroutine !== null) setSettings({ ...settings, program: withDeadline(program, goroutine, ms) });
  };

  return (
    <section className="ct-panel" aria-label="Go client timeouts" data-testid="client-timeouts">
      <header className="ct-toolbar">
        <h2 className="ct-title">Go client timeouts</h2>
        <label className="ct-control">
          <span>Program</span>
          <select
            value={settings.presetId}
            onChange={(event) => setSettings(choosePreset(settings, presets, event.currentTarget.value))}
          >
            {presets.map((preset) => (
              <option key={preset.id} value={preset.id}>
                {preset.label}
              </option>
            ))}
          </select>
        </label>
        <div className="ct-segmented" role="group" aria-label="Driver">
          {DRIVER_NAMES.map((driver) => (
            <button
              key={driver}
              type="button"
              aria-pressed={view.kind === 'one' && view.driver === driver}
              onClick={() => setSettings({ ...settings, view: { kind: 'one', driver } })}
            >
              {driverShortLabel(driver)}
            </button>
          ))}
          <button
            type="button"
            aria-pressed={view.kind === 'compare'}
            onClick={() => setSettings({ ...settings, view: { kind: 'compare', all: attachment === null } })}
          >
            Side by side
          </button>
        </div>
        {view.kind === 'compare' && attachment && (
          <label className="ct-control ct-check">
            <input
              type="checkbox"
              checked={view.all}
              onChange={(event) =>
                setSettings({ ...settings, view: { kind: 'compare', all: event.currentTarget.checked } })
              }
            />
            <span>all five drivers</span>
          </label>
        )}
        {drivers.includes('pgxpool') && (
          <label
            className="ct-control ct-check"
            title="pgx’s opt-in CancelRequestContextWatcherHandler (pgxpool only)"
          >
            <input
              type="checkbox"
              checked={program.pgxContextWatcher === 'cancel-request'}
              onChange={(event) =>
                setSettings({
                  ...settings,
                  program: {
                    ...program,
                    pgxContextWatcher: event.currentTarget.checked ? 'cancel-request' : 'deadline',
                  },
                })
              }
            />
            <span>pgxpool: CancelRequest handler</span>
          </label>
        )}
        {goroutine !== null && (
          <label className="ct-control ct-deadline-field">
            <span>deadline</span>
            <input
              type="number"
              min={0}
              value={deadlineMs ?? ''}
              aria-label={`ctx deadline of goroutine ${goroutine}, in ms`}
              onChange={(event) => {
                const value = Number(event.currentTarget.value);
                if (event.currentTarget.value !== '' && Number.isFinite(value) && value >= 0)
                  setDeadline(Math.round(value));
              }}
            />
            <span className="ct-unit">ms</span>
          </label>
        )}
        <button
          type="button"
          className="ct-form-toggle"
          aria-expanded={showForm}
          onClick={() => setShowForm(!showForm)}
        >
          {showForm ? 'Hide parameters' : 'Parameters'}
        </button>
      </header>
      {showForm && (
        <ProgramForm program={program} onChange={(next) => setSettings({ ...settings, program: next })} />
      )}
      <div className="ct-main">
        <div className="ct-left">
          <PhaseTimeline
            groups={groups}
            extentMs={extentMs}
            ticks={axisTicks(extentMs)}
            deadline={goroutine === null ? null : { goroutine, ms: deadlineMs }}
            onDeadlineChange={setDeadline}
            engineMarks={engineMarks}
          />
          {attachment && settings.linkedDriver && (
            <EngineLinkBox
              attachment={attachment}
              linkedDriver={settings.linkedDriver}
              onLinkedDriver={(driver) => setSettings({ ...settings, linkedDriver: driver })}
              delivery={delivery}
              delivered={delivered}
              observations={observations}
              originMs={originMs}
            />
          )}
          <MythCallouts myths={myths} />
        </div>
        <div className="ct-right">
          <DriverComparison outcomes={outcomes} linkedDriver={attachment ? settings.linkedDriver : null} />
        </div>
      </div>
    </section>
  );
}

function uniqueMyths(myths: Myth[]): Myth[] {
  const seen = new Map<string, Myth>();
  for (const myth of myths) seen.set(myth.id, myth);
  return [...seen.values()];
}
