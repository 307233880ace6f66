/**
 * The `--json` form: one JSON object per permutation, one per line:
 *
 *     {"spec": NAME, "permutation": [STEP, …], "events": [EVENT, …]}
 *
 * EVENT is one of
 *
 *     {"step": S, "results": [RESULT, …]}                 a step that completed at once
 *     {"step": S, "error": ERROR}                          … that failed (with "results" too when
 *                                                           statements before the failing one succeeded)
 *     {"step": S, "waiting": true}                         a step that blocked
 *     {"step": S, "completedAfterWait": true, "results": […]}   (or "error") when it finished later
 *     {"session": NAME, "notice": {"severity": …, "message": …}}
 *     {"step": S, "canceledAfterSeconds": N}               the tester canceled a step that never finished
 *     {"diagnostic": TEXT}                                 what the tester writes to stderr
 *
 * RESULT is {"command", "rowCount", "fields", "rows"} with values in PostgreSQL's text format, and
 * ERROR is {"sqlstate", "message", "detail", "hint"} with the numbers that differ from run to run
 * (process, transaction, relation and database numbers) in the detail replaced by N.
 */
import type { PgMessage, StatementOutcome, StatementSuccess } from '../../pgEmulator';
import type { TranscriptEvent } from './transcript';

export interface JsonResult {
  command: string;
  rowCount: number | null;
  fields: string[];
  rows: (string | null)[][];
}

export interface JsonError {
  sqlstate: string;
  message: string;
  detail: string | null;
  hint: string | null;
}

export type JsonEvent =
  | { step: string; results: JsonResult[]; error?: JsonError; completedAfterWait?: true }
  | { step: string; error: JsonError; completedAfterWait?: true }
  | { step: string; waiting: true }
  | { step: string; canceledAfterSeconds: number }
  | { session: string; notice: { severity: string; message: string } }
  | { diagnostic: string };

export interface JsonPermutation {
  spec: string;
  permutation: string[];
  events: JsonEvent[];
}

/** `Process 4242 waits for ShareLock on transaction 771; blocked by process 4243.` → `Process N … transaction N … process N.` */
export function normalizeDetail(detail: string): string {
  return detail
    .replace(/\b(virtual transaction) \d+\/\d+/gi, '$1 N')
    .replace(/\b(process|transaction|relation|database) \d+/gi, '$1 N');
}

function jsonResult(outcome: StatementSuccess): JsonResult {
  return {
    command: outcome.command,
    rowCount: outcome.rowCount,
    fields: (outcome.fields ?? []).map((field) => field.name),
    rows: (outcome.rows ?? []).map((row) => [...row]),
  };
}

function jsonError(error: PgMessage): JsonError {
  return {
    sqlstate: error.sqlstate,
    message: error.message,
    detail: error.detail === undefined ? null : normalizeDetail(error.detail),
    hint: error.hint ?? null,
  };
}

interface OpenStep {
  step: string;
  afterWait: boolean;
  outcomes: StatementOutcome[];
  /** Index in `events` where the step's event goes. */
  slot: number;
}

export function toJsonPermutations(spec: string, events: readonly TranscriptEvent[]): JsonPermutation[] {
  const permutations: JsonPermutation[] = [];
  let current: JsonPermutation | null = null;
  let open: OpenStep | null = null;
  const slots: (JsonEvent | null)[] = [];

  const closeStep = (): void => {
    if (!open || !current) return;
    const results = open.outcomes.filter((outcome): outcome is StatementSuccess => outcome.kind === 'ok');
    const failure = open.outcomes.find((outcome) => outcome.kind === 'error');
    const base = open.afterWait ? { completedAfterWait: true as const } : {};
    let event: JsonEvent;
    if (failure && results.length === 0) {
      event = { step: open.step, error: jsonError(failure.error), ...base };
    } else if (failure) {
      event = { step: open.step, results: results.map(jsonResult), error: jsonError(failure.error), ...base };
    } else {
      event = { step: open.step, results: results.map(jsonResult), ...base };
    }
    if (open.afterWait) event = reorderCompleted(event);
    slots[open.slot] = event;
    open = null;
  };
  const finishPermutation = (): void => {
    closeStep();
    if (current) current.events = slots.filter((event): event is JsonEvent => event !== null);
    slots.length = 0;
  };

  for (const event of events) {
    if (event.kind === 'permutationStarted') {
      finishPermutation();
      current = { spec, permutation: [...event.steps], events: [] };
      permutations.push(current);
      continue;
    }
    if (!current) continue;
    switch (event.kind) {
      case 'stepCompleted':
        closeStep();
        open = { step: event.step, afterWait: event.afterWait, outcomes: [], slot: slots.length };
        slots.push(null);
        break;
      case 'stepOutcome':
        if (open && open.step === event.step) open.outcomes.push(event.outcome);
        break;
      case 'stepWaiting':
        closeStep();
        slots.push({ step: event.step, waiting: true });
        break;
      case 'notice':
        slots.push({
          session: event.session,
          notice: { severity: event.notice.severity, message: event.notice.message },
        });
        break;
      case 'stepCanceled':
        slots.push({ step: event.step, canceledAfterSeconds: event.seconds });
        break;
      case 'diagnostic':
        closeStep();
        slots.push({ diagnostic: event.text.replace(/\n$/, '') });
        break;
      default:
        break;
    }
  }
  finishPermutation();
  return permutations;
}

/** Puts `completedAfterWait` right after `step`, as the format shows it. */
function reorderCompleted(event: JsonEvent): JsonEvent {
  if (!('step' in event)) return event;
  const { step, ...rest } = event as { step: string } & Record<string, unknown>;
  return { step, completedAfterWait: true, ...rest } as JsonEvent;
}

export function renderJsonLines(spec: string, events: readonly TranscriptEvent[]): string {
  return toJsonPermutations(spec, events)
    .map((permutation) => `${JSON.stringify(permutation)}\n`)
    .join('');
}
