/**
 * Stepping through a scenario and moving virtual time. Buttons and keys, for a presenter's clicker
 * too: Page Down steps, Page Up steps back (when no editor has the focus).
 */
import { useEffect, useState } from 'react';
import './StepControls.css';

export interface StepControlsProps {
  /** Steps done and steps in the scenario; null when no scenario is loaded. */
  position: { done: number; total: number } | null;
  /** Virtual time, in milliseconds. */
  now: number;
  /** When the next server-side timer fires (deadlock_timeout, lock_timeout…), if one is armed. */
  nextTimerAt: number | null;
  /** Why the controls cannot act now (e.g. the engine is loading), or null. */
  disabledReason: string | null;
  onStep: () => void;
  onStepBack: () => void;
  onRunToEnd: () => void;
  onReset: () => void;
  onAdvanceTime: (milliseconds: number) => void;
  /** Free play: virtual time follows the wall clock. */
  followRealTime: boolean;
  onFollowRealTimeChange: (follow: boolean) => void;
}

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || !!target.closest('input, textarea, .monaco-editor'))
  );
}

export function StepControls(props: StepControlsProps) {
  const { position, now, nextTimerAt, disabledReason } = props;
  const [advanceBy, setAdvanceBy] = useState(1000);
  const disabled = disabledReason !== null;
  const canStep = !disabled && position !== null && position.done < position.total;
  const canStepBack = !disabled && position !== null && position.done > 0;

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || isTyping(event.target)) return;
      if (event.key === 'PageDown' && canStep) {
        event.preventDefault();
        props.onStep();
      } else if (event.key === 'PageUp' && canStepBack) {
        event.preventDefault();
        props.onStepBack();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return (
    <div
      className="step-controls"
      role="toolbar"
      aria-label="Stepping and time"
      title={disabledReason ?? undefined}
    >
      <button type="button" onClick={props.onStepBack} disabled={!canStepBack} title="Step back (Page Up)">
        ◀ Back
      </button>
      <button
        type="button"
        className="primary"
        onClick={props.onStep}
        disabled={!canStep}
        title="Step (Page Down)"
      >
        Step ▶
      </button>
      <button type="button" onClick={props.onRunToEnd} disabled={!canStep}>
        Run to end
      </button>
      <button type="button" onClick={props.onReset} disabled={disabled}>
        Reset
      </button>
      {position && (
        <span className="step-position" aria-live="polite">
          step {position.done} of {position.total}
        </span>
      )}
      <span className="step-divider" aria-hidden="true" />
      <span className="virtual-time" title="Virtual time: it moves only when you advance it">
        t = {formatMilliseconds(now)}
      </span>
      <label className="advance-time">
        <span className="visually-hidden">Advance virtual time by (milliseconds)</span>
        <input
          type="number"
          min={1}
          step={100}
          value={advanceBy}
          onChange={(event) => setAdvanceBy(Math.max(1, Number(event.target.value) || 1))}
          disabled={disabled || props.followRealTime}
        />
        ms
      </label>
      <button
        type="button"
        onClick={() => props.onAdvanceTime(advanceBy)}
        disabled={disabled || props.followRealTime}
      >
        Advance time
      </button>
      <label className="follow-real-time">
        <input
          type="checkbox"
          checked={props.followRealTime}
          onChange={(event) => props.onFollowRealTimeChange(event.target.checked)}
          disabled={disabled}
        />
        Follow real time
      </label>
      {nextTimerAt !== null && !props.followRealTime && (
        <button type="button" onClick={() => props.onAdvanceTime(nextTimerAt - now)} disabled={disabled}>
          To next timer ({formatMilliseconds(nextTimerAt)})
        </button>
      )}
    </div>
  );
}

export function formatMilliseconds(milliseconds: number): string {
  return milliseconds >= 1000 && milliseconds % 100 === 0 ? `${milliseconds / 1000} s` : `${milliseconds} ms`;
}
