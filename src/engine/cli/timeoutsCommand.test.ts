/** `npm run timeouts`: arguments, JSON and text output, exit status. */
import { describe, expect, it } from 'vitest';
import { runTimeoutsCommand } from './timeoutsCommand';

function run(argv: string[]): { status: number; out: string; err: string } {
  let out = '';
  let err = '';
  const status = runTimeoutsCommand(argv, { out: (text) => (out += text), err: (text) => (err += text) });
  return { status, out, err };
}

describe('npm run timeouts', () => {
  it('prints the verdict as JSON with the six keys first', () => {
    const { status, out, err } = run(['--driver', 'lib-pq', '--phase', 'query', '--json']);
    expect(status).toBe(0);
    expect(err).toBe('');
    const json = JSON.parse(out) as Record<string, unknown>;
    expect(Object.keys(json).slice(0, 6)).toEqual([
      'error',
      'isDeadlineExceeded',
      'server',
      'connection',
      'transaction',
      'source',
    ]);
    expect(json).toMatchObject({
      error: 'pq: canceling statement due to user request',
      isDeadlineExceeded: false,
      connection: 'Marked invalid and discarded.',
      transaction: 'The statement is cancelled.',
      source: [
        'lib/pq conn.go / conn_go18.go watchCancel',
        'lib/pq conn.go / conn_go18.go sendCancelRequest',
      ],
      driver: 'lib-pq',
      phase: 'query',
      modelled: true,
    });
  });

  it('prints a readable text form by default', () => {
    const { status, out } = run(['--driver', 'mysql', '--phase', 'query']);
    expect(status).toBe(0);
    expect(out).toContain('mysql (go-sql-driver/mysql) — the deadline fires in: query in flight, at 100 ms');
    expect(out).toContain('Error        context deadline exceeded');
    expect(out).toContain('errors.Is(err, context.DeadlineExceeded) = true');
    expect(out).toContain('102 ms  the TCP socket closes (no Terminate, no KILL QUERY) (c1)');
    expect(out).toContain('Source       go-sql-driver/mysql connection.go watchCancel');
  });

  it('says "not modelled" where the reference is silent, with exit status 0', () => {
    const { status, out } = run(['--driver', 'pgxpool', '--phase', 'acquire', '--json']);
    expect(status).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ modelled: false, error: null, isDeadlineExceeded: null });
  });

  it('takes the commit moment', () => {
    const before = JSON.parse(run(['--driver', 'pgx-stdlib', '--phase', 'commit', '--json']).out) as {
      error: string;
    };
    const inFlight = JSON.parse(
      run(['--driver', 'pgx-stdlib', '--phase', 'commit', '--moment', 'in-flight', '--json']).out,
    ) as { error: string };
    expect(before.error).toBe('sql: transaction has already been committed or rolled back');
    expect(inFlight.error).toBe('timeout: context deadline exceeded');
  });

  it.each([
    [
      ['--driver', 'oracle', '--phase', 'query'],
      'unknown driver "oracle": use one of pgx-stdlib, pgxpool, lib-pq, mysql, sqlite3',
    ],
    [
      ['--driver', 'mysql', '--phase', 'parse'],
      'unknown phase "parse": use one of acquire, begin, query, rows, scan, commit',
    ],
    [['--phase', 'query'], '--driver is required: one of pgx-stdlib, pgxpool, lib-pq, mysql, sqlite3'],
    [['--driver', 'mysql'], '--phase is required: one of acquire, begin, query, rows, scan, commit'],
    [
      ['--driver', 'mysql', '--phase', 'rows', '--moment', 'before-call'],
      '--moment before-call applies to --phase commit only',
    ],
    [['--driver', 'mysql', '--phase', 'rows', '--verbose'], "Unknown option '--verbose'"],
  ])('rejects %j with a clear message, the valid values and status 2', (argv, message) => {
    const { status, out, err } = run(argv);
    expect(status).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(message);
    expect(err).toContain(
      'usage: npm run timeouts -- --driver NAME --phase PHASE [--moment MOMENT] [--json]',
    );
  });
});
