/**
 * How libpq turns an ErrorResponse / NoticeResponse into text with its default verbosity
 * (`pqBuildErrorMessage3`, PQERRORS_DEFAULT, PQSHOW_CONTEXT_ERRORS): what the default notice
 * processor prints and what `PQerrorMessage` holds after a failed `PQexec`.
 *
 *     SEVERITY:  primary message
 *     DETAIL:  …          (when present)
 *     HINT:  …            (when present)
 *     QUERY:  …           (an internal query, when present)
 *     CONTEXT:  …         (errors only, not notices)
 *
 * libpq draws a cursor under the statement for an error position; this formatter writes the
 * position as ` at character N` instead (the isolation tester never prints either for a step).
 */
import type { PgMessage } from '../../pgEmulator';

export function formatLibpqMessage(message: PgMessage, isError: boolean): string {
  let text = `${message.severity}:  ${message.message}`;
  if (message.position !== undefined) text += ` at character ${message.position}`;
  text += '\n';
  if (message.detail !== undefined) text += `DETAIL:  ${message.detail}\n`;
  if (message.hint !== undefined) text += `HINT:  ${message.hint}\n`;
  if (message.internalQuery !== undefined) text += `QUERY:  ${message.internalQuery}\n`;
  if (isError && message.context !== undefined) text += `CONTEXT:  ${message.context}\n`;
  return text;
}

/** The isolation tester's line for a failed step: severity and primary message only. */
export function formatStepError(message: PgMessage): string {
  return `${message.severity}:  ${message.message}\n`;
}
