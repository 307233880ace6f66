/**
 * Test support (tests and tools only, never the app): a chainable driver for engine sessions,
 * seeded random interleavings with the invariants every run keeps, and seeded random specs for the
 * differential test against PostgreSQL 18.
 */
export { DriverExpectationError, SessionDriver, type ExpectedError, type ExpectedOk } from './sessionDriver';
export {
  ACCOUNTS,
  comparableLog,
  invariantViolations,
  runRandomInterleaving,
  seededRandom,
  SESSIONS,
  SETUP,
  type Step,
} from './randomInterleaving';
export { randomSpec, type RandomSpec } from './randomSpec';
