import { describe, expect, it } from 'vitest';
import type { PgMessage } from '../../engine/pgEmulator';
import { psqlMessageLines, psqlMessageText } from './psqlMessage';

describe('psqlMessageText', () => {
  it('prints a deadlock error as psql does, multi-line DETAIL included', () => {
    const deadlock: PgMessage = {
      severity: 'ERROR',
      sqlstate: '40P01',
      message: 'deadlock detected',
      detail:
        'Process 2001 waits for ShareLock on transaction 745; blocked by process 2002.\n' +
        'Process 2002 waits for ShareLock on transaction 744; blocked by process 2001.',
      hint: 'See server log for query details.',
      context: 'while updating tuple (0,1) in relation "accounts"',
    };
    expect(psqlMessageText(deadlock)).toBe(
      [
        'ERROR:  deadlock detected',
        'DETAIL:  Process 2001 waits for ShareLock on transaction 745; blocked by process 2002.',
        'Process 2002 waits for ShareLock on transaction 744; blocked by process 2001.',
        'HINT:  See server log for query details.',
        'CONTEXT:  while updating tuple (0,1) in relation "accounts"',
      ].join('\n'),
    );
  });

  it('prints a notice with its severity', () => {
    const notice: PgMessage = { severity: 'NOTICE', sqlstate: '00000', message: 'hello 1' };
    expect(psqlMessageText(notice)).toBe('NOTICE:  hello 1');
  });

  it('shows the error position under the statement text, as psql does', () => {
    const syntax: PgMessage = {
      severity: 'ERROR',
      sqlstate: '42601',
      message: 'syntax error at or near "FORM"',
      position: 17,
    };
    expect(psqlMessageText(syntax, 'SELECT *\n  FROM FORM t')).toBe(
      ['ERROR:  syntax error at or near "FORM"', 'LINE 2:   FROM FORM t', '               ^'].join('\n'),
    );
    expect(psqlMessageText({ ...syntax, position: 1 }, 'SELEC 1')).toBe(
      ['ERROR:  syntax error at or near "FORM"', 'LINE 1: SELEC 1', '        ^'].join('\n'),
    );
  });

  it('counts the position in characters, not bytes', () => {
    const lines = psqlMessageLines(
      { severity: 'ERROR', sqlstate: '42703', message: 'column "ü" does not exist', position: 12 },
      "SELECT 'é', ü",
    );
    expect(lines.at(-1)?.text).toBe(`${' '.repeat('LINE 1: '.length + 11)}^`);
  });

  it('labels every line by kind, for styling', () => {
    const lines = psqlMessageLines({
      severity: 'ERROR',
      sqlstate: '0A000',
      message: 'cached plan must not change result type',
    });
    expect(lines).toEqual([
      { kind: 'severity', label: 'ERROR:  ', text: 'cached plan must not change result type' },
    ]);
  });
});
