/**
 * What the worker serves until the engine lands: PGlite alone, started from self-hosted assets.
 * It proves the plumbing (assets, worker, typed RPC) and reports PostgreSQL's version; it runs no
 * user SQL. The engine's facade class takes its place (see backend.ts).
 */
import { PGlite } from '@electric-sql/pglite';
import type { PgliteAssets } from './pgliteAssets';

export class PgliteService {
  private constructor(
    private readonly db: PGlite,
    private readonly version: string,
  ) {}

  static async create(assets: PgliteAssets): Promise<PgliteService> {
    const db = await PGlite.create(assets);
    const result = await db.query<{ version: string }>('select version()');
    const version = result.rows[0]?.version;
    if (!version) throw new Error('select version() returned no row');
    return new PgliteService(db, version);
  }

  /** `select version()`, as PostgreSQL in WebAssembly answered it at start. */
  serverVersion(): string {
    return this.version;
  }
}
