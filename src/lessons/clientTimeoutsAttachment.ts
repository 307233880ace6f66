/**
 * A lesson's attachment for the timeout-phase simulator: the Go program it runs (the model's
 * scenario without the driver), the drivers it compares, and how the program's connection maps to
 * a session of the spec — the engine link. In the app, the link replaces the spec's `deadlineStep`
 * (which on PostgreSQL 18 stands for the driver's cancel, e.g. with pg_cancel_backend) by what the
 * model says the linked PostgreSQL driver sends when the deadline fires, delivered to `session`.
 *
 * `clientTimeoutsChecks.ts` checks an attachment against its lesson's spec and the model.
 */
import type { DriverName, Scenario } from '../engine/clientTimeouts';

/** The simulator's Go program: a model scenario without its driver. */
export type ClientProgram = Omit<Scenario, 'driver'>;

export interface ClientTimeoutsAttachment {
  program: ClientProgram;
  /** The drivers compared side by side, in order; the first PostgreSQL one is linked at first. */
  drivers: DriverName[];
  engineLink: {
    /** The model's connection that is the spec session (`c1`: the first one the program opens). */
    connection: string;
    /** The spec session that is that connection. */
    session: string;
    /** The spec step that sends the program's statement on `session`. */
    statementStep: string;
    /**
     * The spec step that stands for what the driver sends when the deadline fires, on a session of
     * its own that has no other step; in the app the engine link delivers the model's effects instead.
     */
    deadlineStep: string;
  };
}
