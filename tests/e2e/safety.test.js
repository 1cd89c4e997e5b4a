// Trust and safety (issue 12) through the real SPA and server. Five accounts are registered from
// one forwarded address (an account farm: the fourth and fifth are flagged) and funnel their
// points into a sixth, four through the API and the last through the app, which tells its owner
// the transfer waits for review. The admin, who opened the admin section before any of it, sees
// the unread badge move without a reload, filters the inbox by kind, follows the farm alert to the
// flagged account's page (linked accounts, flags, held transfers), releases one held transfer
// there, rejects another in the queue (a note is required), and sees the 409 of a transfer another
// admin decided first. The recipient then signs in and finds the released points in the balance.
// Every screen is photographed at 1280×800 and 390×844 and checked for RTL, console errors and
// horizontal overflow at 360 px.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  ADMIN_PASSWORD, ADMIN_USERNAME, BASE_URL, DESKTOP, PHONE, SHOTS, assertNoConsoleErrors, capture,
  launch, openPage, settle, signIn, uniqueName, api,
} from './helpers.js';

const PASSWORD = 'حصن-الأمان-2026';
// Documentation addresses (RFC 5737): the farm, and the recipient's own network.
const FARM_IP = '203.0.113.7';
const RECIPIENT_IP = '198.51.100.61';
const AWARD = 300;
const AMOUNT = 100;
const recipient = { username: uniqueName('hala'), displayName: 'هالة المستلمة' };
const farm = Array.from({ length: 5 }, (_, i) => ({
  username: uniqueName(`farm${i + 1}`),
  displayName: `حساب مزرعة ${i + 1}`,
}));

/** 1450 → "١٬٤٥٠", the way the app writes numbers by default. */
function ar(n) {
  const digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, '\u066C');
  return digits.replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d)));
}

/** A JSON call to the API as `token` (or anonymously), from `ip` when given (X-Forwarded-For). */

async function registerAndLogin(who, ip) {
  const reg = await api('/auth/register', {
    method: 'POST',
    ip,
    body: { username: who.username, email: `${who.username}@example.com`, password: PASSWORD, display_name: who.displayName },
  });
  assert.equal(reg.status, 201, JSON.stringify(reg.json));
  const login = await api('/auth/login', { method: 'POST', ip, body: { login: who.username, password: PASSWORD } });
  assert.equal(login.status, 200, JSON.stringify(login.json));
  who.token = login.json.access_token;
  who.id = login.json.user.id;
}

/** The held transfers of `who` (as sender), oldest first. */
async function heldOf(who, status = 'held') {
  const page = await api(`/admin/held-transfers?status=${status}&user_id=${who.id}&limit=50`, { token: adminToken });
  assert.equal(page.status, 200, JSON.stringify(page.json));
  return page.json.items.filter((t) => t.sender_id === who.id).sort((a, b) => a.id - b.id);
}

/** The unread count the badge shows, read back from its digits. */
function badgeCount(page) {
  return page.locator('[data-testid="alerts-count"]').innerText().then((t) => {
    const western = t.replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660)).replace(/[^\d]/g, '');
    return Number(western);
  });
}

/** Waits (without reloading) until the badge shows a count that satisfies `op` against `n`. */
async function waitForBadge(page, op, n) {
  await page.waitForFunction(([op, n]) => {
    const el = document.querySelector('[data-testid="alerts-count"]');
    if (!el) return false;
    const v = Number(el.textContent.replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660)).replace(/[^\d]/g, ''));
    return op === '>' ? v > n : v === n;
  }, [op, n], { timeout: 20_000 });
}

/** Waits (without reloading) until the badge shows the server's unread count. */
async function badgeMatchesServer(page) {
  const deadline = Date.now() + 20_000;
  let last = '';
  while (Date.now() < deadline) {
    const summary = await api('/admin/safety/summary', { token: adminToken });
    const shown = await badgeCount(page);
    if (shown === summary.json.unread_alerts) return;
    last = `badge ${shown}, server ${summary.json.unread_alerts}`;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail(`the badge never matched the server's unread count (${last})`);
}

/**
 * The open dialog whole, at both sizes: the dialog scrolls inside a viewport-high box, so the
 * viewport is made as tall as its content (`capture` shows the page behind it at its own height).
 */
async function shootDialog(page, name) {
  for (const size of [DESKTOP, PHONE]) {
    await page.setViewportSize(size);
    const height = await page.evaluate(() => document.querySelector('.modal').scrollHeight);
    await page.setViewportSize({ width: size.width, height: Math.max(size.height, height + 64) });
    await page.screenshot({ path: join(SHOTS, `${name}-${size.width}.png`), animations: 'disabled' });
  }
  await page.setViewportSize(DESKTOP);
}

let browser;
let admin;
let sender;
let adminToken = '';
let recipientStart = 0;
/** What each API or app transfer answered: { from, held }. */
const sent = [];

before(async () => {
  assert.ok(ADMIN_PASSWORD, 'ADMIN_PASSWORD must be set (scripts/e2e.sh does it)');
  browser = await launch();
  const login = await api('/auth/login', { method: 'POST', body: { login: ADMIN_USERNAME, password: ADMIN_PASSWORD } });
  assert.equal(login.status, 200, JSON.stringify(login.json));
  adminToken = login.json.access_token;
  // scripts/e2e.sh raises the farm threshold for the other tests (they all register from
  // 127.0.0.1); this one needs the default.
  const reset = await api('/admin/settings', { method: 'PUT', token: adminToken, body: { risk_farm_max_accounts: 3 } });
  assert.equal(reset.status, 200, JSON.stringify(reset.json));
  await registerAndLogin(recipient, RECIPIENT_IP);
  recipientStart = (await api('/me', { token: recipient.token })).json.points_balance;
});
after(async () => {
  await api('/admin/settings', { method: 'PUT', token: adminToken, body: { risk_farm_max_accounts: 1000 } });
  for (const s of [admin, sender]) await s?.context.close();
  await browser?.close();
});

describe('trust and safety', () => {
  test('the admin opens the admin section: the badge and the safety cards', async () => {
    admin = await openPage(browser);
    const { page } = admin;
    await signIn(page, ADMIN_USERNAME, ADMIN_PASSWORD);
    await page.waitForSelector('[data-testid="balance"]');
    await page.goto('/admin');
    await page.waitForSelector('.kpi-grid');
    await page.waitForSelector('[data-testid="card-alerts"] .queue-count:not(:empty)');
    await settle(page);
    const summary = await api('/admin/safety/summary', { token: adminToken });
    assert.equal(summary.status, 200, JSON.stringify(summary.json));
    await waitForBadge(page, '=', summary.json.unread_alerts);
    for (const card of ['card-alerts', 'card-flags', 'card-held-transfers', 'card-held-redemptions']) {
      assert.ok(await page.locator(`[data-testid="${card}"]`).isVisible(), card);
    }
    // Marks this document: if the page reloaded, the mark would be gone.
    await page.evaluate(() => { window.__safetyMark = 'still here'; });
  });

  test('five accounts from one address funnel their points: the badge moves without a reload', async () => {
    const { page } = admin;
    const before = await badgeCount(page);
    for (const who of farm) await registerAndLogin(who, FARM_IP);
    // Only the accounts past the limit (three per address by default) are flagged.
    const flags = await api(`/admin/risk-flags?open=true&user_id=${farm[3].id}`, { token: adminToken });
    assert.equal(flags.status, 200, JSON.stringify(flags.json));
    assert.ok(flags.json.items.some((f) => f.rule === 'account_farm'), 'the fourth account is flagged');
    for (const [i, who] of farm.entries()) {
      const award = await api('/admin/points/award', {
        method: 'POST', token: adminToken, key: `e2e-safety-award-${who.username}`,
        body: { user_id: who.id, amount: AWARD, reason: `رصيد تجربة ${i + 1}` },
      });
      assert.equal(award.status, 201, JSON.stringify(award.json));
    }
    // Farm accounts 1–4 send through the API; the flagged fourth sends twice (both held).
    for (const [i, who] of [farm[0], farm[1], farm[2], farm[3], farm[3]].entries()) {
      const resp = await api('/points/transfers', {
        method: 'POST', token: who.token, ip: FARM_IP, key: `e2e-safety-t${i}-${who.username}`,
        body: { to_username: recipient.username, amount: AMOUNT, note: 'تحويل من المزرعة' },
      });
      assert.equal(resp.status, 201, JSON.stringify(resp.json));
      const held = resp.json.status === 'held' || resp.json.entry?.kind === 'transfer_hold';
      sent.push({ from: who.username, held });
    }
    assert.deepEqual(sent.slice(3).map((s) => s.held), [true, true], 'a flagged sender is held');

    // The badge follows by polling, in the page opened before any of this.
    await waitForBadge(page, '>', before);
    assert.equal(await page.evaluate(() => window.__safetyMark), 'still here', 'no reload');
    await page.waitForFunction(() => {
      const t = document.querySelector('[data-testid="card-held-transfers"] .queue-count')?.textContent || '';
      return Number(t.replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660)).replace(/[^\d]/g, '')) >= 2;
    }, null, { timeout: 20_000 });
    assert.ok((await page.locator('#tab-alerts .tab-count').count()) === 1, 'the alerts tab has its count');
    await capture(page, '80-safety-dashboard');
  });

  test('the fifth account sends through the app and is told the transfer waits for review', async () => {
    sender = await openPage(browser, { viewport: PHONE });
    const { page } = sender;
    await signIn(page, farm[4].username, PASSWORD);
    await page.waitForSelector('[data-testid="balance"]');
    await page.goto('/points');
    await page.waitForSelector('form[data-testid="transfer-form"]');
    await settle(page);
    await page.fill('#f-to_username', recipient.username);
    await page.fill('#f-amount', '١٠٠');
    await page.fill('#f-note', 'آخر تحويل');
    await page.click('form[data-testid="transfer-form"] button[type="submit"]');
    await page.waitForSelector('[data-testid="transfer-confirm"]');
    await page.click('[data-testid="transfer-send"]');
    const success = page.locator('form[data-testid="transfer-form"] .alert-success');
    await success.waitFor();
    assert.match(await success.innerText(), /للمراجعة/);
    sent.push({ from: farm[4].username, held: true });
    assert.equal((await heldOf(farm[4])).length, 1, 'the app transfer is held');
    await capture(page, '81-safety-transfer-held');
    assertNoConsoleErrors(page);
  });

  test('the inbox: filtered by kind, the farm alert links the flagged account', async () => {
    const { page } = admin;
    await page.click('[data-testid="alerts-badge"]');
    await page.waitForURL('**/admin?tab=alerts');
    await page.waitForSelector('[data-testid="alert-list"]');
    await settle(page);
    await page.selectOption('#alert-kind', 'transfer_held');
    await page.waitForFunction(() => {
      const items = [...document.querySelectorAll('[data-testid="alert-item"]')];
      return items.length > 0 && items.every((i) => i.dataset.kind === 'transfer_held');
    });
    await page.selectOption('#alert-kind', 'account_farm');
    const alert = page.locator('[data-testid="alert-item"][data-kind="account_farm"]', { hasText: farm[3].username });
    await alert.waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="alert-item"]')].every((i) => i.dataset.kind === 'account_farm'));
    assert.match(await alert.innerText(), new RegExp(FARM_IP.replace(/\./g, '\\.')), 'the address stays as written');
    assert.match(await alert.locator('[data-testid="alert-kind"]').innerText(), /[\u0600-\u06FF]/, 'the kind in Arabic');
    await settle(page);
    await capture(page, '82-safety-inbox');

    // Marking it read takes it out of the server's unread alerts and the badge follows the
    // server's count at once. (Compared with the server, not with "one less than before": in the
    // full run other alerts may arrive in between.)
    const id = Number(await alert.getAttribute('data-id'));
    await alert.locator('[data-testid="mark-read"]').click();
    await alert.locator('[data-testid="mark-read"]').waitFor({ state: 'detached' });
    const unreadNow = await api('/admin/notifications?unread=true&kind=account_farm&limit=200', { token: adminToken });
    assert.equal(unreadNow.status, 200);
    assert.ok(!unreadNow.json.items.some((a) => a.id === id), 'the alert is read on the server');
    await badgeMatchesServer(page);
  });

  test('the user page: linked accounts, the flag, and a held transfer released there', async () => {
    const { page } = admin;
    const alert = page.locator('[data-testid="alert-item"][data-kind="account_farm"]', { hasText: farm[3].username });
    await alert.locator('a[data-testid="alert-subject"]').click();
    await page.waitForURL(`**/admin?tab=users&user=${farm[3].id}`);
    const risk = page.locator('[data-testid="user-detail"] [data-testid="user-risk"]');
    await risk.locator('[data-testid="linked-account"]').first().waitFor();
    const linked = await risk.locator('[data-testid="linked-account"]').allInnerTexts();
    for (const other of [farm[0], farm[1], farm[2], farm[4]]) {
      assert.ok(linked.some((t) => t.includes(other.username)), `${other.username} is linked`);
    }
    assert.ok(await risk.locator('[data-testid="risk-flag"][data-open="true"]').count() >= 1, 'an open flag');
    await settle(page);
    await capture(page, '83-safety-user-risk');
    await shootDialog(page, '83-safety-user-risk-whole');

    const [first] = await heldOf(farm[3]);
    const row = risk.locator(`[data-testid="held-row"][data-id="${first.id}"]`);
    await row.locator('[data-testid="held-release"]').click();
    await row.locator('[data-testid="note-form"] textarea').fill('راجعتُ الحساب: التحويل الأول سليم');
    await row.locator('[data-testid="note-submit"]').click();
    const outcome = risk.locator('[data-testid="row-outcome"]', { hasText: 'أُفرج' });
    await outcome.waitFor();
    await page.waitForFunction((id) => document.querySelector(`[data-testid="user-risk"] [data-testid="held-row"][data-id="${id}"]`)?.dataset.status === 'released', first.id);
    await shootDialog(page, '84-safety-user-released');

    // A linked account opens its own page.
    await risk.locator('[data-testid="linked-account"]', { hasText: farm[4].username }).locator('[data-testid="linked-open"]').click();
    await page.waitForURL(`**/admin?tab=users&user=${farm[4].id}`);
    await page.waitForFunction((u) => document.querySelector('[data-testid="user-detail"] .profile-head .handle')?.textContent === `@${u}`, farm[4].username);
    await page.locator('[data-testid="user-risk"] [data-testid="held-row"][data-status="held"]').first().waitFor();
  });

  test('the held-transfers queue: a rejection needs a note; a decision taken elsewhere answers 409', async () => {
    const { page } = admin;
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="user-detail"]', { state: 'detached' });
    await page.click('#tab-held-transfers');
    await page.waitForURL('**/admin?tab=held-transfers');
    await page.waitForSelector('[data-testid="held-table"]');
    await settle(page);

    // Reject farm 5's transfer: the note is required, and the form says so before any request.
    const [fifth] = await heldOf(farm[4]);
    const row = page.locator(`[data-testid="held-row"][data-id="${fifth.id}"]`);
    await row.locator('[data-testid="held-reject"]').click();
    const form = page.locator(`[data-testid="held-extra"][data-for="${fifth.id}"] [data-testid="note-form"]`);
    await form.locator('[data-testid="note-submit"]').click();
    await form.locator('.field-error').waitFor();
    assert.match(await form.locator('.field-error').innerText(), /سبب/);
    assert.equal(await form.locator('textarea').getAttribute('aria-invalid'), 'true');
    await capture(page, '85-safety-held-reject-note');
    await form.locator('textarea').fill('حسابات من عنوان واحد تجمع النقاط في حساب واحد');
    await form.locator('[data-testid="note-submit"]').click();
    await page.locator(`[data-testid="held-extra"][data-for="${fifth.id}"] [data-testid="row-outcome"]`, { hasText: 'رُفض' }).waitFor();
    await page.waitForFunction((id) => document.querySelector(`[data-testid="held-row"][data-id="${id}"]`)?.dataset.status === 'rejected', fifth.id);

    // Another admin rejects farm 4's second transfer while this one is about to release it.
    const [second] = await heldOf(farm[3]);
    const row2 = page.locator(`[data-testid="held-row"][data-id="${second.id}"]`);
    await row2.locator('[data-testid="held-release"]').click();
    const other = await api(`/admin/held-transfers/${second.id}/reject`, {
      method: 'POST', token: adminToken, key: `e2e-safety-other-${second.id}`, body: { note: 'قرار مشرف آخر' },
    });
    assert.equal(other.status, 200, JSON.stringify(other.json));
    page.expectHttpError(409);
    await page.locator(`[data-testid="held-extra"][data-for="${second.id}"] [data-testid="note-submit"]`).click();
    const conflict = page.locator(`[data-testid="held-extra"][data-for="${second.id}"] [data-testid="row-outcome"]`);
    await conflict.waitFor();
    assert.match(await conflict.innerText(), /[\u0600-\u06FF]/, 'the server’s Arabic message');
    await page.waitForFunction((id) => document.querySelector(`[data-testid="held-row"][data-id="${id}"]`)?.dataset.status === 'rejected', second.id);
    await capture(page, '86-safety-held-queue');

    // The API agrees: a decided transfer cannot be decided again.
    const again = await api(`/admin/held-transfers/${second.id}/release`, { method: 'POST', token: adminToken, body: { note: null } });
    assert.equal(again.status, 409);
    assert.equal(again.json.error.code, 'invalid_transition');
    assertNoConsoleErrors(page);
  });

  test('the recipient sees the released points; the senders got the rejected ones back', async () => {
    const direct = sent.filter((s) => !s.held).length * AMOUNT;
    const expected = recipientStart + direct + AMOUNT; // plus the one transfer released
    const page = (await openPage(browser)).page;
    await signIn(page, recipient.username, PASSWORD);
    await page.waitForSelector('[data-testid="balance"]');
    await page.waitForFunction((b) => document.querySelector('[data-testid="balance"] .amount')?.textContent.trim() === b, ar(expected));
    await page.goto('/points');
    await page.waitForSelector('[data-testid="ledger-row"][data-kind="transfer_in"]');
    await settle(page);
    await capture(page, '87-safety-recipient-points');
    assertNoConsoleErrors(page);
    await page.context().close();

    const balance = async (who) => (await api('/me', { token: who.token })).json.points_balance;
    assert.equal(await balance(farm[4]), AWARD, 'the rejected transfer came back to farm 5');
    assert.equal(await balance(farm[3]), AWARD - AMOUNT, 'farm 4: one released, one refunded');
  });

  test('the dashboard cards open their queues; the fraud rules have their own settings group', async () => {
    const { page } = admin;
    await page.click('#tab-overview');
    await page.waitForURL('**/admin?tab=overview');
    await page.click('[data-testid="card-held-redemptions"]');
    await page.waitForURL('**/admin?tab=redemptions&flagged=true');
    await page.waitForSelector('#queue-flagged');
    assert.equal(await page.isChecked('#queue-flagged'), true, '«المعلّمة فقط» is on');
    await page.click('#tab-settings');
    await page.waitForURL('**/admin?tab=settings');
    const group = page.locator('[data-testid="risk-settings"]');
    await group.waitFor();
    assert.equal(await group.locator('h4.settings-rule').count(), 3, 'a heading per rule');
    assert.ok(await group.locator('[data-key="risk_fan_in_max_senders"]').isVisible());
    await page.click('#tab-alerts');
    await page.click('#aview-flags');
    await page.waitForSelector('[data-testid="flags-table"]');
    await settle(page);
    await capture(page, '88-safety-flags');
    assertNoConsoleErrors(page);
  });
});
