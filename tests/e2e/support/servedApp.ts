/**
 * What every browser test file shares: one production build served locally and one headless
 * Chromium, started before the file's tests and stopped after them; screenshots go to
 * `.tmp/screenshots` (git-ignored).
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './chromium';
import { buildAndServe, type ServedBuild } from './productionBuild';

export const screenshotDir = resolve(import.meta.dirname, '..', '..', '..', '.tmp', 'screenshots');

export interface ServedApp {
  /** The served build's address, ending in `/`. */
  readonly url: string;
  readonly browser: Browser;
}

/** Registers the file's beforeAll/afterAll; the getters answer once beforeAll has run. */
export function useServedApp(): ServedApp {
  let served: ServedBuild | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    served = await buildAndServe();
    ({ browser } = await launchChromium());
    mkdirSync(screenshotDir, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the served app is used before beforeAll started it');
    return value;
  };
  return {
    get url() {
      return started(served).url;
    },
    get browser() {
      return started(browser);
    },
  };
}
