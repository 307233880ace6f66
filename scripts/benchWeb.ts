/**
 * `npm run bench:web`: how long the production build takes, in headless Chromium with a fresh
 * profile each run, from navigation to `data-engine="ready"`, and what that time is made of.
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
}

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
      await page.goto(served.url);
      await page.waitForFunction(() => document.documentElement.dataset.engine === 'ready', undefined, {
        timeout: 120_000,
      });
      results.push(await page.evaluate(collectTimings));
    } finally {
      await browser.close();
    }
    process.stdout.write(`run ${run}/${runs}: ready after ${results.at(-1)?.ready.toFixed(0)} ms\n`);
  }
} finally {
  await served.close();
}

/** Runs in the page: navigation, resource and engine timings, all relative to navigation start. */
function collectTimings(): RunResult {
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
    if (measure.name.startsWith('engine: ')) {
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
console.log('\nTime for one lesson step: not measured yet — needs the multi-session engine (issue 4).');
