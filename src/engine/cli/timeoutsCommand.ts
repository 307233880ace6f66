/**
 * `npm run timeouts -- --driver NAME --phase PHASE [--moment before-call|in-flight] [--json]`
 *
 * Prints the client-timeout model's verdict for one Go driver and the phase in which the ctx
 * deadline fires, with the default program of that phase: the error and errors.Is, what reaches
 * the server, and what becomes of the connection and the transaction, with the sources. Exit
 * status: 0 when a verdict was printed (even "not modelled"), 2 for bad arguments.
 */
import { parseArgs } from 'node:util';
import {
  DRIVER_NAMES,
  isDriverName,
  formatPhaseVerdict,
  phaseVerdict,
  phaseVerdictJson,
  isMoment,
  isPhase,
  MOMENTS,
  PHASES,
} from '../clientTimeouts';

export interface TimeoutsCommandIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const USAGE = [
  'usage: npm run timeouts -- --driver NAME --phase PHASE [--moment MOMENT] [--json]',
  `  NAME:   ${DRIVER_NAMES.join(', ')}`,
  `  PHASE:  ${PHASES.join(', ')}`,
  `  MOMENT: ${MOMENTS.join(', ')} (commit only; default before-call: the ctx has already ended when tx.Commit() is called)`,
  '',
].join('\n');

export function runTimeoutsCommand(argv: readonly string[], io: TimeoutsCommandIo): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: false,
      options: {
        driver: { type: 'string' },
        phase: { type: 'string' },
        moment: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const { values } = parsed;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const problems: string[] = [];
  const { driver, phase, moment } = values;
  if (driver === undefined) problems.push(`--driver is required: one of ${DRIVER_NAMES.join(', ')}`);
  else if (!isDriverName(driver))
    problems.push(`unknown driver "${driver}": use one of ${DRIVER_NAMES.join(', ')}`);
  if (phase === undefined) problems.push(`--phase is required: one of ${PHASES.join(', ')}`);
  else if (!isPhase(phase)) problems.push(`unknown phase "${phase}": use one of ${PHASES.join(', ')}`);
  if (moment !== undefined) {
    if (!isMoment(moment)) problems.push(`unknown moment "${moment}": use one of ${MOMENTS.join(', ')}`);
    else if (moment === 'before-call' && phase !== 'commit')
      problems.push('--moment before-call applies to --phase commit only');
  }
  if (
    problems.length > 0 ||
    driver === undefined ||
    phase === undefined ||
    !isDriverName(driver) ||
    !isPhase(phase)
  ) {
    io.err(`${problems.join('\n')}\n${USAGE}`);
    return 2;
  }
  const verdict = phaseVerdict(driver, phase, moment !== undefined && isMoment(moment) ? { moment } : {});
  io.out(
    values.json ? `${JSON.stringify(phaseVerdictJson(verdict), null, 2)}\n` : formatPhaseVerdict(verdict),
  );
  return 0;
}
