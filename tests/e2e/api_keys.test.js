// Integrator API keys through the real SPA and server: the admin creates a personal key in the UI
// (after the form's own validation errors), sees it once and copies it; the test calls the API
// with it (a route its scopes allow, one they do not, an admin route it never opens), the admin
// reads the usage, a bad key shows up in the refused attempts, rotating stops the old key and
// revoking the new one. Then a service key with the points power and its award ceilings: awards
// within them pass, over them are refused, the ceilings are edited, the audit log names the key.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ADMIN_PASSWORD, ADMIN_USERNAME, assertNoConsoleErrors, capture, launch, openPage, settle, signIn,
} from './helpers.js';

let browser;
let admin;
before(async () => {
  assert.ok(ADMIN_PASSWORD, 'ADMIN_PASSWORD must be set (scripts/e2e.sh does it)');
  browser = await launch();
});
after(async () => {
  await admin?.context.close();
  await browser?.close();
});

const KEY_NAME = 'متجر الشريك';
const SERVICE_NAME = 'خدمة المكافآت';
let firstKey;
let secondKey;
let serviceKey;

/** 12 → "١٢", the way the app writes numbers by default. */
function ar(n) {
  return String(n).replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d)));
}

/** A call with an API key, the way an integrating system makes it (no cookies, no token). */
async function withKey(page, key, path, data) {
  const headers = { 'X-API-Key': key };
  const res = data === undefined
    ? await page.request.get(path, { headers })
    : await page.request.post(path, { headers, data });
  const body = await res.json();
  return { status: res.status(), body };
}

/**
 * What a person reads on the page has no English and no raw JSON. Values that are code by
 * nature are left out: keys and their prefixes, methods, routes and addresses (all in `code` or
 * `dir="ltr"` elements), and "API" in the tab's name.
 */
async function assertArabicOnly(page) {
  const text = await page.evaluate(() => {
    let shown = document.body.innerText;
    for (const el of document.querySelectorAll('code, [dir="ltr"]')) {
      const t = el.innerText.trim();
      if (t) shown = shown.split(t).join(' ');
    }
    return shown;
  });
  assert.doesNotMatch(text, /[{}]|"\w+":/, 'no raw JSON on the page');
  // "CSV" is the name of a file format (the exports scope).
  const latin = text.replace(/\b(API|CSV)\b/g, '').match(/[A-Za-z]{2,}/g);
  assert.equal(latin, null, `English on the page: ${latin?.join(', ')}`);
}

async function readKey(page) {
  await page.waitForSelector('[data-testid="key-reveal"]');
  const key = await page.inputValue('[data-testid="full-key"]');
  assert.match(key, /^mk_[a-z0-9]{12}_[A-Za-z0-9_-]{40,}$/);
  return key;
}

/** Closes the show-once dialog: the first attempt only asks for confirmation. */
async function closeReveal(page, how) {
  if (how === 'escape') await page.keyboard.press('Escape');
  else await page.click('[data-testid="key-done"]');
  await page.waitForSelector('[data-testid="key-close-confirm"]');
  assert.ok(await page.isVisible('[data-testid="key-reveal"]'), 'still open until confirmed');
  // Focus moved to the confirmation, so Enter answers it.
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'key-close-yes');
  return async () => {
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="key-reveal"]', { state: 'detached' });
  };
}

function row(page, status) {
  return page.locator(`[data-testid="key-row"][data-status="${status}"]`, { hasText: KEY_NAME });
}

describe('integrator API keys', () => {
  test('setup: the admin signs in and opens the tab (no keys yet)', async () => {
    admin = await openPage(browser);
    const { page } = admin;
    await signIn(page, ADMIN_USERNAME, ADMIN_PASSWORD);
    await page.waitForSelector('[data-testid="balance"]');
    await page.goto('/admin');
    await settle(page);
    await page.click('#tab-api-keys');
    await page.waitForURL('**/admin?tab=api-keys');
    await page.waitForSelector('#kstate-panel .empty-line');
    await settle(page);
    assert.match(await page.locator('#kstate-panel').innerText(), /لا مفاتيح/);
    await assertArabicOnly(page);
    await capture(page, '80-api-keys-empty');
  });

  test('the create form answers with the domain rules first, then creates the key', async () => {
    const { page } = admin;
    await page.click('[data-testid="new-key"]');
    await page.waitForSelector('form[data-testid="key-form"]');
    // Nothing filled: name and scopes are refused beside their fields, before any request.
    await page.fill('#f-rate_limit_per_minute', '٠');
    await page.click('form[data-testid="key-form"] button[type="submit"]');
    await page.waitForSelector('#f-name-err');
    assert.match(await page.locator('#f-name-err').innerText(), /اسم المفتاح مطلوب/);
    assert.match(await page.locator('#f-scopes-err').innerText(), /اختر نطاقًا واحدًا على الأقل/);
    assert.match(await page.locator('#f-rate_limit_per_minute-err').innerText(), /بين ١ و١٠٠٠٠/);
    assert.equal(await page.getAttribute('#f-name', 'aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-name', 'focus on the first invalid field');
    // A personal key (the default) offers participant scopes only; admin scopes are for service
    // keys, and no owner can be chosen: the key acts as its creator.
    assert.ok(await page.isChecked('#kind-personal'));
    assert.equal(await page.locator('input[name="scopes"][value^="admin:"]').count(), 0);
    assert.equal(await page.locator('#f-owner_id').count(), 0);
    assert.match(await page.locator('form[data-testid="key-form"]').innerText(), /باسم المشرف الذي ينشئه/);
    await assertArabicOnly(page);
    await capture(page, '81-api-key-form-errors');

    await page.fill('#f-name', KEY_NAME);
    // One scope with the keyboard, one with the mouse.
    await page.focus('input[name="scopes"][value="points:read"]');
    await page.keyboard.press('Space');
    await page.check('input[name="scopes"][value="competitions:read"]');
    assert.equal(await page.locator('#f-scopes-err').count(), 0, 'choosing a scope clears its error');
    await page.fill('#f-rate_limit_per_minute', '120');
    // Every field is right again: the banner that pointed at them is gone.
    await page.waitForSelector('form[data-testid="key-form"] .alert-error', { state: 'detached' });
    const nextYear = new Date().getFullYear() + 1;
    await page.fill('#f-expires_at', `${nextYear}-12-31T23:59`);
    // The lower half of the dialog: the limit, the expiry and the buttons.
    await page.evaluate(() => { const m = document.querySelector('.modal'); m.scrollTop = m.scrollHeight; });
    await capture(page, '82-api-key-form');
    await page.click('form[data-testid="key-form"] button[type="submit"]');

    firstKey = await readKey(page);
    assert.match(await page.locator('[data-testid="key-reveal"]').innerText(), /لا يمكن عرضه مرة أخرى/);
    await page.click('[data-testid="key-reveal"] button:has-text("نسخ المفتاح")');
    await page.waitForFunction(() => document.querySelector('[data-testid="key-reveal"] [role="status"]')?.textContent.includes('نُسخ'));
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), firstKey);
    await assertArabicOnly(page);
    await capture(page, '83-api-key-shown-once');
    const confirm = await closeReveal(page, 'done');
    await capture(page, '84-api-key-close-confirm');
    await confirm();

    const active = row(page, 'active');
    await active.waitFor();
    const text = await active.innerText();
    assert.match(text, /النقاط · قراءة/);
    assert.match(text, /المسابقات · قراءة/);
    assert.match(text, /فعّال/);
    assert.match(text, /مفتاح شخصي/);
    assert.match(text, /لم يُستخدم بعد/);
    assert.ok(text.includes(firstKey.slice(0, 15)), 'the prefix is listed');
    assert.ok(!(await page.locator('body').innerText()).includes(firstKey), 'the full key is gone');
    await assertArabicOnly(page);
    await capture(page, '85-api-keys-list');
  });

  test('the key works for what its scopes allow and nothing else', async () => {
    const { page } = admin;
    const balance = await withKey(page, firstKey, '/api/v1/points/balance');
    assert.equal(balance.status, 200, JSON.stringify(balance.body));
    assert.equal(typeof balance.body.points_balance, 'number');
    // Not the leaderboard: its ranking is cached per process (stale-while-refresh), and a read
    // this early would leave the competitions test a stale, empty ranking.
    const list = await withKey(page, firstKey, '/api/v1/competitions?limit=1');
    assert.equal(list.status, 200, JSON.stringify(list.body));
    const refused = await withKey(page, firstKey, '/api/v1/redemptions');
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'missing_scope');
    assert.equal(refused.body.error.fields.scope, 'redemptions:read');
    // The admin's own key with `points:read` never opens an admin route: awarding needs the
    // admin scope of a service key.
    const me = await withKey(page, firstKey, '/api/v1/me');
    const mint = await withKey(page, firstKey, '/api/v1/admin/points/award',
      { user_id: me.body.id, amount: 1000000000, reason: 'نقاط من لا شيء' });
    assert.equal(mint.status, 403);
    assert.equal(mint.body.error.code, 'missing_scope');
    assert.equal(mint.body.error.fields.scope, 'admin:points:write');
  });


  test('the usage view counts the calls and the errors', async () => {
    const { page } = admin;
    await row(page, 'active').locator('[data-testid="key-open"]').click();
    await page.waitForURL(/\/admin\?tab=api-keys&key=\d+$/);
    await page.waitForSelector('[data-testid="usage-calls"]');
    // Usage rows are written in batches: refresh until all five calls are in.
    for (let i = 0; i < 30; i += 1) {
      if ((await page.locator('[data-testid="usage-calls"]').innerText()).trim() === ar(5)) break;
      await page.waitForTimeout(200);
      await page.click('[data-testid="usage-refresh"]');
      await page.waitForSelector('[data-testid="usage-refresh"]:not([disabled])');
    }
    assert.equal((await page.locator('[data-testid="usage-calls"]').innerText()).trim(), ar(5));
    assert.equal((await page.locator('[data-testid="usage-errors"]').innerText()).trim(), ar(2));
    const calls = page.locator('[data-testid="call-row"]');
    assert.equal(await calls.count(), 5);
    // Newest first: the refused award.
    const latest = await calls.nth(0).innerText();
    assert.match(latest, /\/api\/v1\/admin\/points\/award/);
    assert.match(latest, new RegExp(ar(403)));
    assert.match(latest, /127\.0\.0\.1/);
    // The key's last use moved too (written by the same batch; the page may have read the key a
    // moment before it landed, so refresh until it shows).
    const neverUsed = async () => (await page.locator('[data-testid="key-detail"]').innerText()).includes('لم يُستخدم بعد');
    for (let i = 0; i < 30 && await neverUsed(); i += 1) {
      await page.waitForTimeout(100);
      await page.click('[data-testid="usage-refresh"]');
      await page.waitForSelector('[data-testid="usage-refresh"]:not([disabled])');
    }
    assert.ok(!await neverUsed(), 'the key shows its last use');
    // Per hour over one day; per day over thirty.
    await page.click('#udays-1');
    await page.waitForSelector('#udays-1[aria-selected="true"]');
    await page.waitForFunction(() => document.querySelectorAll('.chart-plot.bars rect.bar').length >= 1);
    await settle(page);
    await assertArabicOnly(page);
    await capture(page, '86-api-key-usage');
    await page.click('#udays-30');
    await page.waitForFunction(() => document.querySelector('[data-testid="usage-calls"]')?.innerText.trim() === '٥');
    await page.click('.key-detail .back-link');
    await page.waitForURL(/\/admin\?tab=api-keys$/);
    await row(page, 'active').waitFor();
  });

  test('a bad key is refused and listed among the refused attempts, filterable', async () => {
    const { page } = admin;
    const unknown = await withKey(page, 'mk_zzzzzzzzzzzz_definitely-not-a-real-secret-000000000000', '/api/v1/points/balance');
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body.error.code, 'invalid_api_key');
    const malformed = await withKey(page, 'not-a-key', '/api/v1/points/balance');
    assert.equal(malformed.status, 401);

    await page.click('#kview-failed');
    await page.waitForSelector('[data-testid="failed-row"]');
    await settle(page);
    const rows = page.locator('[data-testid="failed-row"]');
    assert.equal(await rows.count(), 2);
    assert.match(await rows.nth(0).innerText(), /صيغة مفتاح غير صحيحة/);
    const unknownRow = rows.nth(1);
    assert.match(await unknownRow.innerText(), /مفتاح غير معروف/);
    assert.match(await unknownRow.innerText(), /mk_zzzzzzzzzzzz/);
    assert.ok(!(await page.locator('body').innerText()).includes('definitely-not'), 'the secret is never shown');

    await page.selectOption('#failed-reason', 'unknown_key');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="failed-row"]').length === 1);
    assert.equal(await page.getAttribute('[data-testid="failed-row"]', 'data-reason'), 'unknown_key');
    await page.fill('#failed-ip', '127.0.0.1');
    await page.press('#failed-ip', 'Enter');
    await page.waitForSelector('[data-testid="failed-row"]');
    await assertArabicOnly(page);
    await capture(page, '87-api-key-failed-attempts');
    await page.fill('#failed-ip', '10.9.8.7');
    await page.press('#failed-ip', 'Enter');
    await page.waitForSelector('#kview-panel .empty-line');
    await page.fill('#failed-ip', '');
    await page.press('#failed-ip', 'Enter');
    await page.selectOption('#failed-reason', '');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="failed-row"]').length === 2);
  });

  test('rotating shows the new key once and stops the old one', async () => {
    const { page } = admin;
    await page.click('#kview-keys');
    await row(page, 'active').locator('[data-testid="key-rotate"]').click();
    await page.waitForSelector('form[data-testid="action-dialog"]');
    assert.match(await page.locator('form[data-testid="action-dialog"]').innerText(), /يتوقف هذا المفتاح فورًا/);
    await capture(page, '88-api-key-rotate-confirm');
    await page.click('form[data-testid="action-dialog"] button[type="submit"]');
    secondKey = await readKey(page);
    assert.notEqual(secondKey, firstKey);
    assert.match(await page.locator('.modal-head h2').innerText(), /دُوّر المفتاح/);
    await capture(page, '89-api-key-rotated');
    const confirm = await closeReveal(page, 'escape');
    await confirm();

    await row(page, 'revoked').waitFor();
    await row(page, 'active').waitFor();
    const old = await withKey(page, firstKey, '/api/v1/points/balance');
    assert.equal(old.status, 401);
    assert.equal(old.body.error.code, 'api_key_revoked');
    const fresh = await withKey(page, secondKey, '/api/v1/points/balance');
    assert.equal(fresh.status, 200);
  });

  test('revoking stops the new key; the revoked filter lists both', async () => {
    const { page } = admin;
    await row(page, 'active').locator('[data-testid="key-revoke"]').click();
    await page.waitForSelector('form[data-testid="action-dialog"]');
    await capture(page, '90-api-key-revoke-confirm');
    await page.click('form[data-testid="action-dialog"] button[type="submit"]');
    await page.waitForSelector('form[data-testid="action-dialog"]', { state: 'detached' });
    await page.waitForFunction(() => !document.querySelector('[data-testid="key-row"][data-status="active"]'));
    const revoked = await withKey(page, secondKey, '/api/v1/points/balance');
    assert.equal(revoked.status, 401);
    assert.equal(revoked.body.error.code, 'api_key_revoked');

    await page.click('#kstate-revoked');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="key-row"][data-status="revoked"]').length === 2);
    await page.click('#kstate-active');
    await page.waitForSelector('#kstate-panel .empty-line');
    await page.click('#kstate-revoked');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="key-row"]').length === 2);
    await settle(page);
    await assertArabicOnly(page);
    await capture(page, '91-api-keys-revoked');
  });

  test('a service key carries admin scopes and award ceilings, checked beside their fields', async () => {
    const { page } = admin;
    await page.click('#kstate-all');
    await page.click('[data-testid="new-key"]');
    await page.waitForSelector('form[data-testid="key-form"]');
    await page.fill('#f-name', SERVICE_NAME);
    // The kind with the keyboard: the admin scopes appear for a service key.
    await page.focus('#kind-personal');
    await page.keyboard.press('ArrowDown');
    assert.ok(await page.isChecked('#kind-service'));
    await page.waitForSelector('input[name="scopes"][value="admin:points:write"]');
    assert.match(await page.locator('#kind-hint').innerText(), /نطاقات الإدارة/);
    // A service key needs an admin scope.
    await page.check('input[name="scopes"][value="points:read"]');
    await page.click('form[data-testid="key-form"] button[type="submit"]');
    await page.waitForSelector('#f-scopes-err');
    assert.match(await page.locator('#f-scopes-err').innerText(), /نطاق إدارة واحدًا على الأقل/);
    // The points power asks for both ceilings, the daily one at least the per-call one.
    await page.check('input[name="scopes"][value="admin:points:write"]');
    await page.waitForSelector('#f-award_max_per_call');
    await page.fill('#f-award_max_per_call', '١٠٠');
    await page.fill('#f-award_max_per_day', '٥٠');
    await page.click('form[data-testid="key-form"] button[type="submit"]');
    await page.waitForSelector('#f-award_max_per_day-err');
    assert.match(await page.locator('#f-award_max_per_day-err').innerText(), /السقف اليومي/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-award_max_per_day');
    await assertArabicOnly(page);
    await page.evaluate(() => { const el = document.querySelector('.ceilings'); el.scrollIntoView(); });
    await capture(page, '92-api-key-service-form');
    // Back to personal: the admin scopes (and the ceilings) go.
    await page.click('label[for="kind-personal"]');
    assert.equal(await page.locator('#f-award_max_per_call').count(), 0);
    assert.equal(await page.locator('input[name="scopes"][value^="admin:"]').count(), 0);
    await page.click('label[for="kind-service"]');
    assert.ok(!(await page.isChecked('input[name="scopes"][value="admin:points:write"]')), 'dropped with the kind');
    await page.check('input[name="scopes"][value="admin:points:write"]');
    await page.fill('#f-award_max_per_call', '100');
    await page.fill('#f-award_max_per_day', '250');
    await page.click('form[data-testid="key-form"] button[type="submit"]');
    serviceKey = await readKey(page);
    const confirm = await closeReveal(page, 'done');
    await confirm();

    const service = page.locator('[data-testid="key-row"][data-status="active"]', { hasText: SERVICE_NAME });
    await service.waitFor();
    const text = await service.innerText();
    assert.match(text, /مفتاح خدمة/);
    assert.match(text, /إدارة · النقاط · كتابة/);
    assert.match(text, new RegExp(`سقف المنح: ${ar(100)} للطلب، ${ar(250)} يوميًا`));
    await settle(page);
    await assertArabicOnly(page);
    await capture(page, '93-api-keys-service');
  });

  test('awards through the service key stop at its ceilings, and the ceilings can be edited', async () => {
    const { page } = admin;
    const me = await withKey(page, serviceKey, '/api/v1/me');
    const award = (amount) => withKey(page, serviceKey, '/api/v1/admin/points/award',
      { user_id: me.body.id, amount, reason: 'مكافأة من النظام' });
    assert.equal((await award(100)).status, 201);
    const over = await award(101);
    assert.equal(over.status, 422);
    assert.equal(over.body.error.code, 'api_key_ceiling_exceeded');
    assert.match(over.body.error.fields.amount, /للطلب الواحد/);
    assert.equal((await award(100)).status, 201);
    const daily = await award(100);
    assert.equal(daily.status, 422);
    assert.match(daily.body.error.fields.amount, /المتبقي اليوم 50/);

    await page.locator('[data-testid="key-row"]', { hasText: SERVICE_NAME }).locator('[data-testid="key-open"]').click();
    await page.waitForSelector('[data-testid="key-awarded-today"]');
    assert.equal((await page.locator('[data-testid="key-awarded-today"]').innerText()).trim(), `${ar(200)} من ${ar(250)}`);
    await page.click('[data-testid="key-edit"]');
    await page.waitForSelector('form[data-testid="key-edit-form"]');
    assert.equal(await page.inputValue('#f-award_max_per_day'), '250');
    await page.fill('#f-award_max_per_day', '٩٩');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#f-award_max_per_day-err');
    await assertArabicOnly(page);
    await capture(page, '94-api-key-edit');
    await page.fill('#f-award_max_per_day', '٣٠٠');
    await page.keyboard.press('Enter');
    await page.waitForSelector('form[data-testid="key-edit-form"]', { state: 'detached' });
    await page.waitForSelector('.key-head .alert-success');
    assert.equal((await page.locator('[data-testid="key-awarded-today"]').innerText()).trim(), `${ar(200)} من ${ar(300)}`);
    await settle(page);
    await assertArabicOnly(page);
    await capture(page, '95-api-key-service-detail');
    assert.equal((await award(100)).status, 201, 'the new daily ceiling holds at once');
    await page.click('.key-detail .back-link');
    await page.waitForURL(/\/admin\?tab=api-keys$/);
  });

  test('the audit log names the key actions in Arabic, and the key an award went through', async () => {
    const { page } = admin;
    await page.click('#tab-audit');
    await page.waitForSelector('[data-testid="audit-entry"]');
    const text = await page.locator('.audit-list').innerText();
    for (const label of ['إنشاء مفتاح ربط برمجي', 'تدوير مفتاح ربط برمجي', 'إلغاء مفتاح ربط برمجي', 'تعديل مفتاح ربط برمجي']) {
      assert.ok(text.includes(label), label);
    }
    const via = page.locator('[data-testid="audit-key"]').first();
    assert.match(await via.innerText(), new RegExp(`عبر المفتاح ${serviceKey.slice(0, 15)}`));
    await assertArabicOnly(page);
    await capture(page, '96-audit-key-actions');
    assertNoConsoleErrors(page);
  });
});
