/**
 * The part of the engine's API the page uses, whether the engine runs in this thread (tests, Node)
 * or in the worker behind Comlink (the app): every method may answer now or with a promise.
 */
import type { Engine } from '../../engine/pgEmulator';

type MaybeAsync<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => R | Promise<R> : never;
};

export type EngineApi = MaybeAsync<
  Pick<
    Engine,
    | 'openSession'
    | 'closeSession'
    | 'submit'
    | 'rejectSubmission'
    | 'cancel'
    | 'advanceTime'
    | 'advanceToNextTimer'
    | 'runSetup'
    | 'reset'
    | 'state'
    | 'now'
    | 'isBlockedBy'
    | 'serverVersion'
  >
>;
