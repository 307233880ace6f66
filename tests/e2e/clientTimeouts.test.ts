/**
 * The lesson client-timeout-phases in the production build, in a real headless Chromium: the
 * timeout-phase simulator compares pgx, lib/pq and go-sql-driver/mysql for the same program, its
 * deadline marker moves with the pointer and the keyboard, and the engine link cancels the engine
 * statement of session go (57014 from the engine) and closes the session. Screenshots go to
 * .tmp/screenshots for a person to look at.
 */
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  commandTagsOf,
  messagesOf,
  openPlayground,
  settled,
  waitForPosition,
} from './support/playgroundPage';
import { screenshotDir, useServedApp } from './support/servedApp';

const app = useServedApp();

/** What psql prints for the cancelled UPDATE (it was waiting for the row lock: PostgreSQL adds the CONTEXT). */
const canceledUpdate =
  'ERROR:  canceling statement due to user request\nCONTEXT:  while updating tuple (0,1) in relation "accounts"\n';

function column(page: Page, driver: string, row: string): Locator {
  return page.locator(`[data-testid="driver-comparison"] tr[data-row="${row}"] td[data-driver="${driver}"]`);
}

async function step(page: Page, position: string): Promise<void> {
  await page.getByRole('button', { name: 'Step ▶' }).click();
  await waitForPosition(page, position);
  await settled(page);
}

describe('lesson client-timeout-phases', () => {
  it('compares the drivers, moves the deadline, and cancels the engine statement through the engine link', async () => {
    const { page, errors } = await openPlayground(app.browser, `${app.url}?lesson=client-timeout-phases`, {
      width: 1920,
      height: 1080,
    });
    await expect(page.locator('.lesson-panel h2').textContent()).resolves.toBe(
      'A Go deadline while the UPDATE waits for a lock',
    );
    // The session that stands in for the driver's cancel on PostgreSQL is not shown.
    await expect(
      page.locator('[data-session]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-session'))),
    ).resolves.toEqual(['A', 'go']);
    const panel = page.getByTestId('client-timeouts');
    await expect(panel.isVisible()).resolves.toBe(true);

    // The same program, the same deadline: what each driver's caller gets.
    await expect(column(page, 'pgx-stdlib', 'error').getByTestId('go-error').textContent()).resolves.toBe(
      'timeout: context deadline exceeded',
    );
    await expect(column(page, 'lib-pq', 'error').getByTestId('go-error').textContent()).resolves.toBe(
      'pq: canceling statement due to user request',
    );
    await expect(column(page, 'mysql', 'error').getByTestId('go-error').textContent()).resolves.toBe(
      'context deadline exceeded',
    );
    await expect(column(page, 'pgx-stdlib', 'errorsIs').textContent()).resolves.toBe('true');
    await expect(column(page, 'lib-pq', 'errorsIs').textContent()).resolves.toBe('false');
    await expect(column(page, 'mysql', 'errorsIs').textContent()).resolves.toBe('true');
    await expect(page.locator('tr[data-row="errorsIs"]').getAttribute('data-differs')).resolves.toBe('true');
    await expect(
      column(page, 'pgx-stdlib', 'server').getByTestId('server-reach').allTextContents(),
    ).resolves.toEqual(['CancelRequest', 'Terminate']);
    await expect(
      column(page, 'mysql', 'server').getByTestId('server-reach').allTextContents(),
    ).resolves.toEqual(['socket close']);
    await expect(
      column(page, 'mysql', 'transaction').getByTestId('transaction-fate').textContent(),
    ).resolves.toBe('statement keeps running');
    await expect(column(page, 'mysql', 'transaction').textContent()).resolves.toContain(
      'The server keeps running the statement',
    );
    await expect(column(page, 'pgx-stdlib', 'connection').textContent()).resolves.toContain(
      'dropped at next checkout',
    );
    await expect(column(page, 'lib-pq', 'connection').textContent()).resolves.toContain(
      'Marked invalid and discarded',
    );
    // Citations and the myths these drivers contradict.
    await expect(column(page, 'lib-pq', 'sources').textContent()).resolves.toContain(
      'lib/pq conn.go / conn_go18.go watchCancel',
    );
    await expect(panel.locator('[data-myth="mysql-kills-query"]').textContent()).resolves.toContain(
      'KILL QUERY',
    );
    await expect(panel.locator('[data-myth="lib-pq-leaves-query-running"]').count()).resolves.toBe(1);

    // The deadline marker: dragged past the lock's release, no deadline fires; the keyboard moves it back.
    const handle = page.getByTestId('deadline-handle');
    await expect(handle.getAttribute('aria-valuenow')).resolves.toBe('100');
    const axis = await page.locator('.ct-axis').boundingBox();
    const extent = Number(await handle.getAttribute('aria-valuemax'));
    const grip = await handle.boundingBox();
    if (!axis || !grip) throw new Error('the timeline is not laid out');
    await page.mouse.move(grip.x + grip.width / 2, grip.y + grip.height / 2);
    await page.mouse.down();
    await page.mouse.move(axis.x + (axis.width * 450) / extent, grip.y + grip.height / 2, { steps: 8 });
    await page.mouse.up();
    const dragged = Number(await handle.getAttribute('aria-valuenow'));
    expect(dragged).toBeGreaterThan(420);
    await expect(column(page, 'pgx-stdlib', 'phase').textContent()).resolves.toContain('No deadline fired');
    await page.screenshot({ path: join(screenshotDir, 'client-timeouts-dragged-1920x1080.png') });
    await page.locator('[aria-label^="ctx deadline of goroutine app, in ms"]').fill('101');
    await handle.focus();
    await page.keyboard.press('ArrowLeft');
    await expect(handle.getAttribute('aria-valuenow')).resolves.toBe('100');
    await expect(column(page, 'pgx-stdlib', 'phase').textContent()).resolves.toContain('query in flight');

    // The lesson: A locks the row, go's UPDATE waits, the deadline fires on the engine's clock.
    await step(page, 'step 1 of 5');
    await step(page, 'step 2 of 5');
    await expect(page.locator('[data-session="go"] .session-status-row').textContent()).resolves.toContain(
      'waiting',
    );
    await expect(page.getByTestId('engine-link').textContent()).resolves.toContain('CancelRequest');
    await step(page, 'step 3 of 5');
    // The 57014 comes from the engine: in session go's column, in the link's report and on the timeline.
    await expect(messagesOf(page, 'go')).resolves.toEqual([canceledUpdate]);
    await expect(page.locator('[data-session="go"] .psql-error .sqlstate').textContent()).resolves.toBe(
      'SQLSTATE 57014',
    );
    await expect(page.locator('[data-session="go"] .session-unavailable').textContent()).resolves.toBe(
      'Not connected',
    );
    const seen = await page.getByTestId('engine-observations').locator('li').allTextContents();
    expect(seen.join('\n')).toMatch(/108 ms .*cancel \(user request\)/);
    expect(seen.join('\n')).toMatch(/57014 ERROR: canceling statement due to user request/);
    expect(seen.join('\n')).toMatch(/112 ms .*session closed/);
    // Two marks 4 ms apart on pgx's server lane: one text for both, the second keeps its glyph.
    await expect(
      page.locator('[data-driver="pgx-stdlib"] .ct-engine-mark').allTextContents(),
    ).resolves.toEqual(['◆engine: 57014 · session closed', '◆']);
    // The comparison at the top of the dock: the errors, errors.Is, what reached the server.
    await page.getByTestId('driver-comparison').evaluate((table) => table.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(screenshotDir, 'client-timeouts-lesson-1920x1080.png') });

    await page.getByRole('button', { name: 'Run to end' }).click();
    await waitForPosition(page, 'step 5 of 5');
    await settled(page);
    await expect(commandTagsOf(page, 'A')).resolves.toEqual(['BEGIN', 'UPDATE 1', 'COMMIT', 'SELECT 1']);
    await expect(
      page.locator('[data-session="A"] .result-grid').last().locator('td').allTextContents(),
    ).resolves.toEqual(['101']);

    // Back replays the log: the cancel and the disconnect are intents like any other.
    await page.getByRole('button', { name: '◀ Back' }).click();
    await page.getByRole('button', { name: '◀ Back' }).click();
    await waitForPosition(page, 'step 3 of 5');
    await settled(page);
    await expect(messagesOf(page, 'go')).resolves.toEqual([canceledUpdate]);

    await page.getByRole('button', { name: 'Dark' }).click();
    await page.screenshot({ path: join(screenshotDir, 'client-timeouts-lesson-dark-1920x1080.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('lib/pq on the engine gets the same cancel; one driver alone shows its own timeline', async () => {
    const { page, errors } = await openPlayground(app.browser, `${app.url}?lesson=client-timeout-phases`, {
      width: 1280,
      height: 720,
    });
    await page.getByRole('combobox', { name: 'Driver played on the engine' }).selectOption('lib-pq');
    await page.getByRole('group', { name: 'Driver' }).getByRole('button', { name: 'lib/pq' }).click();
    await expect(
      page.locator('[data-testid="driver-comparison"] thead th[data-driver]').count(),
    ).resolves.toBe(1);
    await page.getByRole('button', { name: 'Run to end' }).click();
    await waitForPosition(page, 'step 5 of 5');
    await settled(page);
    await expect(messagesOf(page, 'go')).resolves.toEqual([canceledUpdate]);
    await expect(
      page.locator('[data-session="A"] .result-grid').last().locator('td').allTextContents(),
    ).resolves.toEqual(['101']);
    await page.screenshot({ path: join(screenshotDir, 'client-timeouts-lib-pq-1280x720.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
