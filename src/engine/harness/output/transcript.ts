/**
 * What running a spec shows, as events in the order PostgreSQL's isolation tester prints them. The
 * text and JSON renderers turn the same events into the tester's output or one JSON object per
 * permutation.
 */
import type { PgMessage, StatementOutcome, StatementSuccess } from '../../pgEmulator';

export type TranscriptEvent =
  /** A line the tester writes to stderr (merged into its expected output, as pg_regress does). */
  | { kind: 'diagnostic'; text: string }
  | { kind: 'parsed'; sessionCount: number }
  | { kind: 'permutationStarted'; steps: string[] }
  /** A result set of a spec or session `setup` / `teardown` (the last result of the block, if it has rows). */
  | { kind: 'setupResult'; outcome: StatementSuccess }
  | { kind: 'notice'; session: string; notice: PgMessage }
  | { kind: 'stepWaiting'; step: string; sql: string }
  /** The `step X: SQL` line, or `step X: <... completed>` after a wait. */
  | { kind: 'stepCompleted'; step: string; sql: string; afterWait: boolean }
  /** One statement's result or error, after its step's `stepCompleted`. */
  | { kind: 'stepOutcome'; step: string; outcome: StatementOutcome }
  | { kind: 'stepCanceled'; step: string; seconds: number }
  /** The run stopped early (the tester exits); its `diagnostic` came just before. */
  | { kind: 'aborted'; reason: string };

export type TranscriptSink = (event: TranscriptEvent) => void;
