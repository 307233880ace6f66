/**
 * A result set as a table: PostgreSQL's text values as they are, NULL shown distinctly (not as an
 * empty cell), numbers right-aligned as psql aligns them.
 */
import type { ResultField } from '../../engine/pgEmulator';
import './ResultGrid.css';

/** Type OIDs psql right-aligns: int2, int4, int8, oid, float4, float8, money, numeric, xid, cid. */
const numericTypeOids = new Set([20, 21, 23, 26, 28, 29, 700, 701, 790, 1700]);

export interface ResultGridProps {
  fields: readonly ResultField[];
  rows: readonly (readonly (string | null)[])[];
  truncated?: boolean;
}

export function ResultGrid({ fields, rows, truncated = false }: ResultGridProps) {
  return (
    <div className="result-grid">
      <table>
        <thead>
          <tr>
            {fields.map((field, index) => (
              <th
                key={index}
                scope="col"
                className={numericTypeOids.has(field.typeOid) ? 'numeric' : undefined}
              >
                {field.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, rowIndex) => (
            <tr key={rowIndex}>
              {fields.map((field, columnIndex) => {
                const value = row[columnIndex] ?? null;
                const numeric = numericTypeOids.has(field.typeOid);
                return value === null ? (
                  <td key={columnIndex} className="null">
                    <span className="null-marker" aria-label="null">
                      NULL
                    </span>
                  </td>
                ) : (
                  <td key={columnIndex} className={numeric ? 'numeric' : undefined}>
                    {value}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p className="result-grid-empty">(0 rows)</p>}
      {truncated && <p className="result-grid-truncated">Only the first {rows.length} rows are shown.</p>}
    </div>
  );
}
