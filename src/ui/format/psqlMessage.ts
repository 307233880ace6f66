/**
 * An error or notice laid out as psql prints it (default verbosity):
 *
 *     ERROR:  syntax error at or near "selec"
 *     LINE 1: selec 1
 *             ^
 *     DETAIL:  …
 *     HINT:  …
 *     CONTEXT:  …
 *
 * Continuation lines of a multi-line field are printed as they are, like psql does.
 */
import type { PgMessage } from '../../engine/pgEmulator';

export type PsqlLineKind = 'severity' | 'position' | 'caret' | 'detail' | 'hint' | 'context' | 'continuation';

export interface PsqlLine {
  kind: PsqlLineKind;
  /** `ERROR:  `, `DETAIL:  `, `LINE 1: `…; empty for continuation and caret lines. */
  label: string;
  text: string;
}

export function psqlMessageLines(message: PgMessage, statement?: string): PsqlLine[] {
  const lines: PsqlLine[] = [];
  pushField(lines, 'severity', `${message.severity}:  `, message.message);
  if (message.position !== undefined && statement !== undefined) {
    lines.push(...positionLines(statement, message.position));
  }
  if (message.detail !== undefined) pushField(lines, 'detail', 'DETAIL:  ', message.detail);
  if (message.hint !== undefined) pushField(lines, 'hint', 'HINT:  ', message.hint);
  if (message.context !== undefined) pushField(lines, 'context', 'CONTEXT:  ', message.context);
  return lines;
}

/** The lines joined as text, exactly as a terminal running psql would show them. */
export function psqlMessageText(message: PgMessage, statement?: string): string {
  return psqlMessageLines(message, statement)
    .map((line) => line.label + line.text)
    .join('\n');
}

function pushField(lines: PsqlLine[], kind: PsqlLineKind, label: string, value: string): void {
  const [first = '', ...rest] = value.split('\n');
  lines.push({ kind, label, text: first });
  for (const text of rest) lines.push({ kind: 'continuation', label: '', text });
}

/** psql's `LINE n:` excerpt with a caret under the 1-based character `position`. */
function positionLines(statement: string, position: number): PsqlLine[] {
  const characters = Array.from(statement);
  const index = Math.min(Math.max(position - 1, 0), characters.length);
  let lineNumber = 1;
  let lineStart = 0;
  for (let i = 0; i < index; i++) {
    if (characters[i] === '\n') {
      lineNumber++;
      lineStart = i + 1;
    }
  }
  let lineEnd = characters.indexOf('\n', lineStart);
  if (lineEnd === -1) lineEnd = characters.length;
  const label = `LINE ${lineNumber}: `;
  const lineText = characters.slice(lineStart, lineEnd).join('').replace(/\t/g, ' ');
  return [
    { kind: 'position', label, text: lineText },
    { kind: 'caret', label: '', text: `${' '.repeat(label.length + index - lineStart)}^` },
  ];
}
