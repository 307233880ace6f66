/**
 * Driving the playground page in the end-to-end tests: open it and wait for the engine, type into a
 * session's editor, read what a session shows.
 */
import type { Browser, Page } from 'playwright-core';

export interface OpenedPage {
  page: Page;
  /** Uncaught errors in the page. */
  errors: string[];
}

export async function openPlayground(
  browser: Browser,
  url: string,
  viewport = { width: 1280, height: 720 },
): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  await page.waitForFunction(() => document.documentElement.dataset.engine === 'ready', undefined, {
    timeout: 90_000,
  });
  await page.evaluate(() => document.fonts.ready);
  return { page, errors };
}

/** Replaces the text of a session's editor. */
export async function typeInto(page: Page, session: string, text: string): Promise<void> {
  await page.locator(`[data-session="${session}"] .monaco-editor .view-lines`).click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/** The psql-style text of a session's errors and notices, in order. */
export function messagesOf(page: Page, session: string): Promise<string[]> {
  return page.locator(`[data-session="${session}"] .psql-message pre`).allTextContents();
}

export function commandTagsOf(page: Page, session: string): Promise<string[]> {
  return page.locator(`[data-session="${session}"]`).getByTestId('command-tag').allTextContents();
}

/** Waits until no action is running or queued (the Step button is enabled again or the scenario ended). */
export async function waitForPosition(page: Page, text: string): Promise<void> {
  await page.locator('.step-position', { hasText: text }).waitFor({ timeout: 60_000 });
}

/** Waits until the playground has run every action sent so far. */
export async function settled(page: Page): Promise<void> {
  await page.locator('.app[data-working="false"]').waitFor({ timeout: 60_000 });
}
