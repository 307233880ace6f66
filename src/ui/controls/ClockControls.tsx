/**
 * The virtual clock: it moves only when asked — by a fixed amount, to the next timer the engine has
 * armed (deadlock_timeout, lock_timeout, statement_timeout, pg_sleep…), or along with real time
 * while something waits ("follow real time", for free play).
 */
import { useState } from 'react';
import { formatMilliseconds } from '../format/milliseconds';
import './StepControls.css';

export interface ClockControlsProps {
  /** Virtual milliseconds since the last reset. */
  now: number;
  /** When the next timer fires, if one is armed. */
  nextTimerAt: number | null;
  disabledReason: string | null;
  onAdvanceTime: (milliseconds: number) => void;
  onAdvanceToNextTimer: () => void;
  followRealTime: boolean;
  onFollowRealTimeChange: (follow: boolean) => void;
}

export function ClockControls(props: ClockControlsProps) {
  const { now, nextTimerAt, disabledReason, followRealTime } = props;
  const [advanceBy, setAdvanceBy] = useState(1000);
  const disabled = disabledReason !== null;
  return (
    <div
      className="clock-controls"
      role="toolbar"
      aria-label="Virtual time"
      title={disabledReason ?? undefined}
    >
      <span
        className="virtual-time"
        data-testid="virtual-time"
        title="Virtual time since the reset: it moves only when you let it"
      >
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
          disabled={disabled || followRealTime}
        />
        ms
      </label>
      <button
        type="button"
        onClick={() => props.onAdvanceTime(advanceBy)}
        disabled={disabled || followRealTime}
      >
        Advance
      </button>
      <button
        type="button"
        onClick={props.onAdvanceToNextTimer}
        disabled={disabled || followRealTime || nextTimerAt === null}
        title="Let virtual time pass until the next deadlock check, timeout or pg_sleep ends"
      >
        {nextTimerAt === null ? 'No timer armed' : `To next timer (${formatMilliseconds(nextTimerAt)})`}
      </button>
      <label
        className="follow-real-time"
        title="Free play: virtual time passes as real time does while a statement waits"
      >
        <input
          type="checkbox"
          checked={followRealTime}
          onChange={(event) => props.onFollowRealTimeChange(event.target.checked)}
          disabled={disabled}
        />
        Follow real time
      </label>
    </div>
  );
}
