/**
 * Lessons in the production build, in a real headless Chromium: opened by URL, stepped and run to
 * the end on the engine in the worker. Screenshots go to .tmp/screenshots for a person to look at.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  commandTagsOf,
  messagesOf,
  openPlayground,
  settled,
  waitForPosition,
} from './support/playgroundPage';
import { screenshotDir, useServedApp } from './support/servedApp';

/** A loaded test machine must not trip the runaway guard (tests/e2e/runawayQuery.test.ts tests it). */
const patient = '&runaway=120';

const app = useServedApp();

describe('lessons', () => {
  it('for-update-deadlock: run to the end, one session gets the deadlock error, the other’s UPDATEs complete', async () => {
    for (const viewport of [
      { width: 1280, height: 720 },
      { width: 1920, height: 1080 },
    ]) {
      const { page, errors } = await openPlayground(
        app.browser,
        `${app.url}?lesson=for-update-deadlock${patient}`,
        viewport,
      );
      await expect(page.locator('.lesson-panel h2').textContent()).resolves.toBe(
        'Deadlock: locking rows in opposite order',
      );
      await expect(page.locator('.step-position').textContent()).resolves.toBe('step 0 of 11');
      // Step to the deadlock: six steps, then virtual time passes to A's deadlock check.
      for (let step = 0; step < 6; step++) await page.getByRole('button', { name: 'Step ▶' }).click();
      await waitForPosition(page, 'step 6 of 11');
      await expect(page.getByTestId('lesson-time').textContent()).resolves.toContain('t = 1 s');
      await page.getByRole('button', { name: /Let time pass/ }).click();
      await settled(page);
      await expect(page.getByTestId('virtual-time').textContent()).resolves.toBe('t = 1 s');
      await expect(page.locator('.timeline-mark[data-kind="deadlock"]').count()).resolves.toBe(1);
      await page.screenshot({
        path: join(screenshotDir, `lesson-deadlock-${viewport.width}x${viewport.height}.png`),
      });

      await page.getByRole('button', { name: 'Run to end' }).click();
      await waitForPosition(page, 'step 11 of 11');
      await settled(page);
      const [error] = await messagesOf(page, 'A');
      expect(error).toMatch(/^ERROR: {2}deadlock detected\n/);
      expect(error).toMatch(
        /\nDETAIL: {2}Process 4201 waits for ShareLock on transaction \d+; blocked by process 4202\.\nProcess 4202 waits for ShareLock on transaction \d+; blocked by process 4201\.\n/,
      );
      await expect(page.locator('[data-session="A"] .psql-error .sqlstate').textContent()).resolves.toBe(
        'SQLSTATE 40P01',
      );
      await expect(commandTagsOf(page, 'A')).resolves.toEqual(['BEGIN', 'SELECT 1', 'ROLLBACK']);
      await expect(commandTagsOf(page, 'B')).resolves.toEqual([
        'BEGIN',
        'SET',
        'SELECT 1',
        'SELECT 1',
        'UPDATE 1',
        'UPDATE 1',
        'COMMIT',
        'SELECT 2',
      ]);
      await expect(messagesOf(page, 'B')).resolves.toEqual([]);
      await expect(
        page.locator('[data-session="B"] .result-grid').last().locator('td').allTextContents(),
      ).resolves.toEqual(['1', '120', '2', '80']);
      await page.screenshot({
        path: join(screenshotDir, `lesson-deadlock-end-${viewport.width}x${viewport.height}.png`),
      });
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it('prepared-statement-staleness: EXECUTE after ALTER TABLE fails with 0A000', async () => {
    for (const viewport of [
      { width: 1280, height: 720 },
      { width: 1920, height: 1080 },
    ]) {
      const { page, errors } = await openPlayground(
        app.browser,
        `${app.url}?lesson=prepared-statement-staleness${patient}`,
        viewport,
      );
      for (let step = 0; step < 4; step++) await page.getByRole('button', { name: 'Step ▶' }).click();
      await waitForPosition(page, 'step 4 of 6');
      await settled(page);
      await expect(messagesOf(page, 'A')).resolves.toEqual([
        'ERROR:  cached plan must not change result type\n',
      ]);
      await expect(page.locator('[data-session="A"] .psql-error .sqlstate').textContent()).resolves.toBe(
        'SQLSTATE 0A000',
      );
      await expect(commandTagsOf(page, 'B')).resolves.toEqual(['ALTER TABLE']);
      await page.screenshot({
        path: join(screenshotDir, `lesson-prepared-statement-${viewport.width}x${viewport.height}.png`),
      });
      await page.getByRole('button', { name: 'Run to end' }).click();
      await waitForPosition(page, 'step 6 of 6');
      await settled(page);
      await expect(
        page.locator('[data-session="A"] .result-grid').last().locator('th').allTextContents(),
      ).resolves.toEqual(['id', 'owner', 'balance', 'currency']);
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it('steps back by replaying: the state before the last step, again', async () => {
    const { page } = await openPlayground(app.browser, `${app.url}?lesson=rc-vs-rr${patient}`);
    for (let step = 0; step < 4; step++) await page.getByRole('button', { name: 'Step ▶' }).click();
    await waitForPosition(page, 'step 4 of 5');
    await settled(page);
    const gridOf = () => page.locator('[data-session="A"] .result-grid td').allTextContents();
    await expect(gridOf()).resolves.toEqual(['100', '70']);
    await page.getByRole('button', { name: '◀ Back' }).click();
    await waitForPosition(page, 'step 3 of 5');
    await settled(page);
    await expect(gridOf()).resolves.toEqual(['100']);
    await page.keyboard.press('PageDown');
    await waitForPosition(page, 'step 4 of 5');
    await settled(page);
    await expect(gridOf()).resolves.toEqual(['100', '70']);
    await page.close();
  });

  it('says so when the lesson in the address does not exist, and lists the lessons', async () => {
    const { page } = await openPlayground(app.browser, `${app.url}?lesson=no-such-lesson${patient}`);
    const panel = page.locator('.unknown-lesson');
    await expect(panel.locator('h2').textContent()).resolves.toBe('There is no lesson “no-such-lesson”.');
    await expect(panel.locator('.lesson-list a').allTextContents()).resolves.toEqual(
      expect.arrayContaining([
        'READ COMMITTED vs REPEATABLE READ',
        'Lost updates',
        'Deadlock: locking rows in opposite order',
      ]),
    );
    await panel.getByRole('link', { name: 'Lost updates' }).click();
    await settled(page);
    await expect(page.locator('.lesson-panel h2').textContent()).resolves.toBe('Lost updates');
    expect(new URL(page.url()).search).toBe('?runaway=120&lesson=lost-update');
    await page.close();
  });
});
