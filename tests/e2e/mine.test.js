// «مسابقاتي» (issue 17, item 1) through the real SPA: a participant who joined three
// competitions finds the next one on the home page, opens «مسابقاتي» from the user menu, and sees
// each under its phase — the upcoming one with its start, the running one, and the finished one
// with the judges' score, the rank and the points won. Keyboard only for the tab switch.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ADMIN_PASSWORD, ADMIN_USERNAME, BASE_URL, assertNoConsoleErrors, capture, launch, openPage, settle,
  signIn, uniqueName, api,
} from './helpers.js';

let browser;
before(async () => {
  assert.ok(ADMIN_PASSWORD, 'ADMIN_PASSWORD must be set (scripts/e2e.sh does it)');
  browser = await launch();
});
after(async () => {
  await browser?.close();
});


const PASSWORD = 'مسابقاتي-كلها-2026';
const at = (ms) => new Date(Date.now() + ms).toISOString();

describe('my competitions', () => {
  test('the home card, the menu link, and every phase with its result', async () => {
    const login = await api('/auth/login', { method: 'POST', body: { login: ADMIN_USERNAME, password: ADMIN_PASSWORD } });
    assert.equal(login.status, 200);
    const admin = login.json.access_token;
    const username = uniqueName('rana');
    const reg = await api('/auth/register', {
      method: 'POST',
      body: { username, email: `${username}@example.com`, password: PASSWORD, display_name: 'رنا' },
    });
    assert.equal(reg.status, 201);
    const me = reg.json.access_token;
    const make = async (title, startsIn, endsIn) => {
      const created = await api('/admin/competitions', {
        method: 'POST',
        token: admin,
        body: {
          title, description: 'مسابقة للتجربة', kind: 'judged',
          starts_at: at(startsIn), ends_at: at(endsIn),
          entry_fee: 0, participation_points: 3, prizes: [{ rank: 1, points: 40 }],
        },
      });
      assert.equal(created.status, 201, JSON.stringify(created.json));
      const id = created.json.id;
      assert.equal((await api(`/admin/competitions/${id}/publish`, { method: 'POST', token: admin, body: {} })).status, 200);
      assert.equal((await api(`/competitions/${id}/join`, { method: 'POST', token: me, body: {} })).status, 201);
      return id;
    };
    const tag = uniqueName('m');
    const upcoming = await make(`مسابقة الغد ${tag}`, 86_400_000, 90_000_000);
    const running = await make(`مسابقة اليوم ${tag}`, 2500, 3_600_000);
    const finished = await make(`مسابقة الأمس ${tag}`, 2500, 6000);
    await new Promise((r) => setTimeout(r, 3000));
    const scored = await api(`/admin/competitions/${finished}/results`, {
      method: 'PUT', token: admin, body: { results: [{ user_id: reg.json.user.id, score: 77 }] },
    });
    assert.equal(scored.status, 200, JSON.stringify(scored.json));
    await new Promise((r) => setTimeout(r, 3500));
    const fin = await api(`/admin/competitions/${finished}/finalize`, { method: 'POST', token: admin, body: {} });
    assert.equal(fin.status, 200, JSON.stringify(fin.json));

    const { context, page } = await openPage(browser);
    await signIn(page, username, PASSWORD);
    await page.waitForSelector('[data-testid="balance"]');
    // Home: the running one (it is on now), linked.
    const card = page.locator('[data-testid="next-competition"]');
    await card.waitFor();
    assert.match(await card.innerText(), new RegExp(`مسابقة اليوم ${tag}`));
    await settle(page);
    await capture(page, '97-home-next-competition');

    // From the user menu.
    await page.click('[data-testid="user-menu"]');
    await page.click('[data-testid="menu-my-competitions"]');
    await page.waitForURL('**/my-competitions');
    await page.waitForSelector('[data-testid="mine-row"]');
    await settle(page);
    const rows = () => page.locator('[data-testid="mine-row"]').evaluateAll((els) => els.map((e) => Number(e.dataset.id)));
    assert.deepEqual(await rows(), [upcoming], 'the upcoming tab first');
    await capture(page, '98-my-competitions-upcoming');

    // Keyboard: the tab row moves with the arrow keys (RTL: ArrowLeft is "next").
    await page.focus('#mine-upcoming');
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction((id) => [...document.querySelectorAll('[data-testid="mine-row"]')].some((e) => Number(e.dataset.id) === id), running);
    assert.deepEqual(await rows(), [running]);
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction((id) => [...document.querySelectorAll('[data-testid="mine-row"]')].some((e) => Number(e.dataset.id) === id), finished);
    assert.deepEqual(await rows(), [finished]);
    const done = page.locator(`[data-testid="mine-row"][data-id="${finished}"]`);
    assert.match(await done.locator('[data-testid="mine-score"]').innerText(), /٧٧|77/);
    assert.match(await done.locator('[data-testid="mine-rank"]').innerText(), /١|1/);
    assert.match(await done.locator('[data-testid="mine-won"]').innerText(), /٤٣|43/, 'prize 40 + participation 3');
    await settle(page);
    await capture(page, '99-my-competitions-finished');
    // The results link opens the competition.
    await done.locator('a.btn').click();
    await page.waitForURL(`**/competitions/${finished}`);
    await settle(page);
    assertNoConsoleErrors(page);
    await context.close();
  });
});
