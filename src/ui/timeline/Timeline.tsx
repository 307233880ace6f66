/**
 * The timeline: a swimlane per session, statements as blocks on the event axis (labelled with
 * virtual time), waits as bars naming what they wait on, and marks for deadlocks, timeouts,
 * cancellations and terminations. Clicking a block selects its statement.
 */
import { formatMilliseconds } from '../format/milliseconds';
import type { StatementBlock, TimelineMark, TimelineModel } from './timelineLayout';
import './Timeline.css';

export interface TimelineProps {
  model: TimelineModel;
  selectedKey: string | null;
  onSelect: (key: string | null) => void;
}

/** Chip text per mark; the deadlock check is only a thin line (its label is in the tooltip). */
const markNames: Record<TimelineMark['kind'], string> = {
  deadlock: 'deadlock',
  'deadlock-check': '',
  timeout: 'timeout',
  cancelled: 'cancelled',
  terminated: 'terminated',
};

export function Timeline({ model, selectedKey, onSelect }: TimelineProps) {
  if (model.lanes.length === 0) {
    return <p className="timeline-empty">Statements appear here, one lane per session, as they run.</p>;
  }
  const columns = Math.max(model.columns, 1);
  const at = (column: number) => `${(column / columns) * 100}%`;
  const span = (start: number, end: number) => `${((end - start) / columns) * 100}%`;
  return (
    <div className="timeline" style={{ '--timeline-columns': columns } as React.CSSProperties}>
      <div className="timeline-axis" aria-hidden="true">
        <span className="timeline-lane-name" />
        <div className="timeline-track">
          {model.ticks.map((tick) => (
            <span key={tick.column} className="timeline-tick" style={{ left: at(tick.column) }}>
              {formatMilliseconds(tick.time)}
            </span>
          ))}
        </div>
      </div>
      {model.lanes.map((lane) => (
        <div key={lane.session} className="timeline-lane" data-closed={lane.closed || undefined}>
          <span className="timeline-lane-name">{lane.session}</span>
          <div className="timeline-track" role="list" aria-label={`Statements of session ${lane.session}`}>
            {lane.blocks.map((block) => (
              <button
                key={block.key}
                type="button"
                role="listitem"
                className="timeline-block"
                data-state={block.state}
                data-selected={block.key === selectedKey || undefined}
                style={{ left: at(block.startColumn), width: span(block.startColumn, block.endColumn) }}
                title={blockTitle(block)}
                onClick={() => onSelect(block.key === selectedKey ? null : block.key)}
              >
                <span className="timeline-block-label">{block.sql}</span>
                {block.waits.map((bar, index) => (
                  <span
                    key={index}
                    className="timeline-wait"
                    data-open={bar.endTime === null || undefined}
                    style={{
                      left: `${((bar.startColumn - block.startColumn) / (block.endColumn - block.startColumn)) * 100}%`,
                      width: `${((bar.endColumn - bar.startColumn) / (block.endColumn - block.startColumn)) * 100}%`,
                    }}
                  >
                    waits for {bar.wait.description}
                    {bar.wait.blockedBy.length > 0 && ` (${bar.wait.blockedBy.join(', ')})`}
                  </span>
                ))}
              </button>
            ))}
            {lane.marks.map((mark, index) => (
              <span
                key={index}
                className="timeline-mark"
                data-kind={mark.kind}
                style={{ left: at(mark.column) }}
                title={`${mark.label} at ${formatMilliseconds(mark.time)}`}
                role="img"
                aria-label={mark.label}
              >
                {markNames[mark.kind] && <span className="timeline-mark-chip">{markNames[mark.kind]}</span>}
              </span>
            ))}
          </div>
        </div>
      ))}
    </div>
  );
}

function blockTitle(block: StatementBlock): string {
  const outcome =
    block.outcome?.kind === 'ok'
      ? block.outcome.tag
      : block.outcome?.kind === 'error'
        ? `ERROR ${block.outcome.error.sqlstate}: ${block.outcome.error.message}`
        : block.state;
  const end = block.endTime === null ? '…' : formatMilliseconds(block.endTime);
  return `${block.sql}\n${outcome}\n${formatMilliseconds(block.startTime)} → ${end}`;
}
