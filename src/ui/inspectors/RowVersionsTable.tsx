/**
 * Every version of a table's rows, as the engine keeps them: the tuple header (ctid, xmin, xmax),
 * the values, which sessions' snapshots see the version, and who holds a row lock on it.
 */
import type { RowVersionView } from '../../engine/pgEmulator';
import type { TableView } from '../../engine/pgEmulator';
import './Inspectors.css';

export interface RowVersionsTableProps {
  tables: readonly TableView[];
  table: string | null;
  versions: readonly RowVersionView[];
  onTableChange: (table: string) => void;
}

export function RowVersionsTable({ tables, table, versions, onTableChange }: RowVersionsTableProps) {
  const shown = tables.find((candidate) => candidate.name === table) ?? null;
  if (!shown) return <p className="inspector-empty">No table yet: create one in the setup or a session.</p>;
  return (
    <div className="row-versions">
      {tables.length > 1 && (
        <label className="row-versions-table">
          Table{' '}
          <select value={shown.name} onChange={(event) => onTableChange(event.target.value)}>
            {tables.map((candidate) => (
              <option key={candidate.name} value={candidate.name}>
                {candidate.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {versions.length === 0 ? (
        <p className="inspector-empty">{shown.name} has no row versions.</p>
      ) : (
        <table className="inspector-table">
          <thead>
            <tr>
              <th scope="col">ctid</th>
              <th scope="col">xmin</th>
              <th scope="col">xmax</th>
              {shown.columns.map((column) => (
                <th key={column} scope="col" className="value-column">
                  {column}
                </th>
              ))}
              <th scope="col">seen by</th>
              <th scope="col">locked by</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((version) => (
              <tr key={version.ctid} data-invisible={version.visibleTo.length === 0 || undefined}>
                <td>{version.ctid}</td>
                <td>{version.xmin}</td>
                <td>{version.xmax ?? ''}</td>
                {shown.columns.map((column, index) => {
                  const value = version.values[index] ?? null;
                  return (
                    <td key={column} className="value-column">
                      {value === null ? <span className="null-marker">NULL</span> : value}
                    </td>
                  );
                })}
                <td>
                  {version.visibleTo.length === 0 ? (
                    <span className="nobody">nobody</span>
                  ) : (
                    version.visibleTo.map((session) => (
                      <span key={session} className="session-chip">
                        {session}
                      </span>
                    ))
                  )}
                </td>
                <td>
                  {version.lockedBy.map((lock) => (
                    <span key={lock.session} className="session-chip locked" title={lock.mode}>
                      {lock.session} {lock.mode}
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
