/**
 * A scenario in the isolation tester's spec format, as the playground plays it: its sessions, the
 * setup SQL, and per permutation ("part") the ordered steps across sessions. Parsed with the
 * project's own spec parser, so a lesson plays exactly what the conformance harness checks.
 */
import { specPermutations, resolveSpec, parseSpec } from '../../engine/harness';

export interface ScriptStep {
  /** The step's name in the spec, e.g. `a_read`. */
  name: string;
  session: string;
  sql: string;
}

export interface ScenarioScript {
  sessions: string[];
  /** The spec's `setup` blocks, in order (run before every part on a fresh database). */
  setup: string[];
  /** Each session's own `setup` block, run on that session after the shared setup. */
  sessionSetup: Record<string, string | null>;
  /** One list of steps per permutation. */
  parts: ScriptStep[][];
}

/** Parses and checks a spec; throws the spec parser's errors (with line and column). */
export function scenarioScript(specText: string): ScenarioScript {
  const resolved = resolveSpec(parseSpec(specText));
  const sessions = resolved.sessionNames;
  const parts: ScriptStep[][] = [];
  for (const permutation of specPermutations(resolved)) {
    parts.push(
      permutation.map((pstep) => ({
        name: pstep.name,
        session: sessions[pstep.step.session] ?? '',
        sql: pstep.step.sql,
      })),
    );
  }
  return {
    sessions,
    setup: resolved.spec.setup,
    sessionSetup: Object.fromEntries(resolved.spec.sessions.map((session) => [session.name, session.setup])),
    parts,
  };
}

/** What a session's editor shows for a part: its steps in the order they run, each named. */
export function sessionScriptText(steps: readonly ScriptStep[], session: string): string {
  return steps
    .filter((step) => step.session === session)
    .map((step) => `-- ${step.name}\n${step.sql.trim().replace(/;?$/, ';')}`)
    .join('\n');
}
