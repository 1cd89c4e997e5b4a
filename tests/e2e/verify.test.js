// Email verification and data rights through the SPA (issue 15, items 3 and 7): with the
// setting on, a new account sees the banner, asks for a link, reads it from the real SMTP sink
// and verifies; then it downloads its data file and deletes the account from «بياناتي».
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  ADMIN_PASSWORD, ADMIN_USERNAME, BASE_URL, PHONE, assertNoConsoleErrors, capture, launch,
  openPage, settle, signIn, uniqueName, api,
} from './helpers.js';

const SMTP_DIR = process.env.SMTP_DIR || '';


/** The messages of `kind` (by subject) the SMTP sink received for `to`, oldest first. */
function mailsTo(to, subject) {
  let files = [];
  try {
    files = readdirSync(SMTP_DIR).filter((f) => f.endsWith('.json')).sort();
  } catch { /* not created yet */ }
  return files
    .map((f) => JSON.parse(readFileSync(join(SMTP_DIR, f), 'utf8')))
    .filter((m) => m.rcpt_tos.includes(to) && m.subject === subject);
}

/** Waits until the sink holds more than `count` such messages; returns the newest. */
async function nextMail(to, subject, count) {
  for (let i = 0; i < 150; i++) {
    const found = mailsTo(to, subject);
    if (found.length > count) return found[found.length - 1];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no new "${subject}" email to ${to} reached the SMTP sink`);
}

const SUBJECT = 'أكّد بريدك الإلكتروني في مسابقاتي';

async function setVerification(on) {
  const root = await api('/auth/login', { method: 'POST', body: { login: ADMIN_USERNAME, password: ADMIN_PASSWORD } });
  assert.equal(root.status, 200);
  const res = await api('/admin/settings', {
    method: 'PUT', token: root.json.access_token, body: { email_verification_required: on },
  });
  assert.equal(res.status, 200, JSON.stringify(res.json));
}

describe('email verification and «بياناتي»', () => {
  let browser;
  let context;
  let page;
  const username = uniqueName('salma');
  const email = `${username}@example.com`;
  const password = 'salma-secret-123';

  before(async () => {
    assert.ok(SMTP_DIR, 'SMTP_DIR must be set (scripts/e2e.sh does it)');
    browser = await launch();
    await setVerification(true);
    const reg = await api('/auth/register', {
      method: 'POST', body: { username, email, password, display_name: 'سلمى' },
    });
    assert.equal(reg.status, 201);
    ({ context, page } = await openPage(browser, { viewport: PHONE }));
  });
  after(async () => {
    // The other browser tests share this server: the setting goes back to its default.
    await setVerification(false);
    await context?.close();
    await browser?.close();
  });

  test('the banner asks for a link, the emailed link verifies, the banner goes', async () => {
    // Registration with the setting on sent the first link.
    const first = await nextMail(email, SUBJECT, 0);
    assert.match(first.html, /dir="rtl"/);
    await signIn(page, username, password);
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await settle(page);
    await page.waitForSelector('[data-testid="verify-banner"]');
    assert.match(await page.locator('[data-testid="verify-banner"]').innerText(), /لم تؤكّد بريدك/);
    await capture(page, '75-verify-banner');
    const before = mailsTo(email, SUBJECT).length;
    await page.locator('[data-testid="verify-banner"] button').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="verify-banner"] .ok')?.textContent.includes('أرسلنا'));
    const mail = await nextMail(email, SUBJECT, before);
    const link = mail.text.match(/https?:\/\/\S+\/verify-email\?token=[0-9a-f]+/)[0];
    assert.ok(link.startsWith(BASE_URL), link);

    await page.goto(link);
    await settle(page);
    await page.waitForFunction(() => document.querySelector('[data-testid="verify-result"] .alert-success'));
    assert.match(await page.locator('[data-testid="verify-result"]').innerText(), /تأكّد بريدك/);
    await capture(page, '76-verify-done');
    assert.equal(await page.locator('[data-testid="verify-banner"]').count(), 0, 'the banner is gone');

    // The link is single-use: opened again, it says so in Arabic.
    page.expectHttpError(422);
    await page.goto(link);
    await settle(page);
    await page.waitForFunction(() => document.querySelector('[data-testid="verify-result"] .alert-error'));
    assert.match(await page.locator('[data-testid="verify-result"]').innerText(), /استُخدم/);
    assertNoConsoleErrors(page);
  });

  test('«بياناتي» downloads the data file and deletes the account after a typed confirmation', async () => {
    await page.goto('/profile');
    await settle(page);
    await page.locator('[data-testid="my-data"]').scrollIntoViewIfNeeded();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid="export-data"]'),
    ]);
    assert.match(download.suggestedFilename(), /^musabaqati-data-\d+-\d{8}\.json$/);
    const data = JSON.parse(readFileSync(await download.path(), 'utf8'));
    assert.equal(data.format, 'musabaqati-data-export/1');
    assert.equal(data.profile.username, username);
    assert.equal(data.profile.email_verified, true);
    await page.waitForSelector('[data-testid="my-data"] .alert-success');

    // Errors beside their cause: the typed confirmation, then the password (from the server).
    await page.fill('#f-confirm', 'someone_else');
    await page.fill('form[data-testid="delete-account-form"] #f-password', password);
    await page.click('form[data-testid="delete-account-form"] button[type="submit"]');
    await page.waitForSelector('#f-confirm-err');
    await page.fill('#f-confirm', username);
    await page.fill('form[data-testid="delete-account-form"] #f-password', 'not-the-password');
    page.expectHttpError(422);
    await page.click('form[data-testid="delete-account-form"] button[type="submit"]');
    await page.waitForSelector('form[data-testid="delete-account-form"] #f-password-err');
    assert.match(await page.locator('form[data-testid="delete-account-form"] #f-password-err').innerText(), /غير صحيحة/);
    await capture(page, '77-my-data-delete-errors');

    await page.fill('form[data-testid="delete-account-form"] #f-password', password);
    await page.click('form[data-testid="delete-account-form"] button[type="submit"]');
    await page.waitForURL('**/login');
    await settle(page);
    assert.match(await page.locator('[role="status"]').first().innerText(), /حُذف حسابك/);
    await capture(page, '78-account-deleted');
    const login = await api('/auth/login', { method: 'POST', body: { login: username, password } });
    assert.equal(login.status, 401, 'the old credentials no longer sign in');
    assertNoConsoleErrors(page);
  });
});
