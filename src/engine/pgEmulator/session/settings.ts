/**
 * A session's configuration parameters (GUCs) with PostgreSQL's transactional semantics:
 * SET lasts for the session unless its transaction aborts; SET LOCAL lasts until the end of the
 * transaction; a savepoint rollback restores the values of the savepoint.
 *
 * The engine itself interprets the parameters it emulates (timeouts, isolation, search_path…).
 * Every other parameter is validated by PGlite and applied to it while the session runs.
 */
import { PgError } from '../errors';

export type SettingValue = string;

interface TimeUnitSetting {
  kind: 'time';
  /** Unit of a bare number (PostgreSQL's GUC_UNIT_MS or GUC_UNIT_S). */
  unit: 'ms' | 's';
  defaultMs: number;
  min: number;
  /** Only superusers may set it in PostgreSQL; the playground's sessions are superusers. */
  superuser?: boolean;
}

interface EnumSetting {
  kind: 'enum';
  values: readonly string[];
  default: string;
}

interface BoolSetting {
  kind: 'bool';
  default: boolean;
}

interface StringSetting {
  kind: 'string';
  default: string;
}

type EngineSetting = TimeUnitSetting | EnumSetting | BoolSetting | StringSetting;

/** Parameters the engine emulates itself, with PostgreSQL 18's defaults. */
export const ENGINE_SETTINGS: Record<string, EngineSetting> = {
  statement_timeout: { kind: 'time', unit: 'ms', defaultMs: 0, min: 0 },
  lock_timeout: { kind: 'time', unit: 'ms', defaultMs: 0, min: 0 },
  deadlock_timeout: { kind: 'time', unit: 'ms', defaultMs: 1000, min: 1, superuser: true },
  idle_in_transaction_session_timeout: { kind: 'time', unit: 'ms', defaultMs: 0, min: 0 },
  transaction_timeout: { kind: 'time', unit: 'ms', defaultMs: 0, min: 0 },
  idle_session_timeout: { kind: 'time', unit: 'ms', defaultMs: 0, min: 0 },
  default_transaction_isolation: {
    kind: 'enum',
    values: ['serializable', 'repeatable read', 'read committed', 'read uncommitted'],
    default: 'read committed',
  },
  default_transaction_read_only: { kind: 'bool', default: false },
  default_transaction_deferrable: { kind: 'bool', default: false },
  search_path: { kind: 'string', default: '"$user", public' },
  application_name: { kind: 'string', default: '' },
  client_min_messages: {
    kind: 'enum',
    values: ['debug5', 'debug4', 'debug3', 'debug2', 'debug1', 'log', 'notice', 'warning', 'error'],
    default: 'notice',
  },
  synchronous_commit: {
    kind: 'enum',
    values: ['local', 'remote_write', 'remote_apply', 'on', 'off'],
    default: 'on',
  },
  plan_cache_mode: {
    kind: 'enum',
    values: ['auto', 'force_generic_plan', 'force_custom_plan'],
    default: 'auto',
  },
};

const TIME_UNITS: Record<string, number> = {
  us: 0.001,
  ms: 1,
  s: 1000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** Parses a time setting like PostgreSQL (`'10ms'`, `'1s'`, `1000`, `'1.5s'`) into milliseconds. */
export function parseTimeSetting(name: string, raw: string, setting: TimeUnitSetting): number {
  const match = /^\s*(-?\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(raw);
  const unitFactor = (unit: string): number | undefined => TIME_UNITS[unit];
  if (!match) {
    throw PgError.of('22023', `invalid value for parameter "${name}": "${raw}"`);
  }
  const amount = Number(match[1]);
  const unit = match[2] ?? '';
  const factor = unit === '' ? unitFactor(setting.unit) : unitFactor(unit);
  if (factor === undefined) {
    throw PgError.of('22023', `invalid value for parameter "${name}": "${raw}"`, {
      hint: 'Valid units for this parameter are "us", "ms", "s", "min", "h", and "d".',
    });
  }
  const ms = Math.round(amount * factor);
  if (ms < setting.min) {
    throw PgError.of(
      '22023',
      `${ms} ms is outside the valid range for parameter "${name}" (${setting.min} ms .. 2147483647 ms)`,
    );
  }
  return ms;
}

/** Formats milliseconds the way SHOW prints a time setting: the largest unit that divides evenly. */
export function formatTimeSetting(ms: number): string {
  if (ms === 0) return '0';
  const units: [string, number][] = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['min', 60_000],
    ['s', 1000],
  ];
  for (const [unit, size] of units) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

interface Layer {
  values: Map<string, SettingValue>;
  locals: Map<string, SettingValue>;
}

/** Canonical text of an engine setting's value, or a PgError for an invalid one. */
export function normalizeEngineSetting(name: string, raw: string): SettingValue {
  const setting = ENGINE_SETTINGS[name];
  if (!setting) throw new Error(`not an engine setting: ${name}`);
  switch (setting.kind) {
    case 'time':
      return String(parseTimeSetting(name, raw, setting));
    case 'enum': {
      const value = raw.trim().toLowerCase();
      if (!setting.values.includes(value)) {
        throw PgError.of('22023', `invalid value for parameter "${name}": "${raw}"`, {
          hint: `Available values: ${setting.values.join(', ')}.`,
        });
      }
      return value;
    }
    case 'bool': {
      const value = raw.trim().toLowerCase();
      if (['on', 'true', 'yes', '1', 't', 'y'].includes(value)) return 'on';
      if (['off', 'false', 'no', '0', 'f', 'n'].includes(value)) return 'off';
      throw PgError.of('22023', `parameter "${name}" requires a Boolean value`);
    }
    case 'string':
      return raw;
  }
}

function engineDefault(name: string): SettingValue {
  const setting = ENGINE_SETTINGS[name];
  if (!setting) throw new Error(`not an engine setting: ${name}`);
  switch (setting.kind) {
    case 'time':
      return String(setting.defaultMs);
    case 'enum':
      return setting.default;
    case 'bool':
      return setting.default ? 'on' : 'off';
    case 'string':
      return setting.default;
  }
}

export class SessionSettings {
  /** Session-level values (committed or set in the open transaction). */
  private values = new Map<string, SettingValue>();
  /** SET LOCAL values of the open transaction. */
  private locals = new Map<string, SettingValue>();
  /** Saved layers: [0] at transaction start, then one per savepoint. */
  private stack: Layer[] = [];
  /** Values the client gave when it connected (startup parameters): what RESET returns to. */
  private readonly startup = new Map<string, SettingValue>();

  get(name: string): SettingValue | undefined {
    return (
      this.locals.get(name) ??
      this.values.get(name) ??
      this.startup.get(name) ??
      (ENGINE_SETTINGS[name] ? engineDefault(name) : undefined)
    );
  }

  /** A startup parameter of the connection (e.g. application_name): the session's default value. */
  setStartup(name: string, value: SettingValue): void {
    this.startup.set(name, value);
  }

  /** Milliseconds of a time setting. */
  millis(name: string): number {
    return Number(this.get(name) ?? 0);
  }

  /** Sets a value; `local` for SET LOCAL (only meaningful inside a transaction). */
  set(name: string, value: SettingValue | null, local: boolean): void {
    if (local) {
      if (value === null) this.locals.set(name, this.defaultOf(name));
      else this.locals.set(name, value);
      return;
    }
    this.locals.delete(name);
    if (value === null) this.values.delete(name);
    else this.values.set(name, value);
  }

  private defaultOf(name: string): SettingValue {
    return this.startup.get(name) ?? (ENGINE_SETTINGS[name] ? engineDefault(name) : '');
  }

  /** Names of every parameter the session has set (for re-applying pass-through settings to PGlite). */
  setNames(): string[] {
    return [...new Set([...this.startup.keys(), ...this.values.keys(), ...this.locals.keys()])];
  }

  /** RESET ALL: every session-level value back to its default. */
  resetAll(): void {
    this.values.clear();
    this.locals.clear();
  }

  transactionStarted(): void {
    this.stack = [{ values: new Map(this.values), locals: new Map() }];
    this.locals = new Map();
  }

  savepointStarted(): void {
    this.stack.push({ values: new Map(this.values), locals: new Map(this.locals) });
  }

  /** ROLLBACK TO: back to the values at the savepoint (which stays defined). */
  savepointRolledBack(depth: number): void {
    const layer = this.stack[depth];
    if (!layer) return;
    this.values = new Map(layer.values);
    this.locals = new Map(layer.locals);
    this.stack.length = depth + 1;
  }

  /** RELEASE: forget the savepoint layers above `depth - 1`. */
  savepointReleased(depth: number): void {
    this.stack.length = depth;
  }

  transactionEnded(committed: boolean): void {
    const start = this.stack[0];
    if (!committed && start) this.values = new Map(start.values);
    this.locals = new Map();
    this.stack = [];
  }
}
