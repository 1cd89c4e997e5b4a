// Leaderboard pages and "around me" (issue 13, item 8) through the real SPA: fifty-five people
// earn points in one judged competition (three prizes, a participation point for everyone), so
// the all-time board is longer than a page. A visitor pages through it; the last of them, whose
// line sits pages down, jumps to the page around them and finds their own line marked, then opens
// a public profile from a name on the board.
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


const PASSWORD = 'لوحة-الصدارة-2026';
const PEOPLE = 55;

describe('leaderboard pages', () => {
  test('paging past the first fifty, and the page around me', async () => {
    const login = await api('/auth/login', { method: 'POST', body: { login: ADMIN_USERNAME, password: ADMIN_PASSWORD } });
    assert.equal(login.status, 200);
    const admin = login.json.access_token;
    // Registration closes at the start: leave time for fifty-five sign-ups on a busy machine.
    const startsAt = Date.now() + 40_000;
    const endsAt = startsAt + 5000;
    const created = await api('/admin/competitions', {
      method: 'POST',
      token: admin,
      body: {
        title: `دوري الخمسة والخمسين ${uniqueName('b')}`, description: 'مسابقة لملء لوحة الصدارة', kind: 'judged',
        starts_at: new Date(startsAt).toISOString(), ends_at: new Date(endsAt).toISOString(),
        entry_fee: 0, participation_points: 1, prizes: [{ rank: 1, points: 30 }, { rank: 2, points: 20 }, { rank: 3, points: 10 }],
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const id = created.json.id;
    assert.equal((await api(`/admin/competitions/${id}/publish`, { method: 'POST', token: admin, body: {} })).status, 200);
    const people = [];
    for (let i = 0; i < PEOPLE; i += 1) {
      const username = uniqueName(`lb${i}`);
      // Each from its own (documentation) address: one address would be an account farm.
      const ip = `198.51.100.${i + 1}`;
      const reg = await api('/auth/register', {
        method: 'POST', ip, body: { username, email: `${username}@example.com`, password: PASSWORD, display_name: `لاعب ${i + 1}` },
      });
      assert.equal(reg.status, 201, JSON.stringify(reg.json));
      assert.equal((await api(`/competitions/${id}/join`, { method: 'POST', ip, token: reg.json.access_token, body: {} })).status, 201);
      people.push({ username, id: reg.json.user.id });
    }
    await new Promise((r) => setTimeout(r, Math.max(0, startsAt - Date.now()) + 500));
    const results = people.map((p, i) => ({ user_id: p.id, score: PEOPLE - i }));
    const saved = await api(`/admin/competitions/${id}/results`, { method: 'PUT', token: admin, body: { results } });
    assert.equal(saved.status, 200, JSON.stringify(saved.json));
    await new Promise((r) => setTimeout(r, Math.max(0, endsAt - Date.now()) + 500));
    const fin = await api(`/admin/competitions/${id}/finalize`, { method: 'POST', token: admin, body: {} });
    assert.equal(fin.status, 200, JSON.stringify(fin.json));

    // A visitor pages through the board.
    const visitor = await openPage(browser);
    const v = visitor.page;
    await v.goto('/leaderboard');
    await v.waitForSelector('[data-testid="board-pager"]');
    await settle(v);
    assert.equal(await v.locator('[data-testid="board-row"]').count(), 50);
    assert.ok(await v.locator('[data-testid="board-prev"]').isDisabled(), 'no page before the first');
    await v.click('[data-testid="board-next"]');
    await v.waitForFunction(() => /(^|\s)(51|٥١)[–-]/.test(document.querySelector('[data-testid="board-range"]')?.textContent ?? ''));
    assert.ok(await v.locator('[data-testid="board-row"]').count() >= 5);
    await settle(v);
    await capture(v, '93-leaderboard-page-2');
    await v.click('[data-testid="board-prev"]');
    await v.waitForFunction(() => document.querySelectorAll('[data-testid="board-row"]').length === 50);
    assertNoConsoleErrors(v);
    await visitor.context.close();

    // The last of them is ranked pages down: "around me" finds their line.
    const last = people[PEOPLE - 1];
    const { context, page } = await openPage(browser);
    await signIn(page, last.username, PASSWORD);
    await page.waitForSelector('[data-testid="balance"]');
    await page.goto('/leaderboard');
    await page.waitForSelector('[data-testid="around-me"]');
    await settle(page);
    assert.equal(await page.locator('[data-testid="board-row"].mine').count(), 0, 'not on the first page');
    await page.click('[data-testid="around-me"]');
    const mine = page.locator('[data-testid="board-row"].mine');
    await mine.waitFor();
    assert.match(await mine.innerText(), new RegExp(last.username));
    await settle(page);
    await capture(page, '94-leaderboard-around-me');
    // A name on the board opens the public profile.
    await page.click('[data-testid="board-row"] [data-testid="board-profile-link"]');
    await page.waitForURL('**/u/**');
    await page.waitForSelector('[data-testid="public-profile"]');
    await settle(page);
    assert.equal(await page.locator('[data-testid="profile-completed"]').innerText(), '١');
    assert.ok(await page.locator('[data-testid="profile-result"]').count() >= 1, 'the finished competition is listed');
    await capture(page, '92-public-profile');
    page.expectHttpError(404);
    await page.goto('/u/no_such_person_here');
    await page.waitForSelector('[data-testid="profile-missing"]');
    await page.goto('/leaderboard');
    await page.waitForSelector('[data-testid="board-row"]');
    // Another period starts from its top again.
    await page.click('#period-week');
    await page.waitForFunction(() => !document.querySelector('[data-testid="board-range"]') || /(^|\s)(1|١)[–-]/.test(document.querySelector('[data-testid="board-range"]').textContent));
    assertNoConsoleErrors(page);
    await context.close();
  });
});
