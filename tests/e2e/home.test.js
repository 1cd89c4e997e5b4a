// The home page's feed and what a person can do about their own account's state (issue 13,
// items 6 and 10): a visitor sees a featured competition, the week's top players and the way to
// the public pages; a participant sees what is live, what starts soon, their rank this week and
// their latest activity — each compared with what the server answers, since other test files
// leave competitions and points behind. Then the owner of a purchase request opens how to pay it
// and withdraws it, and a suspended person reads the reason and the contact when signing in.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ADMIN_PASSWORD, api, adminToken, capture, launch, openPage, settle, signIn, uniqueName,
} from './helpers.js';

let browser;
before(async () => {
  assert.ok(ADMIN_PASSWORD, 'ADMIN_PASSWORD must be set (scripts/e2e.sh does it)');
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const PASSWORD = 'الصفحة-الرئيسية-2026';
const at = (ms) => new Date(Date.now() + ms).toISOString();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function register(name) {
  const username = uniqueName(name);
  const reg = await api('/auth/register', {
    method: 'POST',
    body: { username, email: `${username}@example.com`, password: PASSWORD, display_name: `${name} التجربة` },
  });
  assert.equal(reg.status, 201, JSON.stringify(reg.json));
  return { username, id: reg.json.user.id, token: reg.json.access_token };
}

async function competition(admin, title, startsIn, endsIn, kind = 'judged') {
  const created = await api('/admin/competitions', {
    method: 'POST',
    token: admin,
    body: {
      title, description: 'مسابقة لتجربة الصفحة الرئيسية', kind,
      starts_at: at(startsIn), ends_at: at(endsIn),
      entry_fee: 0, participation_points: 0, prizes: [{ rank: 1, points: 60 }],
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  const id = created.json.id;
  const pub = await api(`/admin/competitions/${id}/publish`, { method: 'POST', token: admin, body: {} });
  assert.equal(pub.status, 200, JSON.stringify(pub.json));
  return id;
}

/** The titles the server would put first in a feed list: running ending first, upcoming starting first. */
async function expectedTitles(status, key) {
  const list = await api(`/competitions?status=${status}&limit=12`);
  assert.equal(list.status, 200);
  const now = Date.now();
  return list.json.items
    .filter((c) => (status === 'running' ? Date.parse(c.ends_at) > now : Date.parse(c.starts_at) > now))
    .sort((a, b) => Date.parse(a[key]) - Date.parse(b[key]))
    .slice(0, 3)
    .map((c) => c.title);
}

const lineTitles = (page, testid) =>
  page.$$eval(`[data-testid="${testid}"] .feed-line > a`, (as) => as.map((a) => a.textContent.trim()));

describe('home page', () => {
  test('a visitor finds a featured competition, the top players and the public pages', async () => {
    const admin = await adminToken();
    const tag = uniqueName('v');
    await competition(admin, `مسابقة الزوار ${tag}`, 2000, 3_600_000);
    await sleep(2500);

    const { page } = await openPage(browser);
    await page.goto('/');
    await settle(page);
    await page.waitForSelector('[data-testid="featured-competition"]');
    await page.waitForSelector('[data-testid="top-players"]');
    // The featured one is a live competition the server lists (the one most people are in).
    const running = await api('/competitions?status=running&limit=12');
    const href = await page.getAttribute('[data-testid="featured-competition"] a.featured-name', 'href');
    const id = Number(href.split('/').pop());
    assert.ok(running.json.items.some((c) => c.id === id), `featured ${href} is running`);
    const most = Math.max(...running.json.items.filter((c) => Date.parse(c.ends_at) > Date.now()).map((c) => c.participants_count));
    assert.equal(running.json.items.find((c) => c.id === id).participants_count, most);
    // Top players: the week's board as the server ranks it (all time while the week is empty).
    const week = await api('/leaderboard?period=week&limit=5');
    const board = week.json.entries.length ? week : await api('/leaderboard?period=all&limit=5');
    const names = await page.$$eval('[data-testid="top-players"] .feed-line a', (as) => as.map((a) => a.textContent.trim()));
    assert.deepEqual(names, board.json.entries.map((e) => e.display_name));
    if (board.json.entries.length) {
      const first = await page.getAttribute('[data-testid="top-players"] .feed-line a', 'href');
      assert.equal(first, `/u/${board.json.entries[0].username}`);
    }
    // The public pages are one click away, and the links land on the right tab.
    await page.click('.feed-links a[href="/leaderboard"]');
    await page.waitForURL('**/leaderboard');
    await page.goBack();
    await settle(page);
    await page.click('[data-testid="featured-competition"] a.btn');
    await page.waitForURL(`**/competitions/${id}`);
    await page.goto('/competitions?status=running');
    await settle(page);
    assert.equal(await page.getAttribute('#filter-running', 'aria-selected'), 'true');
    await page.goto('/');
    await settle(page);
    await page.waitForSelector('[data-testid="top-players"]');
    await capture(page, 'home-visitor');
  });

  test('a participant sees live and upcoming competitions, their week rank and their activity', async () => {
    const admin = await adminToken();
    const me = await register('huda');
    const tag = uniqueName('p');
    const live = await competition(admin, `مسابقة جارية ${tag}`, 2000, 7_200_000);
    await competition(admin, `مسابقة قادمة ${tag}`, 3_600_000, 7_200_000);
    const won = await competition(admin, `مسابقة محسومة ${tag}`, 2000, 5000);
    for (const id of [live, won]) {
      assert.equal((await api(`/competitions/${id}/join`, { method: 'POST', token: me.token, body: {} })).status, 201);
    }
    await sleep(2500);
    const scored = await api(`/admin/competitions/${won}/results`, {
      method: 'PUT', token: admin, body: { results: [{ user_id: me.id, score: 90 }] },
    });
    assert.equal(scored.status, 200, JSON.stringify(scored.json));
    await sleep(3000);
    const fin = await api(`/admin/competitions/${won}/finalize`, { method: 'POST', token: admin, body: {} });
    assert.equal(fin.status, 200, JSON.stringify(fin.json));

    const { page } = await openPage(browser);
    await signIn(page, me.username, PASSWORD);
    await page.waitForSelector('[data-testid="dashboard-balance"]');
    await page.waitForSelector('[data-testid="feed-live"]');
    await page.waitForSelector('[data-testid="week-rank-value"]');
    await page.waitForSelector('[data-testid="recent-activity"] .feed-line');

    assert.deepEqual(await lineTitles(page, 'feed-live'), await expectedTitles('running', 'ends_at'));
    assert.deepEqual(await lineTitles(page, 'feed-soon'), await expectedTitles('upcoming', 'starts_at'));
    // The rank is the server's, in the app's digits.
    const board = await api('/leaderboard?period=week&limit=1', { token: me.token });
    assert.ok(board.json.me, 'ranked after winning a prize this week');
    const shown = await page.textContent('[data-testid="week-rank-value"]');
    const western = shown.replace(/[٠-٩]/g, (d) => String('٠١٢٣٤٥٦٧٨٩'.indexOf(d))).replace(/[^0-9]/g, '');
    assert.equal(Number(western), board.json.me.rank);
    // The latest movement first: the prize.
    const activity = await api('/points/transactions?limit=3', { token: me.token });
    const labels = await page.$$eval('[data-testid="recent-activity"] .feed-line > .strong', (s) => s.map((x) => x.textContent.trim()));
    assert.deepEqual(labels, activity.json.items.map((i) => i.kind_label));
    // «يجري الآن» → the whole running list.
    await page.click('[data-testid="feed-live"] ~ a.quick-link');
    await page.waitForURL('**/competitions?status=running');
    await settle(page);
    assert.equal(await page.getAttribute('#filter-running', 'aria-selected'), 'true');
    await page.goto('/');
    await settle(page);
    await page.waitForSelector('[data-testid="week-rank-value"]');
    await page.waitForSelector('[data-testid="recent-activity"] .feed-line');
    await capture(page, 'home-participant');
  });

  test('the owner of a purchase request opens how to pay it and withdraws it', async () => {
    const admin = await adminToken();
    const me = await register('buyer');
    const pkg = await api('/admin/packages', {
      method: 'POST', token: admin,
      body: { name: `باقة ${uniqueName('k')}`, points: 300, bonus_points: 0, price_minor: 1500, currency: 'SAR', active: true },
    });
    assert.equal(pkg.status, 201, JSON.stringify(pkg.json));
    const req = await api('/purchases', { method: 'POST', token: me.token, key: uniqueName('buy'), body: { package_id: pkg.json.id } });
    assert.equal(req.status, 201, JSON.stringify(req.json));
    const reference = req.json.reference;

    const { page } = await openPage(browser);
    await signIn(page, me.username, PASSWORD);
    await page.waitForSelector('[data-testid="dashboard-balance"]');
    await page.goto('/store');
    await settle(page);
    const row = page.locator('[data-testid="purchase"][data-status="requested"]');
    await row.locator('[data-testid="pay-again"] summary').click();
    // The reference reads exactly as the server wrote it, left to right, digits untouched.
    assert.equal((await row.locator('[data-testid="pay-again"] .referral-code').textContent()).trim(), reference);
    await capture(page, 'store-pay-again');
    await row.locator('[data-testid="cancel-purchase"]').click();
    await page.locator('[data-testid="confirm-cancel-purchase"]').click();
    await page.waitForSelector('[data-testid="purchase"][data-status="cancelled"]');
    const mine = await api('/purchases', { token: me.token });
    assert.equal(mine.json.items.find((p) => p.reference === reference).status, 'cancelled');
  });

  test('a suspended person reads why and whom to contact when signing in', async () => {
    const admin = await adminToken();
    const me = await register('barred');
    const before = await api('/settings');
    const contact = 'help@musabaqati.example';
    const put = await api('/admin/settings', { method: 'PUT', token: admin, body: { admin_contact: contact } });
    assert.equal(put.status, 200, JSON.stringify(put.json));
    try {
      const res = await api(`/admin/users/${me.id}`, {
        method: 'PATCH', token: admin, body: { status: 'suspended', note: 'مخالفة شروط المسابقات' },
      });
      assert.equal(res.status, 200, JSON.stringify(res.json));
      const { page } = await openPage(browser, { viewport: { width: 390, height: 844 } });
      page.expectHttpError(403);
      await signIn(page, me.username, PASSWORD);
      const alert = page.locator('form[data-testid="login-form"] [role="alert"]');
      await alert.first().waitFor();
      const text = await alert.first().textContent();
      assert.ok(text.includes('مخالفة شروط المسابقات'), text);
      assert.ok(text.includes(contact), text);
      await capture(page, 'login-suspended');
    } finally {
      await api('/admin/settings', { method: 'PUT', token: admin, body: { admin_contact: before.json.admin_contact ?? '' } });
    }
  });
});
