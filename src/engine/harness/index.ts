/**
 * The scenario harness's public entry: the isolation tester's spec format (parse, print, resolve,
 * permutations), the runner that plays a spec on a backend, the transcript and its renderings, and
 * the engine's backend. Runs in a browser or Web Worker as well as in Node.
 */
export type {
  BackendName,
  NoticeEvent,
  ScenarioBackend,
  ScenarioConnections,
  ScenarioInfo,
  StepOutput,
} from './backend';
export { createEngineBackend } from './engineBackend';
export { formatLibpqMessage, formatStepError } from './output/libpqMessage';
export { formatPqPrint } from './output/pqPrint';
export {
  normalizeDetail,
  renderJsonLines,
  toJsonPermutations,
  type JsonError,
  type JsonEvent,
  type JsonPermutation,
  type JsonResult,
} from './output/renderJson';
export { renderEventText, renderText } from './output/renderText';
export type { TranscriptEvent, TranscriptSink } from './output/transcript';
export {
  DEFAULT_MAX_STEP_WAIT_MS,
  IsolationTester,
  ScenarioAbortedError,
  type TesterOptions,
} from './runner/isolationTester';
export { loadSpec, runResolvedSpec, type ScenarioRun } from './runner/runScenario';
export { countPermutations, interleavings, specPermutations } from './spec/permutations';
export {
  resolveSpec,
  SpecValidationError,
  type ResolvedBlocker,
  type ResolvedPermutationStep,
  type ResolvedSpec,
  type ResolvedStep,
} from './spec/resolveSpec';
export { parseSpec } from './spec/specParser';
export { printName, printSpec, printSql } from './spec/specPrinter';
export { SpecSyntaxError } from './spec/specSyntaxError';
export type * from './spec/specTypes';
