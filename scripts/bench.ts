/**
 * `npm run bench`: time per statement through the engine and on bare PGlite, in the same run, for a
 * point SELECT, a point UPDATE and a full scan of a 10,000-row table. Rounds alternate between the
 * two so machine noise hits both; the medians and their ratio are printed.
 *
 * "Bare PGlite" is PGlite's own query API (what an application would use); the raw-protocol figure
 * (the path the engine itself uses to reach PGlite) is printed too, as the strictest baseline.
 */
import { PGlite, protocol } from '@electric-sql/pglite';
import { performance } from 'node:perf_hooks';
import { Engine } from '../src/engine/pgEmulator';

const ROWS = 10_000;
const ROUNDS = 5;
const SETUP = `CREATE TABLE bench (id int PRIMARY KEY, v int NOT NULL, pad text NOT NULL);
INSERT INTO bench SELECT g, 0, repeat('x', 20) FROM generate_series(1, ${ROWS}) g`;

interface Workload {
  name: string;
  iterations: number;
  sql: (i: number) => string;
  /** Goal for engine / bare PGlite. */
  goal: number;
}

const WORKLOADS: Workload[] = [
  {
    name: 'point SELECT',
    iterations: 400,
    sql: (i) => `SELECT * FROM bench WHERE id = ${1 + ((i * 7919) % ROWS)}`,
    goal: 2,
  },
  {
    name: 'point UPDATE',
    iterations: 300,
    sql: (i) => `UPDATE bench SET v = v + 1 WHERE id = ${1 + ((i * 104729) % ROWS)}`,
    goal: 2,
  },
  { name: 'full scan (10,000 rows)', iterations: 12, sql: () => 'SELECT * FROM bench', goal: 3 },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Milliseconds per statement for `iterations` runs of `run`. */
async function measure(iterations: number, run: (i: number) => unknown): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < iterations; i++) await run(i);
  return (performance.now() - start) / iterations;
}

async function main(): Promise<void> {
  const engine = await Engine.create({ maxResultRows: ROWS });
  const bare = await PGlite.create();
  // The raw protocol: one simple-query round trip, its messages parsed (the path the engine uses).
  const parser = new protocol.Parser();
  const raw = {
    simple: (sql: string): number => {
      let messages = 0;
      parser.parse(bare.execProtocolRawSync(protocol.serialize.query(sql)), () => messages++);
      return messages;
    },
  };
  await bare.exec(SETUP);
  for (const outcome of engine.runSetup(SETUP)) {
    if (outcome.kind === 'error') throw new Error(outcome.error.message);
  }
  engine.openSession('bench');
  const check = (id: number): void => {
    const event = engine
      .events(engine.lastEventSeq() - 3)
      .find((e) => e.type === 'statementFinished' && e.submission === id);
    if (event?.type === 'statementFinished' && event.outcome.kind === 'error')
      throw new Error(event.outcome.error.message);
  };

  const rows: string[][] = [];
  for (const workload of WORKLOADS) {
    // Warm up both (plan caches, JIT).
    for (let i = 0; i < 20; i++) {
      check(engine.submit('bench', workload.sql(i)));
      await bare.query(workload.sql(i));
    }
    const engineTimes: number[] = [];
    const bareTimes: number[] = [];
    const rawTimes: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const offset = round * workload.iterations;
      engineTimes.push(
        await measure(workload.iterations, (i) => check(engine.submit('bench', workload.sql(offset + i)))),
      );
      bareTimes.push(await measure(workload.iterations, (i) => bare.query(workload.sql(offset + i))));
      rawTimes.push(await measure(workload.iterations, (i) => raw.simple(workload.sql(offset + i))));
    }
    const e = median(engineTimes);
    const b = median(bareTimes);
    const r = median(rawTimes);
    rows.push([
      workload.name,
      `${e.toFixed(3)} ms`,
      `${b.toFixed(3)} ms`,
      `${(e / b).toFixed(2)}×`,
      `≤ ${workload.goal}×`,
      e / b <= workload.goal ? 'met' : 'NOT met',
      `${r.toFixed(3)} ms (${(e / r).toFixed(2)}×)`,
    ]);
  }
  const header = ['workload', 'engine', 'bare PGlite', 'ratio', 'goal', '', 'raw protocol (ratio)'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(`Median of ${ROUNDS} alternating rounds, ${ROWS} rows, Node ${process.version}`);
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  await engine.close();
  await bare.close();
}

await main();
