// Forgot password through the real SMTP sink (scripts/test-server.sh starts it and points the
// server at it): ask for a link in Arabic, read the email the sink received, set a new password
// with the registration rules, end up signed out everywhere and signed in with the new password.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  ADMIN_PASSWORD, ADMIN_USERNAME, BASE_URL, PHONE, assertNoConsoleErrors, assertShell, capture, launch, openPage, settle, signIn,
  uniqueName,
} from './helpers.js';

const SMTP_DIR = process.env.SMTP_DIR || '';

let browser;
before(async () => {
  assert.ok(SMTP_DIR, 'SMTP_DIR must be set (scripts/e2e.sh does it)');
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The newest message the SMTP sink received for `to`, waiting up to 15 s. */
async function mailTo(to) {
  for (let i = 0; i < 150; i++) {
    let files = [];
    try {
      files = readdirSync(SMTP_DIR).filter((f) => f.endsWith('.json')).sort();
    } catch { /* not created yet */ }
    const found = files
      .map((f) => JSON.parse(readFileSync(join(SMTP_DIR, f), 'utf8')))
      .filter((m) => m.rcpt_tos.includes(to));
    if (found.length) return found[found.length - 1];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no email to ${to} reached the SMTP sink`);
}

test('forgot password: the emailed link sets a new password and signs out everywhere', async () => {
  const username = uniqueName('reem');
  const email = `${username}@example.com`;
  const res = await fetch(`${BASE_URL}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, email, password: 'old-secret-123', display_name: 'ريم' }),
  });
  assert.equal(res.status, 201);

  const { context, page } = await openPage(browser, { viewport: PHONE });
  await page.goto('/login');
  await settle(page);
  await page.click('[data-testid="forgot-link"]');
  await page.waitForURL('**/forgot-password');
  await settle(page);
  await assertShell(page);
  // Client-side validation first, in Arabic beside the field.
  await page.click('form[data-testid="forgot-form"] button[type="submit"]');
  await page.waitForSelector('#f-email-err');
  await capture(page, '60-forgot-password');
  await page.fill('#f-email', email);
  await page.click('form[data-testid="forgot-form"] button[type="submit"]');
  await page.waitForSelector('[data-testid="forgot-sent"]');
  assert.match(await page.locator('[data-testid="forgot-sent"]').innerText(), /إذا كان هذا البريد مسجّلًا/);
  await capture(page, '61-forgot-password-sent');

  const mail = await mailTo(email);
  assert.equal(mail.subject, 'إعادة تعيين كلمة المرور في مسابقاتي');
  assert.match(mail.html, /dir="rtl"/);
  const link = mail.text.match(/https?:\/\/\S+\/reset-password\?token=[0-9a-f]+/)[0];
  assert.ok(link.startsWith(BASE_URL), link);

  await page.goto(link);
  await settle(page);
  await assertShell(page);
  // The registration rules: too short, then a mismatch, each beside its field.
  await page.fill('#f-new_password', 'short');
  await page.click('form[data-testid="reset-form"] button[type="submit"]');
  await page.waitForSelector('#f-new_password-err');
  await page.fill('#f-new_password', 'a-new-long-secret');
  await page.fill('#f-confirm_password', 'something-else-1');
  await page.click('form[data-testid="reset-form"] button[type="submit"]');
  await page.waitForSelector('#f-confirm_password-err');
  await capture(page, '62-reset-password-errors');
  await page.fill('#f-confirm_password', 'a-new-long-secret');
  await page.click('form[data-testid="reset-form"] button[type="submit"]');
  await page.waitForURL('**/login');
  await settle(page);
  assert.match(await page.locator('.notice, [role="status"]').first().innerText(), /عُيّنت كلمة المرور الجديدة/);
  await capture(page, '63-reset-done');

  // The same link again is refused with an Arabic message.
  await page.goto(link);
  await settle(page);
  page.expectHttpError(422);
  await page.fill('#f-new_password', 'another-long-secret');
  await page.fill('#f-confirm_password', 'another-long-secret');
  await page.click('form[data-testid="reset-form"] button[type="submit"]');
  await page.waitForSelector('[role="alert"]');
  assert.match(await page.locator('[role="alert"]').first().innerText(), /استُخدم/);

  await signIn(page, username, 'a-new-long-secret');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await settle(page);
  assertNoConsoleErrors(page);
  await context.close();
});

// With no mail server (the `make run` case): an admin issues a one-time link from the user's
// page, hands it over, and the user sets a new password through it.
test('an admin-issued reset link sets a new password without any email', async () => {
  const username = uniqueName('hala');
  const email = `${username}@example.com`;
  const reg = await fetch(`${BASE_URL}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, email, password: 'the-forgotten-secret', display_name: 'هالة' }),
  });
  assert.equal(reg.status, 201);
  const userId = (await reg.json()).user.id;

  const { context, page } = await openPage(browser);
  await signIn(page, ADMIN_USERNAME, ADMIN_PASSWORD);
  await page.waitForSelector('[data-testid="balance"]');
  await page.goto(`/admin?tab=users&user=${userId}`);
  await page.click('[data-testid="reset-link-open"]');
  await page.waitForSelector('form[data-testid="reset-link-form"]');
  await page.fill('form[data-testid="reset-link-form"] textarea', 'طلبت هالة رابطًا بالهاتف بعد التحقق من هويتها');
  await page.click('form[data-testid="reset-link-form"] button[type="submit"]');
  const shown = page.locator('[data-testid="reset-link"]');
  await shown.waitFor();
  const link = (await shown.innerText()).trim();
  assert.match(link, /\/reset-password\?token=[0-9a-f]+$/);
  await capture(page, '64-admin-reset-link');
  assertNoConsoleErrors(page);
  await context.close();

  const user = await openPage(browser, { viewport: PHONE });
  await user.page.goto(link);
  await settle(user.page);
  await user.page.fill('#f-new_password', 'hala-new-long-secret');
  await user.page.fill('#f-confirm_password', 'hala-new-long-secret');
  await user.page.click('form[data-testid="reset-form"] button[type="submit"]');
  await user.page.waitForURL('**/login');
  await signIn(user.page, username, 'hala-new-long-secret');
  await user.page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await settle(user.page);
  assertNoConsoleErrors(user.page);
  await user.context.close();
});
