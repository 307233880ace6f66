/** The readable text form of a phase verdict (what `npm run timeouts` prints without --json). */
import { DRIVERS } from './drivers';
import type { PhaseVerdict } from './phaseVerdict';
import type { Moment, Phase } from './phases';
import { RULES, type RuleId } from './rules';
import type { ServerEffect } from './timeline';

const PHASE_TITLES: Readonly<Record<Phase, string>> = {
  acquire: 'acquire (waiting for a pooled connection)',
  begin: 'begin (BEGIN in flight)',
  query: 'query in flight',
  rows: 'rows / Next',
  scan: 'Scan',
  commit: 'commit',
};

export function phaseTitle(phase: Phase, moment: Moment): string {
  if (phase !== 'commit') return PHASE_TITLES[phase];
  return moment === 'before-call'
    ? 'commit (the ctx has already ended when tx.Commit() is called)'
    : 'commit (COMMIT in flight)';
}

export function describeServerEffect(effect: ServerEffect): string {
  switch (effect.kind) {
    case 'connect':
      return 'connection opened';
    case 'statement':
      return `statement: ${effect.sql ?? ''}`;
    case 'cancel-request':
      return 'CancelRequest (on a new socket)';
    case 'disconnect':
      if (effect.graceful === true) return 'Terminate, then the socket closes';
      if (effect.graceful === false) return 'the TCP socket closes (no Terminate, no KILL QUERY)';
      return 'the connection closes';
    case 'sqlite-interrupt':
      return 'sqlite3_interrupt';
  }
}

const LABEL_WIDTH = 13;

function field(label: string, lines: string[]): string[] {
  const pad = ' '.repeat(LABEL_WIDTH);
  return lines.map((line, index) => (index === 0 ? label.padEnd(LABEL_WIDTH) : pad) + line);
}

export function formatPhaseVerdict(verdict: PhaseVerdict): string {
  const driver = DRIVERS[verdict.driver];
  const out: string[] = [
    `${verdict.driver} (${driver.label}) — the deadline fires in: ${phaseTitle(verdict.phase, verdict.moment)}, at ${verdict.deadlineMs} ms`,
    '',
    ...field('Program', verdict.program),
    '',
  ];
  if (!verdict.modelled) {
    out.push(
      ...field('NOT MODELLED', [verdict.notModelledReason ?? 'The reference does not describe this case.']),
    );
  } else {
    out.push(
      ...field(
        'Error',
        verdict.error === null ? ['(none)', verdict.errorNote] : [verdict.error, verdict.errorNote],
      ),
    );
    out.push(
      ...field('errors.Is', [
        `errors.Is(err, context.DeadlineExceeded) = ${verdict.isDeadlineExceeded === null ? 'n/a' : String(verdict.isDeadlineExceeded)}`,
      ]),
    );
    const effects = verdict.serverEffects.map(
      (effect) =>
        `  ${String(effect.atMs).padStart(5)} ms  ${describeServerEffect(effect)} (${effect.connectionId})`,
    );
    out.push(...field('Server', [verdict.server, ...effects]));
    out.push(...field('Connection', [verdict.connection]));
    out.push(...field('Transaction', [verdict.transaction]));
  }
  if (verdict.rules.length > 0) {
    out.push('');
    out.push(
      ...field(
        'Rules',
        verdict.rules.map(({ id }) => {
          const rule = RULES[id as RuleId];
          const marks = [rule.run ? '[run]' : '', rule.basis === 'source-check' ? '[source check]' : '']
            .filter((mark) => mark !== '')
            .join(' ');
          return `${id}${marks === '' ? '' : ` ${marks}`}: ${rule.statement}`;
        }),
      ),
    );
  }
  if (verdict.source.length > 0) out.push(...field('Source', verdict.source));
  return `${out.join('\n')}\n`;
}
