import { describe, expect, it } from 'vitest';
import { formatLibpqMessage, formatStepError } from './libpqMessage';

const message = {
  severity: 'ERROR',
  sqlstate: '40P01',
  message: 'deadlock detected',
  detail: 'Process 1 waits for ShareLock on transaction 2; blocked by process 3.',
  hint: 'See server log for query details.',
  context: 'while updating tuple (0,1) in relation "a"',
};

describe('libpq message formats', () => {
  it('prints a step error as the tester does: severity, two spaces, primary message', () => {
    expect(formatStepError(message)).toBe('ERROR:  deadlock detected\n');
  });

  it('prints notices like the default notice processor: DETAIL and HINT, no CONTEXT', () => {
    expect(formatLibpqMessage({ ...message, severity: 'NOTICE' }, false)).toBe(
      'NOTICE:  deadlock detected\nDETAIL:  Process 1 waits for ShareLock on transaction 2; blocked by process 3.\nHINT:  See server log for query details.\n',
    );
  });

  it('adds CONTEXT for errors (PQerrorMessage after a failed setup)', () => {
    expect(formatLibpqMessage(message, true)).toContain(
      '\nCONTEXT:  while updating tuple (0,1) in relation "a"\n',
    );
    expect(formatLibpqMessage({ severity: 'WARNING', sqlstate: '01000', message: 'careful' }, false)).toBe(
      'WARNING:  careful\n',
    );
  });
});
