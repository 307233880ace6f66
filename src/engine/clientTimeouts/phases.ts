/** The phases of a Go program in which a context deadline can fire (the reference's "Phases" table). */

export const PHASES = ['acquire', 'begin', 'query', 'rows', 'scan', 'commit'] as const;
/** The six phases of the reference. */
export type Phase = (typeof PHASES)[number];

/**
 * Where a deadline can fire: one of the six phases, or `idle` — between calls, while the program
 * does its own work (inside a transaction: "idle in transaction").
 */
export type DeadlinePhase = Phase | 'idle';

/**
 * For `commit`: `before-call` means the ctx had already ended when the program called tx.Commit()
 * (the deadline fired during the program's own work just before it); `in-flight` means the
 * deadline fired while COMMIT was on its way. Every other phase has only `in-flight`.
 */
export const MOMENTS = ['in-flight', 'before-call'] as const;
export type Moment = (typeof MOMENTS)[number];

export const PHASE_DESCRIPTIONS: Readonly<Record<DeadlinePhase, string>> = {
  acquire: 'waiting for a pooled connection (MaxOpenConns exhausted) or dialing a new one',
  begin: 'BeginTx(ctx) sending BEGIN',
  query: 'QueryContext/ExecContext sent; the server is executing (e.g. blocked on a row lock)',
  rows: 'result rows are streaming; the program loops on rows.Next()',
  scan: 'rows.Scan(&dst) copying the current row',
  commit: 'tx.Commit()',
  idle: 'between calls: the program is doing its own work',
};

export function isPhase(value: string): value is Phase {
  return (PHASES as readonly string[]).includes(value);
}

export function isMoment(value: string): value is Moment {
  return (MOMENTS as readonly string[]).includes(value);
}
