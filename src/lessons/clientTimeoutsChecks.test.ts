/** The simulator attachment's checks catch what does not fit the spec or the model. */
import { describe, expect, it } from 'vitest';
import { clientTimeoutPhases } from './clientTimeoutPhases';
import type { ClientTimeoutsAttachment } from './clientTimeoutsAttachment';
import { clientTimeoutsProblems, standInSession } from './clientTimeoutsChecks';
import type { Lesson } from './lesson';

function withAttachment(change: (attachment: ClientTimeoutsAttachment) => ClientTimeoutsAttachment): Lesson {
  const attachment = clientTimeoutPhases.clientTimeouts as ClientTimeoutsAttachment;
  return { ...clientTimeoutPhases, clientTimeouts: change(structuredClone(attachment)) };
}

describe('clientTimeoutsProblems', () => {
  it('accepts the client-timeout-phases lesson, whose stand-in session is driver', () => {
    expect(clientTimeoutsProblems(clientTimeoutPhases)).toEqual([]);
    expect(standInSession(clientTimeoutPhases)).toBe('driver');
  });

  it('names steps and sessions the spec does not have, or in the wrong place', () => {
    const problems = clientTimeoutsProblems(
      withAttachment((a) => ({
        ...a,
        engineLink: {
          ...a.engineLink,
          session: 'nobody',
          statementStep: 'a_commit',
          deadlineStep: 'go_update',
        },
      })),
    );
    expect(problems).toEqual([
      'engineLink.session: the spec has no session "nobody"',
      'engineLink.statementStep: "a_commit" runs on A, not nobody',
      'engineLink: in a permutation, "go_update" does not follow "a_commit"',
      'program: no statement of the Go program is the SQL of "a_commit"',
    ]);
  });

  it('asks for a stand-in session with nothing else to do, and a PostgreSQL driver to link', () => {
    const problems = clientTimeoutsProblems(
      withAttachment((a) => ({
        ...a,
        drivers: ['mysql', 'mysql'],
        engineLink: { ...a.engineLink, deadlineStep: 'a_commit' },
      })),
    );
    expect(problems).toEqual([
      'drivers: a driver is listed twice',
      'drivers: the engine link needs a PostgreSQL driver',
      'engineLink.deadlineStep: "a_commit" needs a session of its own with no other step',
    ]);
  });

  it('reports a program the model rejects, and a connection the program never opens', () => {
    const problems = clientTimeoutsProblems(
      withAttachment((a) => ({
        ...a,
        drivers: ['pgxpool', 'pgx-stdlib'],
        program: { ...a.program, pool: { maxOpenConns: 0 } },
        engineLink: { ...a.engineLink, connection: 'c9' },
      })),
    );
    expect(problems).toEqual([
      'program with pgxpool: pgxpool needs a MaxConns above 0',
      'engineLink.connection: with pgx-stdlib the program opens no connection "c9"',
    ]);
  });
});
