/**
 * One statement under a session's editor: its text, then what it produced — rows and command tag,
 * notices, a psql-style error — or that it is still running or waiting (and for what).
 */
import { PsqlMessageView } from './PsqlMessageView';
import { ResultGrid } from './ResultGrid';
import type { StatementOutput } from './sessionOutputs';
import './StatementOutputView.css';

export interface StatementOutputViewProps {
  output: StatementOutput;
  selected?: boolean;
}

export function StatementOutputView({ output, selected = false }: StatementOutputViewProps) {
  const { outcome } = output;
  // A command without rows or messages (BEGIN, UPDATE 1, COMMIT) takes one line: its text, its tag.
  if (outcome?.kind === 'ok' && !outcome.fields && output.notices.length === 0) {
    return (
      <article
        className="statement-output compact"
        data-state="ok"
        data-selected={selected || undefined}
        data-statement={output.key}
        aria-label={`Statement: ${output.sql}`}
      >
        <pre className="statement-sql">{output.sql}</pre>
        <p className="command-tag" data-testid="command-tag">
          {outcome.tag}
        </p>
      </article>
    );
  }
  return (
    <article
      className="statement-output"
      data-state={outcome?.kind ?? output.state}
      data-selected={selected || undefined}
      data-statement={output.key}
      aria-label={`Statement: ${output.sql}`}
    >
      <pre className="statement-sql">{output.sql}</pre>
      {output.notices.map((notice, index) => (
        <PsqlMessageView key={index} message={notice} />
      ))}
      {output.state === 'waiting' && output.wait && (
        <p className="statement-pending waiting">
          Waiting for {output.wait.description}
          {output.wait.blockedBy.length > 0 && <>, blocked by {output.wait.blockedBy.join(', ')}</>}
        </p>
      )}
      {output.state === 'running' && <p className="statement-pending">Running…</p>}
      {outcome?.kind === 'ok' && (
        <>
          {outcome.fields && (
            <ResultGrid fields={outcome.fields} rows={outcome.rows ?? []} truncated={outcome.truncated} />
          )}
          <p className="command-tag" data-testid="command-tag">
            {outcome.tag}
          </p>
        </>
      )}
      {outcome?.kind === 'error' && (
        <PsqlMessageView message={outcome.error} statement={output.submissionSql} />
      )}
    </article>
  );
}
