/**
 * A session's statements and what each produced, from the engine's event log: the list under the
 * session's editor. Notices go to the statement that was running when they were raised.
 */
import type { EngineEvent, WaitInfo, PgMessage, StatementOutcome } from '../../engine/pgEmulator';

export interface StatementOutput {
  key: string;
  submission: number;
  index: number;
  sql: string;
  /** The whole text submitted with it (PostgreSQL counts an error's position in this text). */
  submissionSql: string;
  /** `waiting` while it waits for a lock, `running` before it has finished. */
  state: 'running' | 'waiting' | 'done';
  wait: WaitInfo | null;
  outcome: StatementOutcome | null;
  notices: PgMessage[];
  startTime: number;
  endTime: number | null;
}

export function sessionOutputs(events: readonly EngineEvent[], session: string): StatementOutput[] {
  const outputs: StatementOutput[] = [];
  const byKey = new Map<string, StatementOutput>();
  const submissions = new Map<number, string>();
  let current: StatementOutput | null = null;
  for (const event of events) {
    if (!('session' in event) || event.session !== session) continue;
    switch (event.type) {
      case 'submitted':
        submissions.set(event.submission, event.sql);
        break;
      case 'statementStarted': {
        current = {
          key: `${event.submission}:${event.index}`,
          submission: event.submission,
          index: event.index,
          sql: event.sql,
          submissionSql: submissions.get(event.submission) ?? event.sql,
          state: 'running',
          wait: null,
          outcome: null,
          notices: [],
          startTime: event.time,
          endTime: null,
        };
        outputs.push(current);
        byKey.set(current.key, current);
        break;
      }
      case 'statementWaiting': {
        const output = byKey.get(`${event.submission}:${event.index}`);
        if (output) Object.assign(output, { state: 'waiting', wait: event.wait });
        break;
      }
      case 'statementResumed': {
        const output = byKey.get(`${event.submission}:${event.index}`);
        if (output) Object.assign(output, { state: 'running', wait: null });
        break;
      }
      case 'statementFinished': {
        const output = byKey.get(`${event.submission}:${event.index}`);
        if (output)
          Object.assign(output, { state: 'done', wait: null, outcome: event.outcome, endTime: event.time });
        if (current === output) current = null;
        break;
      }
      case 'notice':
        // A notice outside any statement (e.g. raised at commit) goes with the last statement.
        (current ?? outputs.at(-1))?.notices.push(event.notice);
        break;
      default:
        break;
    }
  }
  return outputs;
}
