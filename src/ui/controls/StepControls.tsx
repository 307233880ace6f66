/**
 * Stepping through a scenario: Back, Step, Run to end, Reset. Buttons and keys, for a presenter's
 * clicker too: Page Down steps, Page Up steps back (when no editor has the focus).
 */
import { useEffect } from 'react';
import './StepControls.css';

export interface StepControlsProps {
  /** Steps done and steps in the scenario; null when no scenario is loaded. */
  position: { done: number; total: number } | null;
  /** What Step does next, e.g. `Step ▶` or `Let time pass ▶`. */
  stepLabel?: string;
  /** Why: shown as the Step button's tooltip. */
  stepTitle?: string;
  canStep: boolean;
  canStepBack: boolean;
  /** Why the controls cannot act now (e.g. the engine is loading), or null. */
  disabledReason: string | null;
  onStep: () => void;
  onStepBack: () => void;
  onRunToEnd: () => void;
  onReset: () => void;
}

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || !!target.closest('input, textarea, select, .monaco-editor'))
  );
}

export function StepControls(props: StepControlsProps) {
  const { position, disabledReason } = props;
  const disabled = disabledReason !== null;
  const canStep = !disabled && props.canStep;
  const canStepBack = !disabled && props.canStepBack;

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
    <div className="step-controls" role="toolbar" aria-label="Stepping" title={disabledReason ?? undefined}>
      <button
        type="button"
        onClick={props.onStepBack}
        disabled={!canStepBack}
        title="Back to the state before the last action (Page Up)"
      >
        ◀ Back
      </button>
      {position && (
        <>
          <button
            type="button"
            className="primary step-button"
            onClick={props.onStep}
            disabled={!canStep}
            title={props.stepTitle ? `${props.stepTitle} (Page Down)` : 'Step (Page Down)'}
          >
            {props.stepLabel ?? 'Step ▶'}
          </button>
          <button type="button" onClick={props.onRunToEnd} disabled={!canStep}>
            Run to end
          </button>
        </>
      )}
      <button type="button" onClick={props.onReset} disabled={disabled} title="A fresh database: setup again">
        Reset
      </button>
      {position && (
        <span className="step-position" aria-live="polite">
          step {position.done} of {position.total}
        </span>
      )}
    </div>
  );
}
