/**
 * A goroutine's deadline verdict while the simulation is still running: made when the deadline
 * fires, completed when the program sees the resulting error, closed with the server effects.
 */
import type { DeadlineResolution, DeadlineSituation } from '../deadlineRules';
import type { DriverName } from '../drivers';
import type { GoError } from '../goErrors';
import { sourcesOf } from '../rules';
import type { SourceLocation } from '../sources';
import type { DeadlineVerdict, ServerEffect } from '../timeline';

const NOT_STATED = 'Not stated by the reference.';

export class VerdictDraft {
  private readonly verdict: DeadlineVerdict;
  private readonly extraSources: SourceLocation[];
  /** The error is still to be observed (the plan names an error the program has not reached yet). */
  private errorPending: boolean;

  constructor(
    goroutine: string,
    driver: DriverName,
    firedAtMs: number,
    situation: DeadlineSituation,
    resolution: DeadlineResolution,
  ) {
    const common = {
      goroutine,
      driver,
      firedAtMs,
      phase: situation.phase,
      moment: situation.moment,
      inTransaction: situation.inTransaction,
    };
    this.extraSources = resolution.status === 'not-modelled' ? resolution.sources : [];
    if (resolution.status === 'not-modelled') {
      this.verdict = {
        ...common,
        status: 'not-modelled',
        notModelledReason: resolution.reason,
        error: { kind: 'not-stated', note: resolution.reason },
        server: { summary: NOT_STATED, effects: [] },
        connection: { fate: 'not-stated', summary: NOT_STATED },
        transaction: { fate: 'not-stated', summary: NOT_STATED },
        ruleIds: [...resolution.ruleIds],
        sources: [],
      };
      this.errorPending = false;
      return;
    }
    const plan = resolution.error;
    this.verdict = {
      ...common,
      status: 'modelled',
      error:
        plan.kind === 'error'
          ? { kind: 'not-stated', note: 'The program has not reached the error yet.' }
          : plan,
      server: { summary: resolution.server, effects: [] },
      connection: { ...resolution.connection },
      transaction: { ...resolution.transaction },
      ruleIds: [...resolution.ruleIds],
      sources: [],
    };
    this.errorPending = plan.kind === 'error';
  }

  get status(): DeadlineVerdict['status'] {
    return this.verdict.status;
  }

  /** The program got `error` from `surfacedBy` because of the deadline. */
  observeError(error: GoError, surfacedBy: string, atMs: number): void {
    if (!this.errorPending) return;
    this.verdict.error = { kind: 'error', error, surfacedBy, atMs };
    this.errorPending = false;
  }

  /** The program's next call hit a rule the verdict could not know when it was made. */
  overrideNotStatedError(error: GoError, surfacedBy: string, atMs: number): void {
    if (this.verdict.status !== 'modelled' || this.verdict.error.kind !== 'not-stated') return;
    this.verdict.error = { kind: 'error', error, surfacedBy, atMs };
    this.errorPending = false;
  }

  /** Everything turned out to be fine after all (e.g. every remaining row was buffered). */
  clearError(note: string): void {
    this.verdict.error = { kind: 'none', note };
    this.errorPending = false;
  }

  /** Something the reference does not describe happened after all (e.g. a race). */
  markNotModelled(reason: string): void {
    this.verdict.status = 'not-modelled';
    this.verdict.notModelledReason = reason;
    this.verdict.error = { kind: 'not-stated', note: reason };
    this.verdict.connection = { fate: 'not-stated', summary: NOT_STATED };
    this.verdict.transaction = { fate: 'not-stated', summary: NOT_STATED };
    this.errorPending = false;
  }

  noteTransaction(extra: string): void {
    this.verdict.transaction.summary = `${this.verdict.transaction.summary} ${extra}`;
  }

  setConnectionId(connectionId: string): void {
    this.verdict.connection.connectionId = connectionId;
  }

  finalize(allEffects: readonly ServerEffect[]): DeadlineVerdict {
    if (this.errorPending) {
      this.verdict.error = { kind: 'none', note: 'The program never reached the error.' };
    }
    this.verdict.sources = [...new Set([...sourcesOf(this.verdict.ruleIds), ...this.extraSources])];
    this.verdict.server.effects = allEffects.filter(
      (effect) => effect.cause === 'deadline' && effect.goroutine === this.verdict.goroutine,
    );
    return this.verdict;
  }
}
