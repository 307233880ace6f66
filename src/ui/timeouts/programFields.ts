/**
 * The numbers of a Go program a person can change in the simulator's compact form: pool settings,
 * network latency, each goroutine's start and deadline, and per call the server's execution time,
 * how long a row lock holds it, rows and their arrival, and the program's own work. Each field
 * reads and writes one value of the program (a new program; the old one is left as it was).
 */
import {
  DATABASE_SQL_DEFAULT_MAX_IDLE,
  DEFAULT_NETWORK,
  type ProgramStep,
} from '../../engine/clientTimeouts';
import type { ClientProgram } from '../../lessons';

export type FieldGroup = 'pool' | 'network' | 'goroutine';

export interface ProgramField {
  /** Stable within a program's shape, e.g. `pool.maxOpenConns`, `app.1.blockedUntilMs`. */
  key: string;
  group: FieldGroup;
  /** The goroutine the field belongs to (group `goroutine`). */
  goroutine?: string;
  label: string;
  unit: 'ms' | 'conns' | 'rows';
  /** `null` means "none" where the field allows it (no deadline, no lock wait, no lifetime). */
  value: number | null;
  /** What an empty field means, when it may be empty. */
  emptyMeans?: string;
  min: number;
  set(program: ClientProgram, value: number | null): ClientProgram;
}

const callNames: Record<ProgramStep['kind'], string> = {
  begin: 'BeginTx',
  exec: 'ExecContext',
  query: 'QueryContext',
  commit: 'Commit',
  work: 'own work',
};

function updateStep(
  program: ClientProgram,
  goroutine: string,
  index: number,
  change: (step: ProgramStep) => ProgramStep,
): ClientProgram {
  return {
    ...program,
    goroutines: program.goroutines.map((candidate) =>
      candidate.id === goroutine
        ? { ...candidate, steps: candidate.steps.map((step, i) => (i === index ? change(step) : step)) }
        : candidate,
    ),
  };
}

function serverOf(step: ProgramStep): { executionMs: number; blockedUntilMs?: number } {
  return 'server' in step && step.server !== undefined ? step.server : { executionMs: 1 };
}

function stepFields(goroutine: string, step: ProgramStep, index: number): ProgramField[] {
  const where = `${goroutine}.${index}`;
  const call = callNames[step.kind];
  const base = { group: 'goroutine' as const, goroutine };
  if (step.kind === 'work') {
    return [
      {
        ...base,
        key: `${where}.ms`,
        label: step.label ?? 'the program’s own work',
        unit: 'ms',
        value: step.ms,
        min: 0,
        set: (p, value) => updateStep(p, goroutine, index, (s) => ({ ...s, ms: value ?? 0 }) as ProgramStep),
      },
    ];
  }
  const server = serverOf(step);
  const withServer = (
    p: ClientProgram,
    change: (server: { executionMs: number; blockedUntilMs?: number }) => object,
  ) => updateStep(p, goroutine, index, (s) => ({ ...s, server: change(serverOf(s)) }) as ProgramStep);
  const fields: ProgramField[] = [
    {
      ...base,
      key: `${where}.executionMs`,
      label: `${call}: server time`,
      unit: 'ms',
      value: server.executionMs,
      min: 0,
      set: (p, value) => withServer(p, (s) => ({ ...s, executionMs: value ?? 0 })),
    },
  ];
  if (step.kind !== 'commit' && step.kind !== 'begin') {
    fields.push({
      ...base,
      key: `${where}.blockedUntilMs`,
      label: `${call}: row lock held until`,
      unit: 'ms',
      value: server.blockedUntilMs ?? null,
      emptyMeans: 'no lock wait',
      min: 0,
      set: (p, value) =>
        withServer(p, (s) => {
          const { blockedUntilMs: _old, ...rest } = s;
          return value === null ? rest : { ...rest, blockedUntilMs: value };
        }),
    });
  }
  if (step.kind === 'query') {
    const setQuery = (
      p: ClientProgram,
      change: (q: Extract<ProgramStep, { kind: 'query' }>) => ProgramStep,
    ) => updateStep(p, goroutine, index, (s) => change(s as Extract<ProgramStep, { kind: 'query' }>));
    fields.push(
      {
        ...base,
        key: `${where}.rows.count`,
        label: 'rows returned',
        unit: 'rows',
        value: step.rows.count,
        min: 0,
        set: (p, value) => setQuery(p, (q) => ({ ...q, rows: { ...q.rows, count: value ?? 0 } })),
      },
      {
        ...base,
        key: `${where}.rows.intervalMs`,
        label: 'one row every',
        unit: 'ms',
        value: step.rows.intervalMs,
        min: 0,
        set: (p, value) => setQuery(p, (q) => ({ ...q, rows: { ...q.rows, intervalMs: value ?? 0 } })),
      },
      {
        ...base,
        key: `${where}.beforeScanMs`,
        label: 'work per row before Scan',
        unit: 'ms',
        value: step.beforeScanMs ?? 0,
        min: 0,
        set: (p, value) => setQuery(p, (q) => ({ ...q, beforeScanMs: value ?? 0 })),
      },
      {
        ...base,
        key: `${where}.afterScanMs`,
        label: 'work per row after Scan',
        unit: 'ms',
        value: step.afterScanMs ?? 0,
        min: 0,
        set: (p, value) => setQuery(p, (q) => ({ ...q, afterScanMs: value ?? 0 })),
      },
    );
  }
  return fields;
}

/** Every field of the program, in the form's order. */
export function programFields(program: ClientProgram): ProgramField[] {
  const network = program.network ?? DEFAULT_NETWORK;
  const fields: ProgramField[] = [
    {
      key: 'pool.maxOpenConns',
      group: 'pool',
      label: 'MaxOpenConns',
      unit: 'conns',
      value: program.pool.maxOpenConns,
      emptyMeans: 'unlimited',
      min: 0,
      set: (p, value) => ({ ...p, pool: { ...p.pool, maxOpenConns: value ?? 0 } }),
    },
    {
      key: 'pool.maxIdleConns',
      group: 'pool',
      label: 'MaxIdleConns',
      unit: 'conns',
      value: program.pool.maxIdleConns ?? DATABASE_SQL_DEFAULT_MAX_IDLE,
      min: 0,
      set: (p, value) => ({
        ...p,
        pool: { ...p.pool, maxIdleConns: value ?? DATABASE_SQL_DEFAULT_MAX_IDLE },
      }),
    },
    {
      key: 'pool.connMaxLifetimeMs',
      group: 'pool',
      label: 'ConnMaxLifetime',
      unit: 'ms',
      value: program.pool.connMaxLifetimeMs ?? null,
      emptyMeans: 'no limit',
      min: 1,
      set: (p, value) => {
        const { connMaxLifetimeMs: _old, ...pool } = p.pool;
        return { ...p, pool: value === null ? pool : { ...pool, connMaxLifetimeMs: value } };
      },
    },
    {
      key: 'network.oneWayMs',
      group: 'network',
      label: 'latency, one way',
      unit: 'ms',
      value: network.oneWayMs,
      min: 0,
      set: (p, value) => ({ ...p, network: { ...(p.network ?? DEFAULT_NETWORK), oneWayMs: value ?? 0 } }),
    },
    {
      key: 'network.dialMs',
      group: 'network',
      label: 'time to dial',
      unit: 'ms',
      value: network.dialMs,
      min: 0,
      set: (p, value) => ({ ...p, network: { ...(p.network ?? DEFAULT_NETWORK), dialMs: value ?? 0 } }),
    },
  ];
  for (const goroutine of program.goroutines) {
    const id = goroutine.id;
    const setGoroutine = (p: ClientProgram, change: (g: ClientProgram['goroutines'][number]) => object) => ({
      ...p,
      goroutines: p.goroutines.map((g) => (g.id === id ? { ...g, ...change(g) } : g)),
    });
    fields.push({
      key: `${id}.deadlineMs`,
      group: 'goroutine',
      goroutine: id,
      label: 'ctx deadline',
      unit: 'ms',
      value: goroutine.deadlineMs,
      emptyMeans: 'context.Background()',
      min: 0,
      set: (p, value) => setGoroutine(p, () => ({ deadlineMs: value })),
    });
    if ((goroutine.startMs ?? 0) > 0) {
      fields.push({
        key: `${id}.startMs`,
        group: 'goroutine',
        goroutine: id,
        label: 'starts at',
        unit: 'ms',
        value: goroutine.startMs ?? 0,
        min: 0,
        set: (p, value) => setGoroutine(p, () => ({ startMs: value ?? 0 })),
      });
    }
    goroutine.steps.forEach((step, index) => fields.push(...stepFields(id, step, index)));
  }
  return fields;
}
