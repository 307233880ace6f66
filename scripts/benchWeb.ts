/**
 * `npm run bench:web`: how long the production build takes, in headless Chromium with a fresh
 * profile each run, from navigation to `data-engine="ready"` (the engine started, the lesson's
 * sessions opened and its setup run), what that time is made of, and how long one step of a
 * lesson takes (from the click to its outcome read back from the engine).
 *
 * Usage: npm run bench:web [-- --runs N]
 */
import { parseArgs } from 'node:util';
import { launchChromium } from '../tests/e2e/support/chromium';
import { buildAndServe } from '../tests/e2e/support/productionBuild';

interface Entry {
  name: string;
  start: number;
  duration: number;
}

interface RunResult {
  ready: number;
  entries: Entry[];
  /** Milliseconds per step of the lesson, in order. */
  steps: number[];
}

/** The lesson the benchmark opens and steps through: its first seven steps reach the deadlock. */
const lesson = 'for-update-deadlock';
const stepsToTime = 7;

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);

console.log('Building the production app…');
const served = await buildAndServe();
const results: RunResult[] = [];
let chromiumSource = '';
try {
  for (let run = 1; run <= runs; run++) {
    // A new browser per run: fresh profile, empty HTTP and code caches.
    const { browser, installation } = await launchChromium();
    chromiumSource = `${installation.source} ${browser.version()}`;
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      await page.goto(`${served.url}?lesson=${lesson}`);
      await page.waitForFunction(() => document.documentElement.dataset.engine === 'ready', undefined, {
        timeout: 120_000,
      });
      const timings = await page.evaluate(collectTimings);
      // Steps are timed once the page is idle: right after ready it still loads the editors' parser.
      await page.evaluate(() => new Promise((resolve) => requestIdleCallback(resolve, { timeout: 10_000 })));
      const steps: number[] = [];
      for (let step = 0; step < stepsToTime; step++) steps.push(await page.evaluate(timeOneStep));
      results.push({ ...timings, steps });
    } finally {
      await browser.close();
    }
    const last = results.at(-1);
    process.stdout.write(
      `run ${run}/${runs}: ready after ${last?.ready.toFixed(0)} ms; steps ${last?.steps.map((ms) => ms.toFixed(0)).join(', ')} ms\n`,
    );
  }
} finally {
  await served.close();
}

/** Runs in the page: clicks Step and waits for the step's `playground: step` measure. */
async function timeOneStep(): Promise<number> {
  // No named inner functions: the bundler of this script would wrap them in a helper the page lacks.
  const before = performance.getEntriesByName('playground: step').length;
  const button = [...document.querySelectorAll<HTMLButtonElement>('.step-controls button')].find(
    (candidate) => /^(Step|Let time pass)/.test(candidate.textContent ?? ''),
  );
  if (!button || button.disabled) throw new Error('no Step button to click');
  button.click();
  while (performance.getEntriesByName('playground: step').length === before) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return performance.getEntriesByName('playground: step').at(-1)?.duration ?? NaN;
}

/** Runs in the page: navigation, resource and engine timings, all relative to navigation start. */
function collectTimings(): Omit<RunResult, 'steps'> {
  const [navigation] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
  const ready = performance.getEntriesByName('engine-ready')[0]?.startTime ?? NaN;
  const entries: Entry[] = [];
  if (navigation) {
    entries.push({
      name: 'page: HTML response',
      start: navigation.requestStart,
      duration: navigation.responseEnd - navigation.requestStart,
    });
    entries.push({ name: 'page: DOMContentLoaded', start: 0, duration: navigation.domContentLoadedEventEnd });
  }
  for (const resource of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
    const file = new URL(resource.name).pathname.split('/').pop() ?? resource.name;
    if (/\.(js|css|woff2)$/.test(file)) {
      entries.push({
        name: `load ${file.replace(/-[\w-]{8}\./, '.')}`,
        start: resource.startTime,
        duration: resource.duration,
      });
    }
  }
  const worker = performance.getEntriesByName('engine-worker-created')[0];
  if (worker) entries.push({ name: 'page: engine worker created', start: worker.startTime, duration: 0 });
  for (const measure of performance.getEntriesByType('measure')) {
    if (measure.name.startsWith('engine: ') || measure.name === 'playground: open sessions, run setup') {
      entries.push({ name: measure.name, start: measure.startTime, duration: measure.duration });
    }
  }
  return { ready, entries };
}

function median(numbers: number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? NaN)
    : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

const readyTimes = results.map((result) => result.ready);
console.log(`\nChromium: ${chromiumSource}; ${runs} runs, each a new browser with a fresh profile.`);
console.log(
  `Navigation → engine ready: median ${median(readyTimes).toFixed(0)} ms ` +
    `(min ${Math.min(...readyTimes).toFixed(0)}, max ${Math.max(...readyTimes).toFixed(0)})`,
);
console.log('\nWhere the time goes (median over runs; start and duration in ms from navigation):');
const names = [...new Set(results.flatMap((result) => result.entries.map((entry) => entry.name)))];
const rows = names.map((name) => {
  const matching = results.flatMap((result) => result.entries.filter((entry) => entry.name === name));
  return {
    name,
    start: median(matching.map((entry) => entry.start)),
    duration: median(matching.map((entry) => entry.duration)),
  };
});
rows.sort((a, b) => a.start - b.start);
for (const row of rows) {
  console.log(
    `  ${row.name.padEnd(40)} start ${row.start.toFixed(0).padStart(6)}   took ${row.duration.toFixed(0).padStart(6)}`,
  );
}
const allSteps = results.flatMap((result) => result.steps);
console.log(
  `\nOne step of the lesson ${lesson} (click → outcome read back; ${stepsToTime} steps per run, the last one lets ` +
    `virtual time pass to the deadlock check): median ${median(allSteps).toFixed(0)} ms ` +
    `(min ${Math.min(...allSteps).toFixed(0)}, max ${Math.max(...allSteps).toFixed(0)})`,
);
