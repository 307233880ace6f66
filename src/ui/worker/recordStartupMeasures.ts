/**
 * Puts the worker's startup phases on the page's Performance timeline as `performance.measure`
 * entries named `engine: <phase>`, so tools (the web benchmark, DevTools) see them beside the
 * page's own navigation and resource timings.
 */
import type { StartupTimings } from './startupTimings';

export const startupMeasurePrefix = 'engine: ';

export function recordStartupMeasures(timings: StartupTimings, performance: Performance): void {
  const offset = timings.timeOrigin - performance.timeOrigin;
  for (const phase of timings.phases) {
    performance.measure(startupMeasurePrefix + phase.name, {
      start: phase.start + offset,
      duration: phase.duration,
    });
  }
}
