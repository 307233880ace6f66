/**
 * The runaway-query guard in the production build: an endless recursive query in one session does
 * not freeze the app. Past the limit the page stops the engine's worker, starts a new one and
 * replays everything else; the other session keeps its open transaction and goes on working.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandTagsOf, messagesOf, openPlayground, settled, typeInto } from './support/playgroundPage';
import { screenshotDir, useServedApp } from './support/servedApp';

const app = useServedApp();

describe('the runaway-query guard', () => {
  it('stops an endless query after the limit; the other session keeps its transaction and works', async () => {
    const { page, errors } = await openPlayground(app.browser, `${app.url}?runaway=2`);
    await typeInto(page, 'B', 'BEGIN; UPDATE accounts SET balance = 0 WHERE id = 2;');
    await page.locator('[data-session="B"]').getByRole('button', { name: 'Run all' }).click();
    await settled(page);
    await expect(page.locator('[data-session="B"]').getByTestId('session-state').textContent()).resolves.toBe(
      'in transaction',
    );

    await typeInto(
      page,
      'A',
      'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r;',
    );
    await page.keyboard.press('ControlOrMeta+Enter');
    const notice = page.getByTestId('notice');
    await notice.waitFor({ timeout: 90_000 });
    await expect(notice.textContent()).resolves.toMatch(
      /^Session A’s statement ran for more than 2 s, so the playground stopped it: it restarted the database engine and replayed everything else\. The other sessions kept their state/,
    );
    await settled(page);
    const [stopped] = await messagesOf(page, 'A');
    expect(stopped).toMatch(
      /^ERROR: {2}canceling statement: the playground stopped it after 2 s of real time\nHINT: {2}/,
    );
    await expect(page.locator('[data-session="A"] .sqlstate').textContent()).resolves.toBe('SQLSTATE 57014');

    // B's transaction survived the restart: its uncommitted UPDATE is still there, and it commits.
    await expect(page.locator('[data-session="B"]').getByTestId('session-state').textContent()).resolves.toBe(
      'in transaction',
    );
    await typeInto(page, 'B', 'SELECT balance FROM accounts WHERE id = 2;\nCOMMIT;');
    await page.locator('[data-session="B"]').getByRole('button', { name: 'Run all' }).click();
    await settled(page);
    await expect(page.locator('[data-session="B"] .result-grid td').allTextContents()).resolves.toEqual([
      '0',
    ]);
    await expect(commandTagsOf(page, 'B')).resolves.toEqual(['BEGIN', 'UPDATE 1', 'SELECT 1', 'COMMIT']);
    await page.screenshot({ path: join(screenshotDir, 'runaway-query-1280x720.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
