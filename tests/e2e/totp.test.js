// Two-factor sign-in through the SPA (issue 15, item 8): a new admin enrols with the QR code's
// secret, signs out and signs in with a code; a large balance adjustment then asks for a fresh
// code (step-up) and goes through with it. Codes are computed here (RFC 6238: HMAC-SHA1, 30 s
// steps, 6 digits) with node's crypto.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  ADMIN_PASSWORD, ADMIN_USERNAME, BASE_URL, assertNoConsoleErrors, capture, launch, openPage,
  settle, signIn, signOut, uniqueName, api,
} from './helpers.js';

/** RFC 4648 base32 → bytes. */
function base32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/=+$/, '').toUpperCase()) {
    const v = alphabet.indexOf(c);
    assert.ok(v >= 0, `base32 character ${c}`);
    bits += v.toString(2).padStart(5, '0');
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** The RFC 6238 code of `step` (30-second steps since 1970). */
function totpCode(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(value).padStart(6, '0');
}

const nowStep = () => Math.floor(Date.now() / 30_000);


/** Makes this admin's last confirmation eleven minutes old, as if they had signed in earlier. */
function ageStepUp(userId) {
  const db = join(process.env.MUSABAQATI_DATA_DIR || '', 'musabaqati.db');
  const old = new Date(Date.now() - 11 * 60_000).toISOString().replace('Z', '000+00:00');
  execFileSync('python3', ['-c', `
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], timeout=30)
c.execute("UPDATE session_step_ups SET stepped_up_at = ? WHERE user_id = ?", (sys.argv[2], int(sys.argv[3])))
c.commit()
`, db, old, String(userId)]);
}

describe('two-factor sign-in and step-up', () => {
  let browser;
  let context;
  let page;
  const adminName = uniqueName('hala');
  const password = 'hala-secret-123';
  const memberName = uniqueName('nour');
  let adminId;
  let memberId;
  let secret = '';
  let lastStep = 0;

  before(async () => {
    assert.ok(ADMIN_PASSWORD, 'ADMIN_PASSWORD must be set (scripts/e2e.sh does it)');
    browser = await launch();
    const root = await api('/auth/login', { method: 'POST', body: { login: ADMIN_USERNAME, password: ADMIN_PASSWORD } });
    assert.equal(root.status, 200);
    const token = root.json.access_token;
    for (const [name, set] of [[adminName, (id) => { adminId = id; }], [memberName, (id) => { memberId = id; }]]) {
      const reg = await api('/auth/register', {
        method: 'POST',
        body: { username: name, email: `${name}@example.com`, password, display_name: 'حالة' },
      });
      assert.equal(reg.status, 201);
      set(reg.json.user.id);
    }
    // A second admin of its own, so the shared `admin` account keeps signing in without a code.
    const promoted = await api(`/admin/users/${adminId}`, { method: 'PATCH', token, body: { role: 'admin', note: 'اختبار التحقق بخطوتين' } });
    assert.equal(promoted.status, 200, JSON.stringify(promoted.json));
    ({ context, page } = await openPage(browser));
  });
  after(async () => {
    await context?.close();
    await browser?.close();
  });

  test('an admin enrols with the QR code secret and signs in again with a code', async () => {
    await signIn(page, adminName, password);
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.goto('/profile');
    await settle(page);
    await page.click('[data-testid="totp-start"]');
    await page.waitForSelector('[data-testid="totp-secret"]');
    // The QR code is drawn in the page (SVG), and the same secret is shown as text.
    assert.equal(await page.locator('.totp-qr svg').count(), 1, 'the QR code is drawn');
    secret = (await page.locator('[data-testid="totp-secret"]').innerText()).trim();
    assert.match(secret, /^[A-Z2-7]+=*$/);
    await capture(page, '70-totp-setup');
    lastStep = nowStep();
    await page.fill('form[data-testid="totp-enable-form"] #f-code', totpCode(secret, lastStep));
    await page.click('form[data-testid="totp-enable-form"] button[type="submit"]');
    await page.waitForSelector('[data-testid="recovery-codes"]');
    assert.equal(await page.locator('[data-testid="recovery-codes"] li').count(), 10);
    await capture(page, '71-totp-recovery-codes');
    await page.locator('[data-testid="totp-card"] button', { hasText: 'حفظتها' }).click();
    await page.waitForSelector('[data-testid="totp-on"]');

    await signOut(page);
    await page.fill('#f-login', adminName);
    await page.fill('#f-password', password);
    await page.click('form[data-testid="login-form"] button[type="submit"]');
    await page.waitForSelector('form[data-testid="totp-form"]');
    await capture(page, '72-totp-sign-in');
    // The enrolment used this step; the next one is within the accepted skew.
    lastStep += 1;
    await page.fill('form[data-testid="totp-form"] #f-code', totpCode(secret, lastStep));
    await page.click('form[data-testid="totp-form"] button[type="submit"]');
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await settle(page);
    assertNoConsoleErrors(page);
  });

  test('a large balance adjustment asks for a fresh code and goes through with it', async () => {
    assert.ok(secret, 'enrolled in the previous test');
    ageStepUp(adminId);
    await page.goto('/admin?tab=users');
    await settle(page);
    await page.fill('#admin-q', memberName);
    await page.press('#admin-q', 'Enter');
    const row = page.locator('[data-testid="users-table"] tr', { hasText: memberName });
    await row.waitFor();
    await row.locator('[data-testid="user-open"]').click();
    await page.waitForSelector('[data-testid="user-detail"]');
    await settle(page);
    // Registered with verification off and never confirmed: the admin sees it.
    assert.equal(await page.locator('[data-testid="user-email-verified"]').innerText(), 'البريد غير مؤكَّد');
    await page.click('[data-testid="detail-adjust"]');
    await page.waitForSelector('form[data-testid="award-form"]');
    await page.fill('#f-amount', '5000');
    await page.fill('#f-reason', 'جائزة المركز الأول في البطولة');
    page.expectHttpError(403);
    await page.click('form[data-testid="award-form"] button[type="submit"]');
    await page.waitForSelector('form[data-testid="step-up-form"]');
    assert.match(await page.locator('form[data-testid="step-up-form"]').innerText(), /رمز التحقق/);
    await capture(page, '73-step-up-code');
    // A code of a step not used yet: wait until the clock has passed the one used to sign in.
    while (nowStep() < lastStep) await new Promise((r) => setTimeout(r, 500));
    lastStep = nowStep() + 1;
    await page.fill('form[data-testid="step-up-form"] #f-code', totpCode(secret, lastStep));
    await page.click('form[data-testid="step-up-form"] button[type="submit"]');
    await page.waitForSelector('[data-testid="award-done"]');
    const root = await api('/auth/login', { method: 'POST', body: { login: ADMIN_USERNAME, password: ADMIN_PASSWORD } });
    const detail = await api(`/admin/users/${memberId}`, { token: root.json.access_token });
    assert.equal(detail.json.points_balance ?? detail.json.user?.points_balance, 5000, JSON.stringify(detail.json));
    assertNoConsoleErrors(page);
  });
});
