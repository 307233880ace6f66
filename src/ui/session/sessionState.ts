/**
 * What a session column says about its session's state, from the engine's SessionView.
 */
import type { SessionView } from '../../engine/pgEmulator';

export type SessionTone = 'idle' | 'active' | 'waiting' | 'aborted' | 'terminated';

export interface SessionStateDescription {
  tone: SessionTone;
  /** A short label: idle, in transaction, waiting, aborted, terminated. */
  label: string;
  /** For a waiting session: what it waits for and on whom, e.g. `ShareLock on transaction 745, held by A`. */
  detail: string | null;
}

export function describeSessionState(view: SessionView): SessionStateDescription {
  if (view.status === 'terminated') return { tone: 'terminated', label: 'terminated', detail: null };
  if (view.waiting) {
    const blockers = view.waiting.blockedBy;
    const holders =
      blockers.length === 0
        ? ''
        : `, blocked by ${blockers.length === 1 ? 'session' : 'sessions'} ${joinNames(blockers)}`;
    return { tone: 'waiting', label: 'waiting', detail: `for ${view.waiting.description}${holders}` };
  }
  if (view.status === 'in failed transaction') {
    return {
      tone: 'aborted',
      label: 'aborted',
      detail: 'transaction failed: only ROLLBACK will be accepted',
    };
  }
  if (view.status === 'in transaction') return { tone: 'active', label: 'in transaction', detail: null };
  return { tone: 'idle', label: 'idle', detail: null };
}

function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** `read committed` → `READ COMMITTED`, as PostgreSQL's SHOW transaction_isolation would not; for display. */
export function isolationLabel(view: SessionView): string {
  return view.isolation.toUpperCase();
}

/** Said wherever SERIALIZABLE is in use: the engine has no serializable snapshot isolation yet. */
export function serializableCaveat(view: SessionView): string | null {
  return view.isolation === 'serializable'
    ? 'SERIALIZABLE runs as REPEATABLE READ in this playground: it does not detect serialization anomalies (such as write skew) yet.'
    : null;
}
