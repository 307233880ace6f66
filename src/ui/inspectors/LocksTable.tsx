/**
 * The emulated pg_locks, as a table: who holds or waits for which lock, in which mode. Waiting
 * requests come first and stand out.
 */
import type { LockRow } from '../../engine/pgEmulator';
import { formatMilliseconds } from '../format/milliseconds';
import { lockTarget } from './lockTarget';
import './Inspectors.css';

export function LocksTable({ locks }: { locks: readonly LockRow[] }) {
  if (locks.length === 0) return <p className="inspector-empty">No session holds or waits for a lock.</p>;
  const rows = [...locks].sort((a, b) => Number(a.granted) - Number(b.granted));
  return (
    <table className="inspector-table locks-table">
      <thead>
        <tr>
          <th scope="col">session</th>
          <th scope="col">pid</th>
          <th scope="col">locktype</th>
          <th scope="col">what</th>
          <th scope="col">mode</th>
          <th scope="col">granted</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((lock, index) => (
          <tr key={index} data-granted={lock.granted}>
            <td className="session-cell">{lock.session}</td>
            <td>{lock.pid}</td>
            <td>{lock.lock.locktype}</td>
            <td>{lockTarget(lock.lock)}</td>
            <td>{lock.mode}</td>
            <td>
              {lock.granted
                ? 'yes'
                : `no — waiting since ${lock.waitStart === null ? '?' : formatMilliseconds(lock.waitStart)}`}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
