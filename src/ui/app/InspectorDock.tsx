/**
 * Below the sessions: the timeline, the inspectors (pg_locks, the wait-for graph, row versions),
 * the setup SQL and the timeout-phase simulator, one at a time in tabs, with the virtual clock's
 * controls.
 */
import type { ReactNode } from 'react';
import type { EngineSnapshot } from '../playground/engineSnapshot';
import type { InspectorTab } from '../playground/pageStore';
import { LocksTable } from '../inspectors/LocksTable';
import { RowVersionsTable } from '../inspectors/RowVersionsTable';
import { WaitForGraphView } from '../inspectors/WaitForGraphView';
import { Timeline } from '../timeline/Timeline';
import type { TimelineModel } from '../timeline/timelineLayout';

export interface InspectorDockProps {
  tab: InspectorTab;
  onTab: (tab: InspectorTab) => void;
  snapshot: EngineSnapshot;
  timeline: TimelineModel;
  selectedStatement: string | null;
  onSelectStatement: (key: string | null) => void;
  onWatchTable: (table: string) => void;
  /** The virtual clock's controls. */
  clock: ReactNode;
  /** The setup SQL's panel. */
  setup: ReactNode;
  /** The timeout-phase simulator (Go client timeouts). */
  timeouts: ReactNode;
}

export function InspectorDock(props: InspectorDockProps) {
  const { tab, snapshot } = props;
  const waiting = snapshot.sessions.filter((session) => session.waiting).length;
  const tabs: { id: InspectorTab; label: string }[] = [
    { id: 'timeline', label: 'Timeline' },
    { id: 'locks', label: `Locks (${snapshot.locks.length})` },
    { id: 'waits', label: waiting > 0 ? `Wait-for graph (${waiting})` : 'Wait-for graph' },
    { id: 'rows', label: 'Row versions' },
    { id: 'setup', label: 'Setup SQL' },
    { id: 'timeouts', label: 'Go client timeouts' },
  ];
  return (
    <section className="inspector-dock" aria-label="Timeline and inspectors">
      <div className="dock-bar">
        <div className="dock-tabs" role="tablist">
          {tabs.map(({ id, label }) => (
            <button
              key={id}
              type="button"
              role="tab"
              aria-selected={tab === id}
              className="dock-tab"
              onClick={() => props.onTab(id)}
            >
              {label}
            </button>
          ))}
        </div>
        {props.clock}
      </div>
      <div className="dock-content" role="tabpanel">
        {tab === 'timeline' && (
          <Timeline
            model={props.timeline}
            selectedKey={props.selectedStatement}
            onSelect={props.onSelectStatement}
          />
        )}
        {tab === 'locks' && <LocksTable locks={snapshot.locks} />}
        {tab === 'waits' && <WaitForGraphView sessions={snapshot.sessions} />}
        {tab === 'rows' && (
          <RowVersionsTable
            tables={snapshot.tables}
            table={snapshot.rowVersions?.table ?? null}
            versions={snapshot.rowVersions?.versions ?? []}
            onTableChange={props.onWatchTable}
          />
        )}
        {tab === 'setup' && props.setup}
        {tab === 'timeouts' && props.timeouts}
      </div>
    </section>
  );
}
