/**
 * Runs one spec from its text on a backend, the way `isolationtester` does: warnings about unused
 * steps, `Parsed test spec with N sessions`, then every permutation on one set of connections.
 */
import type { ScenarioBackend } from '../backend';
import type { TranscriptEvent, TranscriptSink } from '../output/transcript';
import { parseSpec } from '../spec/specParser';
import { specPermutations } from '../spec/permutations';
import { resolveSpec, type ResolvedSpec } from '../spec/resolveSpec';
import { IsolationTester, ScenarioAbortedError, type TesterOptions } from './isolationTester';

export interface ScenarioRun {
  events: TranscriptEvent[];
  /** Set when the tester gave up before the end (it exits with status 1 there). */
  abortedBecause: string | null;
}

/** Parses and checks a spec; throws `SpecSyntaxError` or `SpecValidationError`. */
export function loadSpec(text: string): ResolvedSpec {
  return resolveSpec(parseSpec(text));
}

export async function runResolvedSpec(
  name: string,
  resolved: ResolvedSpec,
  backend: ScenarioBackend,
  options: TesterOptions & { onEvent?: TranscriptSink } = {},
): Promise<ScenarioRun> {
  const events: TranscriptEvent[] = [];
  const emit: TranscriptSink = (event) => {
    events.push(event);
    options.onEvent?.(event);
  };
  for (const warning of resolved.warnings) emit({ kind: 'diagnostic', text: `${warning}\n` });
  emit({ kind: 'parsed', sessionCount: resolved.sessionNames.length });

  const connections = await backend.connect({ name, sessions: resolved.sessionNames });
  let abortedBecause: string | null = null;
  try {
    const tester = new IsolationTester(resolved, connections, emit, options);
    for (const permutation of specPermutations(resolved)) await tester.runPermutation(permutation);
  } catch (error) {
    if (!(error instanceof ScenarioAbortedError)) throw error;
    abortedBecause = error.message;
  } finally {
    await connections.close();
  }
  return { events, abortedBecause };
}
