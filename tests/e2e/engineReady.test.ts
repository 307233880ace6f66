/**
 * The production build in a real headless Chromium: the engine worker starts the engine (PGlite and
 * the transaction manager) from the build's own assets, the page announces readiness, and inside an
 * iframe it tells its parent.
 */
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPlayground, settled, typeInto } from './support/playgroundPage';
import { screenshotDir, useServedApp } from './support/servedApp';

const app = useServedApp();

/** A fresh page that records every request leaving the given origins (there must be none). */
async function openPage(allowedOrigins: string[]): Promise<{ page: Page; foreignRequests: string[] }> {
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const foreignRequests: string[] = [];
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith('data:') && !allowedOrigins.some((origin) => url.startsWith(origin))) {
      foreignRequests.push(url);
    }
  });
  return { page, foreignRequests };
}

describe('the production build', () => {
  it('starts the engine in the worker and announces data-engine="ready"', async () => {
    const { page, foreignRequests } = await openPage([app.url]);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(app.url);
    await page.waitForFunction(() => document.documentElement.dataset.engine === 'ready', undefined, {
      timeout: 60_000,
    });
    await expect(page.getByTestId('engine-status').textContent()).resolves.toMatch(/^PostgreSQL 18\.\d+/);
    await page.screenshot({ path: join(screenshotDir, 'engine-ready-1280x720.png') });
    expect(errors).toEqual([]);
    expect(foreignRequests).toEqual([]);
    await page.close();
  });

  it('runs PostgreSQL with the configuration initdb wrote, changed only where the README says', async () => {
    const { page, errors } = await openPlayground(app.browser, app.url);
    await typeInto(
      page,
      'A',
      'SHOW shared_buffers;\nSHOW wal_segment_size;\nSHOW default_text_search_config;\nSHOW TimeZone;\nSHOW lc_messages;',
    );
    await page.locator('[data-session="A"]').getByRole('button', { name: 'Run all' }).click();
    await settled(page);
    // The data directory made at build time: its postgresql.conf is initdb's, its
    // postgresql.auto.conf sets shared_buffers (src/ui/worker/pgliteServerSettings.ts).
    await expect(page.locator('[data-session="A"] .result-grid td').allTextContents()).resolves.toEqual([
      '16MB',
      '1MB',
      'pg_catalog.english',
      'UTC',
      'C',
    ]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('keeps working offline once loaded, and keeps what was typed across a reload', async () => {
    const { page } = await openPage([app.url]);
    await page.goto(app.url);
    await page.waitForFunction(() => document.documentElement.dataset.engine === 'ready', undefined, {
      timeout: 60_000,
    });
    await page.context().setOffline(true);
    const failed: string[] = [];
    page.on('requestfailed', (request) => failed.push(request.url()));
    await page.locator('[data-session="A"] .monaco-editor .view-lines').click();
    await page.keyboard.type('SELECT 42;');
    await page.locator('[data-session="B"] .monaco-editor .view-lines').click();
    await page.keyboard.type('-- typed offline');
    await page.getByRole('tab', { name: 'Setup SQL' }).click();
    await page.waitForTimeout(500);
    expect(failed).toEqual([]);

    await page.context().setOffline(false);
    await page.reload();
    const linesOf = (session: string) => page.locator(`[data-session="${session}"] .view-lines`);
    // Wait for the editor to exist and show text (an absent editor must not count as ready).
    await page.waitForFunction(() => {
      const line = document.querySelector('[data-session="A"] .view-line');
      return line !== null && (line.textContent ?? '') !== '';
    });
    // Monaco renders spaces as no-break spaces.
    const text = async (session: string) => (await linesOf(session).innerText()).replace(/\u00a0/g, ' ');
    await expect(text('A')).resolves.toContain('SELECT 42;');
    await expect(text('B')).resolves.toContain('-- typed offline');
    await page.close();
  });

  it('highlights the statement at the cursor, split by PostgreSQL’s own parser in the page', async () => {
    const { page, foreignRequests } = await openPage([app.url]);
    await page.goto(app.url);
    await page.waitForFunction(() => document.documentElement.dataset.engine === 'ready', undefined, {
      timeout: 60_000,
    });
    await page.locator('[data-session="A"] .monaco-editor .view-lines').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type("SELECT 'a;b';\nUPDATE t SET v = 1\n  WHERE id = 2;");
    const highlighted = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('[data-session="A"] .view-line')]
          .map((line) =>
            [...line.querySelectorAll('.current-statement')].map((span) => span.textContent).join(''),
          )
          .filter((text) => text !== '')
          .join('\n')
          .replace(/\u00a0/g, ' '),
      );
    await expect.poll(highlighted, { timeout: 20_000 }).toBe('UPDATE t SET v = 1\n  WHERE id = 2;');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await expect.poll(highlighted, { timeout: 10_000 }).toBe("SELECT 'a;b';");
    await page.screenshot({ path: join(screenshotDir, 'app-statement-at-cursor-1280x720.png') });
    expect(foreignRequests).toEqual([]);
    await page.close();
  });

  it('inside an iframe, posts { type: "ready" } to the parent window', async () => {
    // The embedding page lives on another origin, as a documentation site would.
    const docs = await serveEmbeddingPage(app.url);
    try {
      const { page, foreignRequests } = await openPage([app.url, docs.url]);
      await page.goto(docs.url);
      const message = await page.evaluate(
        () => (window as unknown as { readyMessage: Promise<unknown> }).readyMessage,
      );
      expect(message).toEqual({ type: 'ready' });
      expect(foreignRequests).toEqual([]);
      await page.close();
    } finally {
      await docs.close();
    }
  });
});

async function serveEmbeddingPage(appUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const html = `<!doctype html><title>Docs page</title>
<script>
  window.readyMessage = new Promise((resolve) =>
    window.addEventListener('message', (event) => { if (event.source === document.querySelector('iframe').contentWindow) resolve(event.data); }));
</script>
<iframe src="${appUrl}" width="1200" height="700"></iframe>`;
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' }).end(html);
  });
  await new Promise<void>((done) => server.listen(0, 'localhost', done));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://localhost:${address.port}/`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
