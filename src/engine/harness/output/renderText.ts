/** The isolation tester's output, byte for byte, from transcript events. */
import { formatLibpqMessage, formatStepError } from './libpqMessage';
import { formatPqPrint } from './pqPrint';
import type { TranscriptEvent } from './transcript';

export function renderEventText(event: TranscriptEvent): string {
  switch (event.kind) {
    case 'diagnostic':
      return event.text;
    case 'parsed':
      return `Parsed test spec with ${event.sessionCount} sessions\n`;
    case 'permutationStarted':
      return `\nstarting permutation:${event.steps.map((step) => ` ${step}`).join('')}\n`;
    case 'setupResult':
      return formatPqPrint(
        (event.outcome.fields ?? []).map((field) => field.name),
        event.outcome.rows ?? [],
      );
    case 'notice':
      return `${event.session}: ${formatLibpqMessage(event.notice, false)}`;
    case 'stepWaiting':
      return `step ${event.step}: ${event.sql} <waiting ...>\n`;
    case 'stepCompleted':
      return event.afterWait ? `step ${event.step}: <... completed>\n` : `step ${event.step}: ${event.sql}\n`;
    case 'stepOutcome': {
      const { outcome } = event;
      if (outcome.kind === 'error') return formatStepError(outcome.error);
      if (outcome.fields === undefined) return '';
      return formatPqPrint(
        outcome.fields.map((field) => field.name),
        outcome.rows ?? [],
      );
    }
    case 'stepCanceled':
      return `isolationtester: canceling step ${event.step} after ${event.seconds} seconds\n`;
    case 'aborted':
      return '';
  }
}

export function renderText(events: readonly TranscriptEvent[]): string {
  return events.map(renderEventText).join('');
}
