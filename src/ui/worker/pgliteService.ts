/**
 * What the worker serves until the engine lands: PGlite alone, started from self-hosted assets.
 * It proves the plumbing (assets, worker, typed RPC) and reports PostgreSQL's version; it runs no
 * user SQL. The engine's facade class takes its place (see engineWorker.ts).
 */
import { PGlite } from '@electric-sql/pglite';
import { loadPgliteAssets } from './pgliteAssets';
import { type StartupPhase, type StartupTimings, timed } from './startupTimings';

export class PgliteService {
  private constructor(
    private readonly db: PGlite,
    private readonly timings: StartupTimings,
  ) {}

  static async create(): Promise<PgliteService> {
    const phases: StartupPhase[] = [];
    const assets = await loadPgliteAssets(phases);
    const db = await timed(phases, 'PGlite.create', () => PGlite.create(assets));
    const service = new PgliteService(db, { timeOrigin: performance.timeOrigin, phases });
    await timed(phases, 'first query', () => service.serverVersion());
    return service;
  }

  /** `select version()`, answered by PostgreSQL in WebAssembly. */
  async serverVersion(): Promise<string> {
    const result = await this.db.query<{ version: string }>('select version()');
    const row = result.rows[0];
    if (!row) throw new Error('select version() returned no row');
    return row.version;
  }

  startupTimings(): StartupTimings {
    return this.timings;
  }
}
