/**
 * The UI's components in a real headless Chromium, rendered by the component gallery from fixtures
 * with the exact shape of the engine's contract (not engine output). Screenshots go to
 * .tmp/screenshots for a person to look at.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshotDir, useServedApp } from './support/servedApp';

const app = useServedApp();

async function openScene(scene: string, size = { width: 1280, height: 720 }, theme = 'light'): Promise<Page> {
  const page = await app.browser.newPage({ viewport: size });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${app.url}src/ui/gallery/index.html?scene=${scene}&theme=${theme}`);
  await page.locator('.monaco-editor').first().waitFor({ timeout: 30_000 });
  await page.evaluate(() => document.fonts.ready);
  // Monaco colours tokens asynchronously: wait until a keyword has its own colour class.
  await page.waitForFunction(
    () => document.querySelector('.view-line span[class^="mtk"]:not(.mtk1)') !== null,
  );
  expect(errors).toEqual([]);
  return page;
}

describe('session columns and timeline (gallery fixtures)', () => {
  it('show who waits for what, and on whom', async () => {
    const page = await openScene('deadlock-waiting');
    const states = page.getByTestId('session-state');
    await expect(states.nth(0).textContent()).resolves.toBe(
      'waitingfor ShareLock on transaction 746, blocked by session B',
    );
    await expect(states.nth(1).textContent()).resolves.toBe(
      'waitingfor ShareLock on transaction 745, blocked by session A',
    );
    await expect(page.locator('.timeline-wait').count()).resolves.toBe(2);
    await page.screenshot({ path: join(screenshotDir, 'gallery-deadlock-waiting-1280x720.png') });
    await page.close();
  });

  it('show the deadlock as psql does, with the SQLSTATE, and A’s completed UPDATE', async () => {
    const page = await openScene('deadlock-end');
    const sessionB = page.locator('[data-session="B"]');
    const error = sessionB.locator('.psql-error').last();
    const text = await error.locator('pre').textContent();
    expect(text).toContain('ERROR:  deadlock detected\n');
    expect(text).toContain(
      'DETAIL:  Process 2001 waits for ShareLock on transaction 746; blocked by process 2002.\n',
    );
    expect(text).toContain('HINT:  See server log for query details.\n');
    expect(text).toContain('CONTEXT:  while updating tuple (0,1) in relation "accounts"');
    await expect(error.locator('.sqlstate').textContent()).resolves.toBe('SQLSTATE 40P01');
    await expect(sessionB.getByTestId('session-state').textContent()).resolves.toContain('aborted');
    const tagsOfA = await page.locator('[data-session="A"]').getByTestId('command-tag').allTextContents();
    expect(tagsOfA).toEqual(['BEGIN', 'UPDATE 1', 'UPDATE 1']);
    await expect(page.locator('.timeline-mark[data-kind="deadlock"]').count()).resolves.toBe(1);
    await page.screenshot({ path: join(screenshotDir, 'gallery-deadlock-end-1280x720.png') });
    await page.close();
  });

  it('select a statement’s output by clicking its block on the timeline', async () => {
    const page = await openScene('deadlock-end');
    await page.locator('.timeline-block[data-state="ok"]').first().click();
    await expect(
      page.locator('.statement-output[data-selected]').getAttribute('data-statement'),
    ).resolves.toBe('1:0');
    await page.close();
  });

  it('show results with NULL marked, notices, and errors with position and SQLSTATE', async () => {
    const page = await openScene('outputs', { width: 1920, height: 1080 });
    const cells = await page.locator('.result-grid td').allTextContents();
    expect(cells.slice(0, 4)).toEqual(['1', 'alice', '90.00', 'NULL']);
    await expect(page.locator('.result-grid td.null').count()).resolves.toBe(3);
    await expect(page.locator('.psql-notice pre').textContent()).resolves.toBe(
      'NOTICE:  balance checked: 90\n',
    );
    await expect(page.locator('.psql-notice .sqlstate').count()).resolves.toBe(0);
    const syntax = await page.locator('[data-session="B"] .psql-error pre').textContent();
    expect(syntax).toBe('ERROR:  syntax error at or near "FORM"\nLINE 2:   FORM accounts\n          ^\n');
    const unsupported = page.locator('[data-session="C"] .psql-error');
    await expect(unsupported.locator('pre').textContent()).resolves.toBe(
      'ERROR:  cached plan must not change result type\n',
    );
    await expect(unsupported.locator('.sqlstate').textContent()).resolves.toBe('SQLSTATE 0A000');
    await page.screenshot({ path: join(screenshotDir, 'gallery-outputs-1920x1080.png') });
    await page.close();
  });

  it('read well in the dark theme too', async () => {
    const page = await openScene('deadlock-end', { width: 1280, height: 720 }, 'dark');
    await page.screenshot({ path: join(screenshotDir, 'gallery-deadlock-end-dark-1280x720.png') });
    await page.close();
  });
});
