/** The rules and sources: every rule cites a source; every resolution cites rules that exist. */
import { describe, expect, it } from 'vitest';
import { resolveDeadline, type DeadlineSituation } from './deadlineRules';
import { DRIVER_NAMES } from './drivers';
import { MOMENTS, PHASES, type DeadlinePhase } from './phases';
import { RULE_IDS, RULES, sourcesOf } from './rules';
import { formatSource, SOURCES } from './sources';

describe('rules', () => {
  it.each(RULE_IDS)('%s has a statement and at least one source (file and function)', (id) => {
    const rule = RULES[id];
    expect(rule.id).toBe(id);
    expect(rule.statement.length).toBeGreaterThan(20);
    expect(rule.sources.length).toBeGreaterThan(0);
    for (const source of rule.sources) {
      expect(source.repo).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(source.file).not.toBe('');
    }
  });

  it('marks the statements the reference ran', () => {
    expect(RULE_IDS.filter((id) => RULES[id].run)).toEqual([
      'core.acquire',
      'core.acquire-random-order',
      'core.rows-await-done',
      'core.scan',
      'core.commit-expired',
      'pgx.deadline-watcher',
      'pgx.async-close',
      'pgx-stdlib.dropped-at-next-checkout',
      'pgxpool.destroyed',
      'pgxpool.begin-only',
      'pgxpool.buffered-rows',
      'pgxpool.commit-expired',
      'lib-pq.watch-cancel',
      'mysql.close-socket',
      'mysql.commit-not-watched',
      'sqlite3.interrupt',
      'last-insert-id',
    ]);
  });

  it('source-check rules and sources are marked as such', () => {
    expect(RULE_IDS.filter((id) => RULES[id].basis === 'source-check')).toEqual([
      'core.keep-conn-on-rollback',
      'pgx-stdlib.interfaces',
      'lib-pq.interfaces',
      'mysql.interfaces',
      'sqlite3.interfaces',
      'core.max-idle-conns',
    ]);
    expect(formatSource(SOURCES.dbConn)).toBe('golang/go src/database/sql/sql.go (*DB).conn');
    expect(formatSource(SOURCES.pgconnCtxwatch)).toBe('jackc/pgx pgconn/ctxwatch/');
    expect(sourcesOf(['core.acquire', 'core.acquire'])).toEqual([SOURCES.dbConn]);
  });
});

describe('resolveDeadline covers every situation explicitly', () => {
  const phases: DeadlinePhase[] = [...PHASES, 'idle'];
  const situations: DeadlineSituation[] = DRIVER_NAMES.flatMap((driver) =>
    phases.flatMap((phase) =>
      MOMENTS.filter((moment) => moment === 'in-flight' || phase === 'commit').flatMap((moment) =>
        [false, true].flatMap((inTransaction) =>
          (['deadline', 'cancel-request'] as const).map((pgxContextWatcher) => ({
            driver,
            phase,
            moment,
            inTransaction,
            pgxContextWatcher,
            call: 'tx.Commit',
            statement: { sql: 'UPDATE t SET v = 1', isWrite: true },
            acquire: 'waiting' as const,
            programInNext: true,
          })),
        ),
      ),
    ),
  );

  it.each(
    situations.map(
      (situation) =>
        [
          `${situation.driver} ${situation.phase} ${situation.moment} tx=${situation.inTransaction} ${situation.pgxContextWatcher}`,
          situation,
        ] as const,
    ),
  )('%s', (_, situation) => {
    const resolution = resolveDeadline(situation);
    if (resolution.status === 'not-modelled') {
      expect(resolution.reason.length).toBeGreaterThan(20);
      return;
    }
    expect(resolution.ruleIds.length).toBeGreaterThan(0);
    for (const id of resolution.ruleIds) expect(RULES[id]).toBeDefined();
    expect(resolution.server).not.toBe('');
    expect(resolution.connection.summary).not.toBe('');
    expect(resolution.transaction.summary).not.toBe('');
  });

  it('says "not modelled" where the reference is silent', () => {
    const base = {
      inTransaction: false,
      pgxContextWatcher: 'deadline' as const,
      moment: 'in-flight' as const,
    };
    expect(
      resolveDeadline({ ...base, driver: 'pgxpool', phase: 'acquire', acquire: 'waiting' }),
    ).toMatchObject({
      status: 'not-modelled',
      sources: [SOURCES.puddleAcquire],
    });
    expect(resolveDeadline({ ...base, driver: 'lib-pq', phase: 'acquire', acquire: 'dialing' }).status).toBe(
      'not-modelled',
    );
    expect(resolveDeadline({ ...base, driver: 'sqlite3', phase: 'query', blockedOnLock: true }).status).toBe(
      'not-modelled',
    );
    expect(
      resolveDeadline({ ...base, driver: 'pgxpool', phase: 'rows', pgxContextWatcher: 'cancel-request' })
        .status,
    ).toBe('not-modelled');
  });
});
