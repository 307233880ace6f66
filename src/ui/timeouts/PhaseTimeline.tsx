/**
 * The simulator's timeline: per driver, the goroutine's phases, the pool connection's life and
 * the server's side, on one virtual-time axis — with the ctx deadline as a marker a person drags
 * (pointer) or moves with the arrow keys; every move re-runs the model.
 */
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { DriverName } from '../../engine/clientTimeouts';
import { driverShortLabel } from './clientProgram';
import type { AxisTick, TimelineLane } from './phaseTimelineLayout';
import { markTexts, percent } from './phaseTimelineLayout';

/** About the width of a character of the marks' text, in px (tiny type, bold). */
const MARK_CHAR_PX = 7.5;

export interface EngineMark {
  driver: DriverName;
  atMs: number;
  label: string;
}

export interface PhaseTimelineProps {
  groups: { driver: DriverName; lanes: TimelineLane[] }[];
  extentMs: number;
  ticks: AxisTick[];
  /** The goroutine whose deadline the marker moves, and that deadline (null: none). */
  deadline: { goroutine: string; ms: number | null } | null;
  onDeadlineChange: (ms: number) => void;
  /** What the engine showed, at model time, on the linked driver's server lane. */
  engineMarks: EngineMark[];
}

const SPAN_LABELS: Record<string, string> = {
  acquire: 'acquire',
  begin: 'BEGIN',
  query: 'query in flight',
  rows: 'rows / Next',
  scan: 'Scan',
  commit: 'COMMIT',
  work: 'own work',
};

export function PhaseTimeline(props: PhaseTimelineProps) {
  const { extentMs, deadline } = props;
  const tracks = useRef<HTMLDivElement>(null);
  const dragging = useRef(false);
  // The tracks' width decides which marks' texts fit side by side.
  const [trackPx, setTrackPx] = useState(600);
  useEffect(() => {
    const element = tracks.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setTrackPx(element.getBoundingClientRect().width || 600));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const charPercent = (MARK_CHAR_PX / trackPx) * 100;

  const msAt = (clientX: number): number => {
    const box = tracks.current?.getBoundingClientRect();
    if (!box || box.width === 0) return 0;
    const fraction = Math.min(1, Math.max(0, (clientX - box.left) / box.width));
    return Math.round(fraction * extentMs);
  };
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    dragging.current = true;
    event.currentTarget.setPointerCapture(event.pointerId);
    props.onDeadlineChange(msAt(event.clientX));
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (dragging.current) props.onDeadlineChange(msAt(event.clientX));
  };
  const onPointerUp = (event: PointerEvent<HTMLDivElement>) => {
    dragging.current = false;
    if (event.currentTarget.hasPointerCapture(event.pointerId)) {
      event.currentTarget.releasePointerCapture(event.pointerId);
    }
  };
  const dragHandlers = { onPointerDown, onPointerMove, onPointerUp, onPointerCancel: onPointerUp };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const current = deadline?.ms ?? 0;
    const step = event.shiftKey ? 10 : 1;
    const moves: Record<string, number> = {
      ArrowLeft: current - step,
      ArrowDown: current - step,
      ArrowRight: current + step,
      ArrowUp: current + step,
      PageDown: current - 50,
      PageUp: current + 50,
      Home: 0,
      End: extentMs,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    props.onDeadlineChange(Math.min(extentMs, Math.max(0, next)));
  };

  const deadlineLeft = deadline?.ms === null || !deadline ? null : percent(deadline.ms, extentMs);

  return (
    <div className="ct-timeline" data-testid="phase-timeline">
      <div className="ct-row ct-axis-row">
        <span className="ct-row-label ct-axis-caption">virtual time</span>
        <div
          className="ct-track ct-axis"
          aria-hidden="true"
          title={deadline ? 'Click or drag to move the deadline' : undefined}
          {...(deadline ? dragHandlers : {})}
        >
          {props.ticks.map((tick) => (
            <span key={tick.atMs} className="ct-tick" style={{ left: `${tick.left}%` }}>
              {tick.label}
            </span>
          ))}
        </div>
      </div>
      <div className="ct-lanes">
        {props.groups.map((group) => (
          <div className="ct-group" key={group.driver} data-driver={group.driver}>
            <div className="ct-group-title">{driverShortLabel(group.driver)}</div>
            {group.lanes.map((lane) => (
              <Lane
                key={lane.key}
                lane={lane}
                engineMarks={
                  lane.kind === 'server'
                    ? props.engineMarks.filter((mark) => mark.driver === group.driver)
                    : []
                }
                extentMs={extentMs}
                charPercent={charPercent}
              />
            ))}
          </div>
        ))}
        {deadline && (
          <div className="ct-deadline-layer" ref={tracks}>
            {deadlineLeft !== null && (
              <div className="ct-deadline" style={{ left: `${deadlineLeft}%` }} {...dragHandlers}>
                <div
                  className="ct-deadline-handle"
                  role="slider"
                  tabIndex={0}
                  aria-label={`ctx deadline of goroutine ${deadline.goroutine}`}
                  aria-valuemin={0}
                  aria-valuemax={extentMs}
                  aria-valuenow={deadline.ms ?? 0}
                  aria-valuetext={`deadline at ${deadline.ms ?? 0} ms`}
                  onKeyDown={onKeyDown}
                  data-testid="deadline-handle"
                >
                  deadline {deadline.ms} ms
                </div>
              </div>
            )}
          </div>
        )}
      </div>
      <Legend />
    </div>
  );
}

function Lane({
  lane,
  engineMarks,
  extentMs,
  charPercent,
}: {
  lane: TimelineLane;
  engineMarks: EngineMark[];
  extentMs: number;
  /** A character's width in percent of the axis: marks whose texts would overlap share one. */
  charPercent: number;
}) {
  switch (lane.kind) {
    case 'goroutine':
      return (
        <div className="ct-row" data-lane="goroutine">
          <span className="ct-row-label" title={`goroutine ${lane.goroutine}`}>
            goroutine <strong>{lane.goroutine}</strong>
          </span>
          <div className="ct-track">
            {lane.spans.map((span, index) => (
              <span
                key={index}
                className="ct-span"
                data-kind={span.kind}
                style={{ left: `${span.left}%`, width: `${span.width}%` }}
                title={`${SPAN_LABELS[span.kind] ?? span.kind}: ${span.label} (${span.startMs}–${span.endMs} ms)`}
              >
                {boxText(span.width, SPAN_LABELS[span.kind] ?? span.kind, charPercent)}
              </span>
            ))}
            {withTexts(
              lane.errors.map((mark) => ({ ...mark, label: mark.call })),
              charPercent,
            ).map(([mark, text], index) => (
              <span
                key={`e${index}`}
                className="ct-mark ct-error-mark"
                data-flip={flips(mark.left, text, charPercent) || undefined}
                style={{ left: `${mark.left}%` }}
                title={`${mark.call} returns: ${mark.error.message}`}
              >
                <span className="ct-mark-glyph" aria-hidden="true">
                  ✕
                </span>
                {text !== null && <span className="ct-mark-text">{text}</span>}
              </span>
            ))}
          </div>
        </div>
      );
    case 'connection':
      return (
        <div className="ct-row" data-lane="connection">
          <span className="ct-row-label">
            pool conn <strong>{lane.connection}</strong>
          </span>
          <div className="ct-track">
            <span
              className="ct-life"
              style={{ left: `${lane.life.left}%`, width: `${lane.life.width}%` }}
              aria-hidden="true"
            />
            {withTexts(
              lane.marks.filter((mark) => showConnectionMark(mark.kind)),
              charPercent,
              (mark) => mark.kind !== 'opened',
            ).map(([mark, text], index) => (
              <span
                key={index}
                className="ct-mark ct-conn-mark"
                data-flip={flips(mark.left, text, charPercent) || undefined}
                data-kind={mark.kind}
                data-ends={mark.ends || undefined}
                style={{ left: `${mark.left}%` }}
                title={`${mark.atMs} ms: ${mark.detail}`}
              >
                <span className="ct-mark-glyph" aria-hidden="true">
                  ●
                </span>
                {text !== null && <span className="ct-mark-text">{text}</span>}
              </span>
            ))}
          </div>
        </div>
      );
    case 'server':
      return (
        <div className="ct-row" data-lane="server">
          <span className="ct-row-label">server</span>
          <div className="ct-track">
            {lane.boxes.map((box, index) => (
              <span
                key={index}
                className="ct-server-box"
                data-kind={box.kind}
                data-orphaned={box.orphaned || undefined}
                data-stopped={box.stopped || undefined}
                style={{ left: `${box.left}%`, width: `${box.width}%` }}
                title={`${box.sql}: ${box.kind === 'lock-wait' ? 'waits for a row lock' : 'runs'} ${box.startMs}–${box.endMs} ms${box.orphaned ? ' after the client went away' : ''}${box.stopped ? '; stopped here' : ''}`}
              >
                {boxText(
                  box.width,
                  box.kind === 'lock-wait'
                    ? box.orphaned
                      ? 'still waits: client gone'
                      : 'waits for row lock'
                    : box.orphaned
                      ? 'runs on: client gone'
                      : 'runs',
                  charPercent,
                )}
              </span>
            ))}
            {withTexts(lane.marks, charPercent).map(([mark, text], index) => (
              <span
                key={`m${index}`}
                className="ct-mark ct-server-mark"
                data-flip={flips(mark.left, text, charPercent) || undefined}
                data-kind={mark.kind}
                style={{ left: `${mark.left}%` }}
                title={`${mark.atMs} ms: ${mark.label}`}
              >
                <span className="ct-mark-glyph" aria-hidden="true">
                  ▲
                </span>
                {text !== null && <span className="ct-mark-text">{text}</span>}
              </span>
            ))}
            {withTexts(
              engineMarks.map((mark) => ({ ...mark, left: percent(mark.atMs, extentMs) })),
              charPercent,
            ).map(([mark, text], index) => (
              <span
                key={`g${index}`}
                className="ct-mark ct-engine-mark"
                data-flip={
                  flips(mark.left, text === null ? null : `engine: ${text}`, charPercent) || undefined
                }
                style={{ left: `${mark.left}%` }}
                title={`on the engine, at ${mark.atMs} ms of the program: ${mark.label}`}
              >
                <span className="ct-mark-glyph" aria-hidden="true">
                  ◆
                </span>
                {text !== null && <span className="ct-mark-text">engine: {text}</span>}
              </span>
            ))}
          </div>
        </div>
      );
  }
}

/** A box's text, or none when not even a few characters of it would fit (a sliver of a letter is noise). */
function boxText(widthPercent: number, text: string, charPercent: number): string | null {
  // Four characters, or the whole text if shorter, plus the box's padding (about 1.5 characters).
  return widthPercent >= (Math.min(text.length, 4) + 1.5) * charPercent ? text : null;
}

/** A mark whose text would run past the axis' end shows it on the left of its glyph. */
function flips(left: number, text: string | null, charPercent: number): boolean {
  return text !== null && left + (text.length + 3) * charPercent > 100;
}

/**
 * Each mark with the text it shows (null: its glyph only, its label joined to the text before it).
 * Marks `labelled` says no to show no text and take no room.
 */
function withTexts<T extends { left: number; label: string }>(
  marks: readonly T[],
  charPercent: number,
  labelled: (mark: T) => boolean = () => true,
): [T, string | null][] {
  const texts = markTexts(
    marks.map((mark) => ({ left: mark.left, label: labelled(mark) ? mark.label : '' })),
    charPercent,
  );
  return marks.map((mark, index) => [mark, texts[index] ?? null]);
}

/** The connection events worth a label on a projector; the others are in the tooltip of the lane. */
function showConnectionMark(kind: string): boolean {
  return !['dialing', 'checked-out', 'handed-to-waiter'].includes(kind);
}

function Legend() {
  return (
    <div className="ct-legend" aria-label="Legend">
      {(['acquire', 'begin', 'query', 'rows', 'scan', 'commit', 'work'] as const).map((kind) => (
        <span key={kind} className="ct-legend-item">
          <span className="ct-swatch" data-kind={kind} aria-hidden="true" />
          {SPAN_LABELS[kind]}
        </span>
      ))}
      <span className="ct-legend-item">
        <span className="ct-swatch" data-kind="lock-wait" aria-hidden="true" />
        server waits for a row lock
      </span>
      <span className="ct-legend-item">
        <span className="ct-swatch" data-kind="orphaned" aria-hidden="true" />
        server runs on, client gone
      </span>
    </div>
  );
}
