// Shared browser plumbing for the end-to-end tests: Debian's Chromium driven by playwright-core,
// console-error collection, screenshots at two sizes, and the layout checks every page must pass.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach } from 'node:test';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
export const ADMIN_USERNAME = process.env.ADMIN_USERNAME || 'admin';
export const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD || '';
export const SHOTS = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');
mkdirSync(SHOTS, { recursive: true });

/**
 * Every page a test opened is checked after each test, whether or not the test asked: any
 * console error, uncaught exception or WASM panic (which surfaces as both) fails the test that
 * caused it. A test that provokes an HTTP error on purpose declares it (`expectHttpError`).
 */
const openPages = new Set();
const fromClosedPages = [];
afterEach(() => {
  const found = fromClosedPages.splice(0);
  for (const page of openPages) found.push(...page.consoleErrors.splice(0));
  assert.deepEqual(found, [], `console or page errors during this test:\n${found.join('\n')}`);
});

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };
export const NARROW = { width: 360, height: 740 };

/** Launches Chromium. Playwright gives every launch a fresh temporary user-data dir. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * A fresh context (no cookies, no storage) and page that records console errors and uncaught
 * exceptions. Responses the test provoked on purpose (a wrong password → 401) are declared with
 * `page.expectHttpError(status)` so the browser's "Failed to load resource" line is not counted.
 */
export async function openPage(browser, { viewport = DESKTOP, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ viewport, colorScheme, locale: 'ar', baseURL: BASE_URL });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE_URL });
  const page = await context.newPage();
  const errors = [];
  const allowed = new Map();
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    const m = /Failed to load resource: the server responded with a status of (\d{3})/.exec(text);
    if (m && allowed.get(m[1]) > 0) {
      allowed.set(m[1], allowed.get(m[1]) - 1);
      return;
    }
    errors.push(`console: ${text} (${msg.location().url || 'no url'})`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.expectHttpError = (status) => allowed.set(String(status), (allowed.get(String(status)) || 0) + 1);
  page.consoleErrors = errors;
  openPages.add(page);
  page.on('close', () => {
    openPages.delete(page);
    fromClosedPages.push(...errors.splice(0));
  });
  return { context, page };
}

/** Waits for the app to be mounted and idle (splash gone, no skeletons). */
export async function settle(page) {
  await page.waitForSelector('header.topbar', { state: 'visible' });
  await page.waitForFunction(() => !document.getElementById('boot'));
  // Pages are lazy routes: the content arrives with the page's WASM module.
  await page.waitForFunction(() => document.getElementById('main')?.children.length > 0);
  await page.waitForFunction(() => !document.querySelector('.skeleton-card, .pill-skeleton'));
  // Let web fonts land so screenshots show Cairo, not the fallback.
  await page.evaluate(() => document.fonts.ready);
}

export async function assertShell(page) {
  const attrs = await page.evaluate(() => ({
    dir: document.documentElement.getAttribute('dir'),
    lang: document.documentElement.getAttribute('lang'),
  }));
  assert.deepEqual(attrs, { dir: 'rtl', lang: 'ar' }, '<html dir="rtl" lang="ar">');
}

export function assertNoConsoleErrors(page) {
  assert.deepEqual(page.consoleErrors, [], `console errors:\n${page.consoleErrors.join('\n')}`);
}

/**
 * Screenshots at 1280×800 and 390×844 (full page), a horizontal-overflow check at 360 px, and the
 * <html dir/lang> check; the viewport is restored afterwards.
 */
export async function capture(page, name) {
  const original = page.viewportSize();
  await assertShell(page);
  await shoot(page, DESKTOP, `${name}-1280.png`);
  await shoot(page, PHONE, `${name}-390.png`);
  await page.setViewportSize(NARROW);
  await page.waitForTimeout(50);
  const overflow = await page.evaluate(() => {
    const el = document.scrollingElement;
    return { scrollWidth: el.scrollWidth, clientWidth: el.clientWidth };
  });
  assert.ok(
    overflow.scrollWidth <= overflow.clientWidth,
    `${name}: horizontal overflow at 360px (${overflow.scrollWidth} > ${overflow.clientWidth})`,
  );
  if (original) await page.setViewportSize(original);
}

/**
 * A whole-page screenshot at `size`. Instead of Playwright's fullPage stitching (which paints the
 * sticky header and the fixed phone tab bar wherever the page was scrolled), the viewport is made
 * as tall as the page, so both sit where a person would see them.
 */
async function shoot(page, size, file) {
  await page.setViewportSize(size);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.evaluate(() => document.fonts.ready);
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: size.width, height: Math.max(size.height, height) });
  await page.screenshot({ path: join(SHOTS, file), animations: 'disabled' });
  await page.setViewportSize(size);
}

export function writeMetrics(name, data) {
  writeFileSync(join(SHOTS, `${name}.json`), JSON.stringify(data, null, 2));
}

/** Adds `data`'s keys to `${name}.json`, keeping what other tests wrote there. */
export function mergeMetrics(name, data) {
  let current = {};
  try {
    current = JSON.parse(readFileSync(join(SHOTS, `${name}.json`), 'utf8'));
  } catch {
    // Not written yet (this test ran alone).
  }
  writeMetrics(name, { ...current, ...data });
}

/** A unique, valid username (letters, digits, underscore; starts with a letter). */
export function uniqueName(prefix = 'sara') {
  return `${prefix}_${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`.slice(0, 30);
}

export async function signIn(page, login, password) {
  await page.goto('/login');
  await settle(page);
  await page.fill('#f-login', login);
  await page.fill('#f-password', password);
  await page.click('form[data-testid="login-form"] button[type="submit"]');
}

export async function signOut(page) {
  await page.click('[data-testid="user-menu"]');
  await page.click('[data-testid="logout"]');
  await page.waitForURL('**/login');
  await settle(page);
}

/**
 * A call to the API outside the browser (fixtures, and checking what the server holds).
 * `ip` sets X-Forwarded-For (the test server trusts the loopback proxy), `key` an
 * Idempotency-Key. Answers { status, json, retryAfter }.
 */
export async function api(path, { method = 'GET', token, body, ip, key, headers = {} } = {}) {
  const resp = await fetch(`${BASE_URL}/api/v1${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(ip ? { 'x-forwarded-for': ip } : {}),
      ...(key ? { 'idempotency-key': key } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await resp.text();
  return {
    status: resp.status,
    json: text ? JSON.parse(text) : null,
    retryAfter: Number(resp.headers.get('retry-after') || 0),
  };
}

/** The seeded admin's access token. */
export async function adminToken() {
  const login = await api('/auth/login', { method: 'POST', body: { login: ADMIN_USERNAME, password: ADMIN_PASSWORD } });
  if (login.status !== 200) throw new Error(`admin sign-in: ${login.status} ${JSON.stringify(login.json)}`);
  return login.json.access_token;
}
