// The admin console (issue 13 item 10): the grouped sidebar (keyboard, aria-current, the phone
// picker), every record at its own address (reload lands on it), the audit log's filters and
// its before → after details, a queue count that moves after a decision, and the question
// before a package goes on sale with the default payment settings.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ADMIN_PASSWORD, ADMIN_USERNAME, BASE_URL, PHONE, capture, launch, openPage, settle,
} from './helpers.js';
import { adminToken, api, participant, quiz, reward, signInAndWait } from './fixtures.js';

let browser;
let token;
before(async () => {
  assert.ok(ADMIN_PASSWORD, 'ADMIN_PASSWORD must be set (scripts/e2e.sh does it)');
  browser = await launch();
  token = await adminToken();
});
after(async () => {
  await browser?.close();
});

/** 12 → "١٢", the way the app writes numbers by default. */
function ar(n) {
  return String(n).replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d)));
}

async function adminPage(options) {
  const session = await openPage(browser, options);
  await signInAndWait(session.page, ADMIN_USERNAME, ADMIN_PASSWORD);
  return session;
}

async function waitSection(page, key) {
  await page.waitForSelector(`#admin-panel[data-section="${key}"]`);
  await settle(page);
}

describe('the admin console', () => {
  test('the sidebar is a grouped navigation, usable with the keyboard', async () => {
    const { context, page } = await adminPage();
    await page.goto('/admin');
    await waitSection(page, 'overview');
    // A nav of links with aria-current, grouped under headings; no tab list around them.
    const nav = page.locator('nav.admin-nav');
    assert.equal(await nav.getAttribute('aria-label'), 'أقسام الإدارة');
    assert.equal(await page.locator('.admin-nav [role="tablist"], .admin-nav [role="tab"]').count(), 0);
    assert.equal(await page.locator('#tab-overview').getAttribute('aria-current'), 'page');
    const headings = await page.locator('.admin-nav-heading').allInnerTexts();
    assert.deepEqual(headings, ['نظرة عامة', 'الأمان', 'الأعضاء', 'المسابقات', 'المكافآت والمتجر', 'المنصة']);
    // RTL: the sidebar sits to the right of the panel.
    const navBox = await nav.boundingBox();
    const panelBox = await page.locator('#admin-panel').boundingBox();
    assert.ok(navBox.x > panelBox.x, `sidebar at ${navBox.x}, panel at ${panelBox.x}`);
    // The phone picker is not shown on a desktop.
    assert.equal(await page.locator('#admin-section-select').isVisible(), false);

    // Tab from the overview link to the users link, Enter opens it.
    await page.focus('#tab-overview');
    for (let i = 0; i < 10; i += 1) {
      if ((await page.evaluate(() => document.activeElement?.id)) === 'tab-users') break;
      await page.keyboard.press('Tab');
    }
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'tab-users');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/admin?tab=users');
    await waitSection(page, 'users');
    assert.equal(await page.locator('#tab-users').getAttribute('aria-current'), 'page');
    assert.equal(await page.locator('#tab-overview').getAttribute('aria-current'), null);
    assert.match(await page.locator('#admin-section-title').innerText(), /المستخدمون/);
    await capture(page, '140-admin-console-sidebar');

    // "Back" returns to the overview; a section's own path works; an unknown key says so.
    await page.goBack();
    await waitSection(page, 'overview');
    await page.goto('/admin/referrals');
    await waitSection(page, 'referrals');
    assert.equal(await page.locator('#tab-referrals').getAttribute('aria-current'), 'page');
    await page.goto('/admin?tab=no-such-section');
    await page.waitForSelector('[data-testid="admin-no-section"]');
    assert.equal(await page.locator('[aria-current="page"].admin-nav-link').count(), 0);
    await context.close();
  });

  test('on a phone the sections are one compact picker', async () => {
    const { context, page } = await adminPage({ viewport: PHONE });
    await page.goto('/admin?tab=audit');
    await waitSection(page, 'audit');
    const picker = page.locator('#admin-section-select');
    assert.ok(await picker.isVisible());
    assert.equal(await page.locator('.admin-nav-list').isVisible(), false);
    const box = await page.locator('nav.admin-nav').boundingBox();
    assert.ok(box.height < 120, `the picker takes ${box.height}px`);
    assert.equal(await picker.inputValue(), 'audit');
    await capture(page, '141-admin-console-phone');
    await picker.selectOption('held-transfers');
    await page.waitForURL('**/admin?tab=held-transfers');
    await waitSection(page, 'held-transfers');
    await context.close();
  });

  test('records have their own address: a reload lands on them', async () => {
    const rewardId = await reward(token, { name: 'سماعة لاسلكية للرابط', cost: 120 });
    const pack = await api('/admin/packages', {
      method: 'POST',
      token,
      body: { name: 'باقة الرابط المباشر', points: 500, bonus_points: 0, price_minor: 1500, currency: 'SAR', active: false, sort_order: 9 },
    });
    assert.equal(pack.status, 201, JSON.stringify(pack.json));
    const competitionId = await quiz(token, { title: 'مسابقة الرابط المباشر', startsIn: 3_600_000, wait: false });

    const { context, page } = await adminPage();
    // A reward: its form opens from the address, again after a reload, and closing it returns
    // to the list's address.
    await page.goto(`/admin?tab=rewards&reward=${rewardId}`);
    await page.waitForSelector('[role="dialog"] input[name="name"], [role="dialog"] #f-name');
    assert.equal(await page.locator('[role="dialog"] #f-name').inputValue(), 'سماعة لاسلكية للرابط');
    await page.reload();
    await page.waitForSelector('[role="dialog"] #f-name');
    assert.equal(await page.locator('[role="dialog"] #f-name').inputValue(), 'سماعة لاسلكية للرابط');
    await page.keyboard.press('Escape');
    await page.waitForURL(/\/admin\?tab=rewards$/);

    // Opening one from its row puts it in the address.
    await page.goto(`/admin?tab=packages&package=${pack.json.id}`);
    await page.waitForSelector('[role="dialog"] #f-name');
    assert.equal(await page.locator('[role="dialog"] #f-name').inputValue(), 'باقة الرابط المباشر');
    await page.keyboard.press('Escape');
    await page.waitForURL(/\/admin\?tab=packages$/);

    // A competition's page.
    await page.goto('/admin?tab=competitions');
    await waitSection(page, 'competitions');
    await page.locator('tr', { hasText: 'مسابقة الرابط المباشر' }).locator('[data-testid="manage-competition"]').click();
    await page.waitForURL(`**/admin?tab=competitions&competition=${competitionId}`);
    await page.reload();
    await page.waitForSelector('#f-title');
    assert.equal(await page.locator('#f-title').inputValue(), 'مسابقة الرابط المباشر');
    await context.close();
  });

  test('the audit log filters by action, actor and dates, and reads a change as before → after', async () => {
    const member = await participant(token, 'audited');
    const promote = await api(`/admin/users/${member.id}`, { method: 'PATCH', token, body: { role: 'admin' } });
    assert.equal(promote.status, 200, JSON.stringify(promote.json));

    const { context, page } = await adminPage();
    await page.goto('/admin?tab=audit');
    await waitSection(page, 'audit');
    await page.selectOption('#audit-action', 'user.role_change');
    await page.fill('#audit-actor', ADMIN_USERNAME);
    await page.click('[data-testid="audit-apply"]');
    await page.waitForURL(/action=user\.role_change/);
    assert.match(page.url(), new RegExp(`actor=${ADMIN_USERNAME}`));
    await page.waitForSelector('[data-testid="audit-entry"]');
    const actions = await page.locator('[data-testid="audit-entry"]').evaluateAll((els) => els.map((e) => e.dataset.action));
    assert.ok(actions.length >= 1 && actions.every((a) => a === 'user.role_change'), actions.join());
    const entry = page.locator('[data-testid="audit-entry"]').first();
    assert.equal(await entry.locator('.audit-before').innerText(), 'مستخدم');
    assert.equal(await entry.locator('.audit-after').innerText(), 'مدير');
    assert.match(await entry.locator('[data-testid="audit-changes"]').innerText(), /الدور/);
    // The raw JSON stays one click away.
    assert.equal(await entry.locator('details.audit-raw').count(), 1);
    await capture(page, '142-admin-audit-filtered');

    // The filtered view is an address: a reload keeps it.
    await page.reload();
    await waitSection(page, 'audit');
    assert.equal(await page.locator('#audit-action').inputValue(), 'user.role_change');
    await page.waitForSelector('[data-testid="audit-entry"]');

    // A date range that starts tomorrow holds nothing.
    const tomorrow = await page.evaluate(() => {
      const d = new Date();
      d.setDate(d.getDate() + 1);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    });
    await page.fill('#audit-from', tomorrow);
    await page.click('[data-testid="audit-apply"]');
    await page.waitForURL(new RegExp(`from=${tomorrow}`));
    await page.waitForSelector('text=لا توجد عمليات تطابق هذه التصفية.');

    // The entry's target opens the user's page.
    await page.goto('/admin?tab=audit&action=user.role_change');
    await page.locator('[data-testid="audit-target"]', { hasText: String(member.id).replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d))) }).first().click();
    await page.waitForURL(`**/admin?tab=users&user=${member.id}`);
    await page.waitForSelector('[role="dialog"]');
    await context.close();
  });

  test('a decision moves the queue count beside its section at once', async () => {
    const buyer = await participant(token, 'queued', 1000);
    const rid = await reward(token, { name: 'كوب حراري للطابور', cost: 100 });
    const redeem = await fetch(`${BASE_URL}/api/v1/rewards/${rid}/redeem`, {
      method: 'POST',
      headers: { authorization: `Bearer ${buyer.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(redeem.status, 201, await redeem.text());
    const stats = await api('/admin/stats', { token });
    const waiting = stats.json.pending_redemptions;
    assert.ok(waiting >= 1);

    const { context, page } = await adminPage();
    await page.goto('/admin?tab=redemptions');
    await waitSection(page, 'redemptions');
    const badge = page.locator('#tab-redemptions .tab-count');
    await page.waitForFunction((n) => document.querySelector('#tab-redemptions .tab-count')?.textContent.startsWith(n), ar(waiting));
    const row = page.locator('[data-testid="queue-row"][data-status="pending"]', { hasText: buyer.username });
    await row.locator('[data-testid="approve"]').click();
    await page.click('form[data-testid="action-dialog"] button[type="submit"]');
    await page.waitForSelector('form[data-testid="action-dialog"]', { state: 'detached' });
    if (waiting === 1) {
      await badge.waitFor({ state: 'detached' });
    } else {
      await page.waitForFunction((n) => document.querySelector('#tab-redemptions .tab-count')?.textContent.startsWith(n), ar(waiting - 1));
    }
    await context.close();
  });

  test('a package does not go on sale with the default payment settings without a question', async () => {
    // The payment instructions at their default (restored afterwards).
    const settings = await api('/admin/settings', { token });
    const instructions = settings.json.items.find((s) => s.key === 'payment_instructions');
    const put = await api('/admin/settings', { method: 'PUT', token, body: { payment_instructions: instructions.default } });
    assert.equal(put.status, 200, JSON.stringify(put.json));
    try {
      const { context, page } = await adminPage();
      await page.goto('/admin?tab=packages');
      await waitSection(page, 'packages');
      await page.click('[data-testid="new-package"]');
      await page.fill('#f-name', 'باقة التحذير');
      await page.fill('#f-points', '700');
      await page.fill('#f-price_minor', '20');
      await page.click('form[data-testid="package-form"] button[type="submit"]:not([data-testid])');
      const warning = page.locator('[data-testid="package-payment-warning"]');
      await warning.waitFor();
      assert.match(await warning.innerText(), /تعليمات الدفع/);
      assert.equal(await page.locator('[data-testid="admin-package-row"]', { hasText: 'باقة التحذير' }).count(), 0, 'nothing saved yet');
      await capture(page, '143-admin-package-warning');
      await page.click('[data-testid="activate-anyway"]');
      await page.waitForSelector('form[data-testid="package-form"]', { state: 'detached' });
      await page.locator('[data-testid="admin-package-row"]', { hasText: 'باقة التحذير' }).waitFor();
      await context.close();
    } finally {
      if (!instructions.is_default) {
        await api('/admin/settings', { method: 'PUT', token, body: { payment_instructions: instructions.value } });
      }
    }
  });
});
