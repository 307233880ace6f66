/**
 * Seeded random interleavings of sessions on the engine, and the invariants every run must keep.
 * Used by the random test (randomInterleaving.test.ts) and handy for reproducing a failing seed.
 */
import type { Engine, EngineEvent } from '../pgEmulator';

/** mulberry32: a small, well-known seeded generator (the engine itself never uses randomness). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const ACCOUNTS = 4;
export const SESSIONS = ['A', 'B', 'C'];

export const SETUP = `CREATE TABLE acct (id int PRIMARY KEY, balance int NOT NULL);
CREATE TABLE audit (n serial PRIMARY KEY, acct int NOT NULL REFERENCES acct, delta int NOT NULL);
INSERT INTO acct SELECT g, 0 FROM generate_series(1, ${ACCOUNTS}) g`;

export interface Step {
  session: string;
  sql: string | null;
  /** Virtual milliseconds to let pass after the step. */
  advance: number;
  /** Cancel the session's running statement instead of sending SQL. */
  cancel?: boolean;
}

/** Picks the next action for a session: what a client in its state could plausibly send. */
function nextSql(random: () => number, inBlock: boolean): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const account = 1 + Math.floor(random() * ACCOUNTS);
  const transfer = `UPDATE acct SET balance = balance + 1 WHERE id = ${account}; INSERT INTO audit (acct, delta) VALUES (${account}, 1)`;
  const other = 1 + ((account + Math.floor(random() * (ACCOUNTS - 1))) % ACCOUNTS);
  const twoAccounts = `UPDATE acct SET balance = balance + 1 WHERE id = ${account}; UPDATE acct SET balance = balance + 1 WHERE id = ${other}; INSERT INTO audit (acct, delta) VALUES (${account}, 1), (${other}, 1)`;
  if (!inBlock) {
    return pick([
      `BEGIN ISOLATION LEVEL ${pick(['READ COMMITTED', 'REPEATABLE READ'])}`,
      `BEGIN; SET LOCAL deadlock_timeout = '${pick([10, 50, 200])}ms'`,
      transfer,
      `SELECT sum(balance) FROM acct`,
    ]);
  }
  return pick([
    transfer,
    twoAccounts,
    twoAccounts,
    `SELECT * FROM acct WHERE id = ${account} FOR ${pick(['UPDATE', 'NO KEY UPDATE', 'SHARE', 'KEY SHARE'])}${pick(['', ' NOWAIT', ' SKIP LOCKED'])}`,
    `DELETE FROM audit WHERE acct = ${account} AND false`,
    'SAVEPOINT s',
    'ROLLBACK TO SAVEPOINT s',
    `SET LOCAL lock_timeout = '${pick([0, 30])}ms'`,
    'COMMIT',
    'COMMIT',
    'ROLLBACK',
  ]);
}

/** Runs `steps` random steps from `seed`; returns the steps taken. */
export function runRandomInterleaving(engine: Engine, seed: number, steps: number): Step[] {
  const random = seededRandom(seed);
  engine.reset();
  for (const outcome of engine.runSetup(SETUP)) {
    if (outcome.kind === 'error') throw new Error(`setup failed: ${outcome.error.message}`);
  }
  for (const name of SESSIONS) engine.openSession(name);
  const taken: Step[] = [];
  for (let i = 0; i < steps; i++) {
    const session = SESSIONS[Math.floor(random() * SESSIONS.length)] as string;
    const advance = random() < 0.3 ? Math.floor(random() * 120) : 0;
    if (engine.isBusy(session)) {
      const cancel = random() < 0.3;
      if (cancel) engine.cancel(session);
      taken.push({ session, sql: null, advance, cancel });
    } else {
      const view = engine.session(session);
      if (view.status === 'terminated') continue;
      const sql = nextSql(random, view.status !== 'idle');
      engine.submit(session, sql);
      taken.push({ session, sql, advance });
    }
    if (advance > 0) engine.advanceTime(advance);
  }
  // Let every session finish: cancel waits, end transactions.
  for (let round = 0; round < 10; round++) {
    for (const name of SESSIONS) {
      if (engine.isBusy(name)) engine.cancel(name);
      else if (engine.session(name).status !== 'idle' && engine.session(name).status !== 'terminated')
        engine.submit(name, 'ROLLBACK');
    }
    engine.advanceTime(10_000);
  }
  return taken;
}

/** Problems found in the engine's state after a run (empty when every invariant holds). */
export function invariantViolations(engine: Engine): string[] {
  const problems: string[] = [];
  for (const name of SESSIONS) {
    if (engine.isBusy(name)) problems.push(`session ${name} is still busy`);
    const xid = engine.session(name).xid;
    if (xid !== null) problems.push(`session ${name} still runs transaction ${xid}`);
  }
  const leftover = engine.locks();
  if (leftover.length > 0) problems.push(`locks left: ${JSON.stringify(leftover)}`);

  // Every committed +1 on an account has exactly one committed audit row.
  const check = 'invariant check';
  engine.openSession(check, { helper: true });
  const finished = (sql: string): (string | null)[][] => {
    const id = engine.submit(check, sql);
    const event = engine.events().find((e) => e.type === 'statementFinished' && e.submission === id);
    if (event?.type !== 'statementFinished' || event.outcome.kind !== 'ok') {
      problems.push(`check query failed: ${sql}: ${JSON.stringify(event)}`);
      return [];
    }
    return event.outcome.rows ?? [];
  };
  for (const [id, balance, audited] of finished(
    'SELECT a.id, a.balance, (SELECT count(*) FROM audit WHERE acct = a.id) FROM acct a ORDER BY a.id',
  )) {
    if (balance !== audited) problems.push(`account ${id}: balance ${balance} but ${audited} audit rows`);
  }
  if (finished('SELECT id FROM acct GROUP BY id HAVING count(*) > 1').length > 0)
    problems.push('duplicate primary keys');
  engine.closeSession(check);

  // The engine's own invariants: no orphaned transaction, heaps mirroring the tuple headers.
  problems.push(...engine.selfCheck());
  return problems;
}

/** The event log with relation OIDs left out (PGlite's OIDs keep growing across resets). */
export function comparableLog(events: readonly EngineEvent[]): string {
  return JSON.stringify(events, (key, value: unknown) => {
    if (key === 'relationOid' || key === 'detail') return undefined;
    return typeof value === 'string'
      ? value.replace(/relation \d+ of database/g, 'relation N of database')
      : value;
  });
}
