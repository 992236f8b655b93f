// One console under test: the local cloud with the demo community, the console built and served on
// its own origin (as `npm start` serves it), headless Chromium that reaches nothing but 127.0.0.1,
// and a page signed in through the login screen's 模拟扫码 (the demo worker's confirmation, as the
// mini-program sends it). Each console test file starts its own harness in beforeAll.
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { startConsoleServer, type ConsoleServer } from '../../local/console-server';
import { buildConsole } from '../../scripts/build-console';
import { launchChromium } from '../../scripts/preview/browser';
import { startTestCloud } from '../helpers/local';
import type { Result } from '../../cloudfunctions/common/envelope';

export const SHOTS = path.join(__dirname, '../../docs/console');
export const WORKER = 'demo-worker';

export interface ConsoleHarness {
  cloud: LocalCloud;
  server: ConsoleServer;
  browser: Browser;
  /** A fresh browser context (its own storage, so its own login) that reaches only 127.0.0.1. */
  newContext(opts?: { acceptDownloads?: boolean }): Promise<BrowserContext>;
  /** A page of a new context, signed in as the demo worker, on the 工作台 home. */
  signedInPage(opts?: { acceptDownloads?: boolean }): Promise<{ page: Page; context: BrowserContext; errors: string[] }>;
  /** Calls a function as `openid` (the demo worker by default), throwing on an error answer. */
  as<T>(fn: string, action: string, payload?: unknown, openid?: string): Promise<T>;
  /** Writes docs/console/<name>.png (the README shows them). */
  shot(page: Page, name: string): Promise<void>;
  /** Opens a tab of the console's top navigation by its label. */
  openTab(page: Page, label: string): Promise<void>;
  close(): Promise<void>;
}

export async function startConsoleHarness(): Promise<ConsoleHarness> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-'));
  const cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  await buildConsole('local', outDir);
  const server = await startConsoleServer(cloud, { dir: outDir, scanAs: WORKER });
  const browser = await launchChromium();
  const contexts: BrowserContext[] = [];

  const newContext = async (opts: { acceptDownloads?: boolean } = {}) => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'zh-CN',
      colorScheme: 'light',
      acceptDownloads: opts.acceptDownloads ?? false,
    });
    // Only the console's origin and the local cloud: nothing leaves the machine.
    await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
    contexts.push(context);
    return context;
  };

  return {
    cloud,
    server,
    browser,
    newContext,
    async signedInPage(opts) {
      const context = await newContext(opts);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      await page.goto(server.url);
      await page.locator('.login-code').waitFor({ timeout: 30_000 });
      await page.getByText('模拟扫码').click();
      await page.locator('.home').waitFor({ timeout: 30_000 });
      return { page, context, errors };
    },
    async as<T>(fn: string, action: string, payload: unknown = {}, openid = WORKER): Promise<T> {
      const res = (await cloud.invoke(fn, { action, payload }, openid)) as Result<T>;
      if (!res.ok) throw new Error(`${fn}.${action}: ${res.error.code} ${res.error.message}`);
      return res.data;
    },
    async shot(page, name) {
      fs.mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
    },
    async openTab(page, label) {
      await page.locator('.t-tabs__nav-item').filter({ hasText: label }).first().click();
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
      await server.close();
      await cloud.close();
      fs.rmSync(outDir, { recursive: true, force: true });
    },
  };
}
