/**
 * The drivers side by side (or one alone): where the deadline fired, the error the caller gets,
 * `errors.Is(err, context.DeadlineExceeded)`, what reached the server, the connection's and the
 * transaction's fate, the pool's connections, and every rule applied with its source. A row whose
 * answer differs between the drivers is marked.
 */
import type { ReactNode } from 'react';
import type { DriverName } from '../../engine/clientTimeouts';
import { driverLongLabel, driverShortLabel } from './clientProgram';
import { SERVER_REACH_LABELS, type DriverOutcome } from './driverOutcome';
import { differingRows, type ComparisonRow } from './outcomeComparison';

export interface DriverComparisonProps {
  outcomes: DriverOutcome[];
  /** The driver whose server side is the engine session (lesson), if any. */
  linkedDriver: DriverName | null;
}

const ROW_TITLES: Record<ComparisonRow, string> = {
  phase: 'The deadline fires in',
  error: 'Error the caller gets',
  errorsIs: 'errors.Is(err, context.DeadlineExceeded)',
  server: 'What reaches the server',
  connection: 'The connection',
  transaction: 'The statement / transaction',
};

export function DriverComparison({ outcomes, linkedDriver }: DriverComparisonProps) {
  const differing = new Set(differingRows(outcomes));
  const differs = (row: ComparisonRow) => differing.has(row);
  const rows: ComparisonRow[] = ['phase', 'error', 'errorsIs', 'server', 'connection', 'transaction'];
  return (
    <table className="ct-compare" data-testid="driver-comparison">
      <thead>
        <tr>
          <th scope="col" className="ct-compare-corner">
            {outcomes.length > 1 ? 'Same program, same deadline' : 'The deadline’s effect'}
          </th>
          {outcomes.map((outcome) => (
            <th
              key={outcome.driver}
              scope="col"
              data-driver={outcome.driver}
              title={driverLongLabel(outcome.driver)}
            >
              {driverShortLabel(outcome.driver)}
              {outcome.driver === linkedDriver && <span className="ct-linked-chip">on the engine</span>}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row} data-row={row} data-differs={differs(row) || undefined}>
            <th scope="row">
              {row === 'errorsIs' ? <code>{ROW_TITLES[row]}</code> : ROW_TITLES[row]}
              {differs(row) && <span className="ct-differs">differs</span>}
            </th>
            {outcomes.map((outcome) => (
              <td key={outcome.driver} data-driver={outcome.driver}>
                {cell(outcome, row)}
              </td>
            ))}
          </tr>
        ))}
        <tr data-row="pool">
          <th scope="row">The pool’s connections</th>
          {outcomes.map((outcome) => (
            <td key={outcome.driver} data-driver={outcome.driver}>
              {outcome.kind === 'invalid' ? null : (
                <ul className="ct-conns">
                  {outcome.connections.map((connection) => (
                    <li key={connection.id} title={connection.story.join('\n')} data-alive={connection.alive}>
                      <strong>{connection.id}</strong> {connection.last}
                    </li>
                  ))}
                </ul>
              )}
            </td>
          ))}
        </tr>
        <tr data-row="sources">
          <th scope="row">Rules and their sources</th>
          {outcomes.map((outcome) => (
            <td key={outcome.driver} data-driver={outcome.driver}>
              {outcome.kind === 'deadline' && <Citations outcome={outcome} />}
            </td>
          ))}
        </tr>
      </tbody>
    </table>
  );
}

function cell(outcome: DriverOutcome, row: ComparisonRow): ReactNode {
  switch (outcome.kind) {
    case 'invalid':
      return row === 'phase' ? <p className="ct-problem">{outcome.problems.join(' ')}</p> : null;
    case 'stopped':
      return row === 'phase' ? (
        <p className="ct-not-modelled">
          <span className="ct-badge" data-tone="muted">
            not modelled
          </span>{' '}
          {outcome.reason}
        </p>
      ) : null;
    case 'completed':
      return row === 'phase' ? (
        <p>
          No deadline fired: the program finished at <strong>{outcome.finishedAtMs} ms</strong>
          {outcome.deadlineMs !== null ? `, before its deadline at ${outcome.deadlineMs} ms` : ''}.
        </p>
      ) : row === 'error' ? (
        <span className="ct-muted">no error</span>
      ) : null;
    case 'deadline':
      return deadlineCell(outcome, row);
  }
}

function deadlineCell(outcome: Extract<DriverOutcome, { kind: 'deadline' }>, row: ComparisonRow): ReactNode {
  if (!outcome.modelled && row !== 'phase')
    return row === 'error' ? <span className="ct-muted">—</span> : null;
  switch (row) {
    case 'phase':
      return (
        <>
          <strong className="ct-phase" title={outcome.phaseDescription}>
            {outcome.phase}
          </strong>{' '}
          <span className="ct-muted">at {outcome.firedAtMs} ms</span>
          {!outcome.modelled && (
            <p className="ct-not-modelled">
              <span className="ct-badge" data-tone="muted">
                not modelled
              </span>{' '}
              {outcome.notModelledReason}
            </p>
          )}
        </>
      );
    case 'error':
      if ('none' in outcome.error) return <span className="ct-muted">{outcome.error.none}</span>;
      return (
        <>
          <code className="ct-error-text" data-testid="go-error">
            {outcome.error.error.message}
          </code>
          <span className="ct-error-meta">
            {outcome.error.error.goType}
            {outcome.error.error.sqlstate ? ` · SQLSTATE ${outcome.error.error.sqlstate}` : ''} · from{' '}
            <code>{outcome.error.surfacedBy}</code> at {outcome.error.atMs} ms
          </span>
          {outcome.error.error.versionNote && (
            <details className="ct-version-note">
              <summary>other versions</summary>
              {outcome.error.error.versionNote}
            </details>
          )}
        </>
      );
    case 'errorsIs':
      if ('none' in outcome.error) return <span className="ct-muted">no error</span>;
      return (
        <span
          className="ct-badge ct-bool"
          data-tone={outcome.error.error.isDeadlineExceeded ? 'yes' : 'no'}
          data-testid="errors-is"
        >
          {String(outcome.error.error.isDeadlineExceeded)}
        </span>
      );
    case 'server':
      return (
        <>
          <span className="ct-chips">
            {outcome.reaches.map((kind) => (
              <span key={kind} className="ct-chip" data-reach={kind} data-testid="server-reach">
                {SERVER_REACH_LABELS[kind]}
              </span>
            ))}
          </span>
          <span className="ct-summary">{outcome.serverSummary}</span>
        </>
      );
    case 'connection':
      return (
        <>
          <span className="ct-fate" data-fate={outcome.connection.fate}>
            {outcome.connection.label}
          </span>
          <span className="ct-summary">{outcome.connection.summary}</span>
        </>
      );
    case 'transaction':
      return (
        <>
          <span className="ct-fate" data-fate={outcome.transaction.fate} data-testid="transaction-fate">
            {outcome.transaction.label}
          </span>
          <span className="ct-summary">{outcome.transaction.summary}</span>
        </>
      );
  }
}

function Citations({ outcome }: { outcome: Extract<DriverOutcome, { kind: 'deadline' }> }) {
  return (
    <ul className="ct-citations">
      {outcome.rules.map((rule) => (
        <li key={rule.id}>
          <details>
            <summary>
              <code className="ct-rule-id">{rule.id}</code>
              {rule.run && (
                <span
                  className="ct-badge"
                  data-tone="run"
                  title="The reference checked this by running a Go program"
                >
                  run
                </span>
              )}
              {rule.sourceCheck && (
                <span
                  className="ct-badge"
                  data-tone="muted"
                  title="Read in the sources; not listed per driver in the reference"
                >
                  source check
                </span>
              )}
            </summary>
            <p className="ct-rule-statement">{rule.statement}</p>
          </details>
          {rule.sources.map((source) => (
            <cite key={source} className="ct-source">
              {source}
            </cite>
          ))}
        </li>
      ))}
      {outcome.otherSources.map((source) => (
        <li key={source}>
          <cite className="ct-source">{source}</cite>
        </li>
      ))}
    </ul>
  );
}
