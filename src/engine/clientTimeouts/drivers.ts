/** The five Go drivers the model knows, and the few facts about each that the rules depend on. */

export const DRIVER_NAMES = ['pgx-stdlib', 'pgxpool', 'lib-pq', 'mysql', 'sqlite3'] as const;
export type DriverName = (typeof DRIVER_NAMES)[number];

export interface DriverDescriptor {
  name: DriverName;
  /** How the reference names it. */
  label: string;
  goImport: string;
  /** `database/sql` drivers go through Go's pool and its Tx/Rows watchers; pgxpool does not. */
  api: 'database/sql' | 'pgxpool';
  /** Where statements run: a PostgreSQL or MySQL server over TCP, or SQLite inside the process. */
  server: 'postgresql' | 'mysql' | 'sqlite-in-process';
  /**
   * database/sql keeps the connection after it rolled a transaction back because of the ctx only if
   * the driver implements both driver.SessionResetter and driver.Validator (rule
   * `core.keep-conn-on-rollback`). Null for pgxpool, which does not use database/sql.
   */
  keepsConnectionAfterContextRollback: boolean | null;
}

export const DRIVERS: Readonly<Record<DriverName, DriverDescriptor>> = {
  'pgx-stdlib': {
    name: 'pgx-stdlib',
    label: 'pgx v5 via database/sql (stdlib)',
    goImport: 'github.com/jackc/pgx/v5/stdlib',
    api: 'database/sql',
    server: 'postgresql',
    keepsConnectionAfterContextRollback: false, // ResetSession, but no IsValid
  },
  pgxpool: {
    name: 'pgxpool',
    label: 'pgxpool (native)',
    goImport: 'github.com/jackc/pgx/v5/pgxpool',
    api: 'pgxpool',
    server: 'postgresql',
    keepsConnectionAfterContextRollback: null,
  },
  'lib-pq': {
    name: 'lib-pq',
    label: 'lib/pq',
    goImport: 'github.com/lib/pq',
    api: 'database/sql',
    server: 'postgresql',
    keepsConnectionAfterContextRollback: true, // ResetSession and IsValid (since v1.10.8)
  },
  mysql: {
    name: 'mysql',
    label: 'go-sql-driver/mysql',
    goImport: 'github.com/go-sql-driver/mysql',
    api: 'database/sql',
    server: 'mysql',
    keepsConnectionAfterContextRollback: true, // ResetSession and IsValid (since v1.6.0)
  },
  sqlite3: {
    name: 'sqlite3',
    label: 'mattn/go-sqlite3',
    goImport: 'github.com/mattn/go-sqlite3',
    api: 'database/sql',
    server: 'sqlite-in-process',
    keepsConnectionAfterContextRollback: false, // neither ResetSession nor IsValid
  },
};

export function isDriverName(value: string): value is DriverName {
  return (DRIVER_NAMES as readonly string[]).includes(value);
}

export function usesDatabaseSql(driver: DriverName): boolean {
  return DRIVERS[driver].api === 'database/sql';
}

export function isPostgresDriver(driver: DriverName): boolean {
  return DRIVERS[driver].server === 'postgresql';
}
