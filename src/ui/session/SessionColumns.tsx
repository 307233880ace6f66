/**
 * Two to four session columns side by side, with a way to add one (up to four). Removing is each
 * column's own button, offered while more than two remain.
 */
import type { ReactNode } from 'react';
import './SessionColumns.css';

export const minSessions = 2;
export const maxSessions = 4;

export interface SessionColumnsProps {
  count: number;
  children: ReactNode;
  onAdd?: () => void;
}

export function SessionColumns({ count, children, onAdd }: SessionColumnsProps) {
  const canAdd = onAdd !== undefined && count < maxSessions;
  return (
    <div className="session-columns" style={{ '--session-count': count } as React.CSSProperties}>
      {children}
      {canAdd && (
        <button type="button" className="session-add" onClick={onAdd} title="Add a session (up to four)">
          + Session
        </button>
      )}
    </div>
  );
}
