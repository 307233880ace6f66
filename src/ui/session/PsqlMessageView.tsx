/**
 * An error or notice as psql prints it, with its SQLSTATE in the corner (the text flows around it).
 */
import type { PgMessage } from '../../engine/pgEmulator';
import { psqlMessageLines } from '../format/psqlMessage';
import './PsqlMessageView.css';

export interface PsqlMessageViewProps {
  message: PgMessage;
  /** The statement's text, for psql's `LINE n:` excerpt when the message has a position. */
  statement?: string;
}

export function PsqlMessageView({ message, statement }: PsqlMessageViewProps) {
  const isError = ['ERROR', 'FATAL', 'PANIC'].includes(message.severity);
  return (
    <div
      className={`psql-message ${isError ? 'psql-error' : 'psql-notice'}`}
      role={isError ? 'alert' : undefined}
    >
      {message.sqlstate !== '00000' && (
        <span className="sqlstate" title="SQLSTATE">
          SQLSTATE {message.sqlstate}
        </span>
      )}
      <pre>
        {psqlMessageLines(message, statement).map((line, index) => (
          <span key={index} className={`psql-line psql-${line.kind}`}>
            {line.label && <span className="psql-label">{line.label}</span>}
            {line.text}
            {'\n'}
          </span>
        ))}
      </pre>
    </div>
  );
}
