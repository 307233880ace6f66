/**
 * One SQL string sent with the simple-query protocol through node-postgres, keeping what
 * `client.query(text)` hides: one outcome per statement, the results before an error, and where each
 * notice arrived among them. It is a node-postgres "submittable" (the extension point pg-cursor
 * uses): the client hands it every protocol message of the query in arrival order.
 */
import type { Client } from 'pg';
import { type PgMessage, type ResultField, type StatementOutcome, splitCommandTag } from '../pgEmulator';

/** Fields of an ErrorResponse / NoticeResponse as node-postgres (pg-protocol) parses them. */
export interface ProtocolMessageFields {
  message: string;
  severity?: string | undefined;
  code?: string | undefined;
  detail?: string | undefined;
  hint?: string | undefined;
  position?: string | undefined;
  internalPosition?: string | undefined;
  internalQuery?: string | undefined;
  where?: string | undefined;
}

export function toPgMessage(fields: ProtocolMessageFields): PgMessage {
  const message: PgMessage = {
    severity: fields.severity ?? 'ERROR',
    sqlstate: fields.code ?? '',
    message: fields.message,
  };
  if (fields.detail !== undefined) message.detail = fields.detail;
  if (fields.hint !== undefined) message.hint = fields.hint;
  if (fields.where !== undefined) message.context = fields.where;
  if (fields.position !== undefined) message.position = Number(fields.position);
  if (fields.internalQuery !== undefined) message.internalQuery = fields.internalQuery;
  if (fields.internalPosition !== undefined) message.internalPosition = Number(fields.internalPosition);
  return message;
}

/** The part of pg's connection this needs: send a Query message, hear ReadyForQuery. */
interface ProtocolConnection {
  query(text: string): void;
  once(event: 'readyForQuery', listener: () => void): unknown;
  sendCopyFail(message: string): void;
}

interface RowDescriptionMessage {
  fields: { name: string; dataTypeID: number }[];
}

export class SimpleQuery {
  readonly outcomes: StatementOutcome[] = [];
  /** The statement now running has sent its RowDescription. */
  rowDescriptionSent = false;
  finished = false;
  private fields: ResultField[] | undefined;
  private rows: (string | null)[][] = [];
  private readonly done: Promise<void>;
  private resolveDone: () => void = () => undefined;
  /** node-postgres calls this once the query is over; required of a submittable. */
  callback: ((error: Error | null) => void) | undefined = undefined;

  constructor(
    readonly text: string,
    private readonly onActivity: () => void,
  ) {
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  /** Sends the query on `client` and returns at once; `completion()` settles when it is over. */
  start(client: Client): void {
    void client.query(this as never);
  }

  completion(): Promise<void> {
    return this.done;
  }

  submit(connection: ProtocolConnection): void {
    connection.once('readyForQuery', () => this.finish());
    connection.query(this.text);
  }

  handleRowDescription(message: RowDescriptionMessage): void {
    this.fields = message.fields.map((field) => ({ name: field.name, typeOid: field.dataTypeID }));
    this.rows = [];
    this.rowDescriptionSent = true;
    this.onActivity();
  }

  handleDataRow(message: { fields: (string | null)[] }): void {
    this.rows.push(message.fields);
  }

  handleCommandComplete(message: { text: string }): void {
    const { command, rowCount } = splitCommandTag(message.text);
    const outcome: StatementOutcome = { kind: 'ok', tag: message.text, command, rowCount };
    if (this.fields !== undefined) {
      outcome.fields = this.fields;
      outcome.rows = this.rows;
    }
    this.outcomes.push(outcome);
    this.fields = undefined;
    this.rows = [];
    this.rowDescriptionSent = false;
    this.onActivity();
  }

  handleEmptyQuery(): void {
    this.onActivity();
  }

  handlePortalSuspended(): void {}

  handleCopyInResponse(connection: ProtocolConnection): void {
    connection.sendCopyFail('COPY FROM STDIN is not supported in scenarios');
  }

  handleCopyData(): void {}

  handleError(error: Error & Partial<ProtocolMessageFields>): void {
    const fromServer = typeof error.severity === 'string';
    this.outcomes.push({
      kind: 'error',
      error: fromServer
        ? toPgMessage(error as ProtocolMessageFields)
        : { severity: 'FATAL', sqlstate: '08006', message: error.message },
    });
    // After an ErrorResponse the server still sends ReadyForQuery, unless the connection is gone.
    if (!fromServer || error.severity === 'FATAL' || error.severity === 'PANIC') this.finish();
    this.onActivity();
  }

  handleReadyForQuery(): void {
    this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.callback?.(null);
    this.resolveDone();
    this.onActivity();
  }
}
