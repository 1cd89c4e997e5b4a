// Judged results through the real SPA (issue 13, item 1): an admin types the scores of a running
// judged competition, saves, corrects one and saves again, then finalizes — the flow that used to
// panic on the second save («a reactive value that has already been disposed») and on finalizing
// («RefCell already borrowed»). Any console error or page error fails the test.
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


const PASSWORD = 'خط-النسخ-2025';

describe('judged results', () => {
  test('scores saved twice, corrected and finalized without a console error', async () => {
    const login = await api('/auth/login', { method: 'POST', body: { login: ADMIN_USERNAME, password: ADMIN_PASSWORD } });
    assert.equal(login.status, 200);
    const admin = login.json.access_token;
    const title = `مسابقة الخط ${uniqueName('j')}`;
    const startsIn = 4000;
    // Long enough for one entry through the app under load; finalizing waits for the end.
    const runsFor = 40_000;
    const endsAt = Date.now() + startsIn + runsFor;
    const created = await api('/admin/competitions', {
      method: 'POST',
      token: admin,
      body: {
        title,
        description: 'أرسل أجمل لوحة بخط النسخ؛ تحكم اللجنة بالدرجات.',
        kind: 'judged',
        starts_at: new Date(Date.now() + startsIn).toISOString(),
        ends_at: new Date(endsAt).toISOString(),
        entry_fee: 0,
        participation_points: 1,
        prizes: [{ rank: 1, points: 50 }],
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const id = created.json.id;
    assert.equal((await api(`/admin/competitions/${id}/publish`, { method: 'POST', token: admin, body: {} })).status, 200);
    const artists = [];
    for (const name of ['nour', 'hadi', 'salma']) {
      const username = uniqueName(name);
      const reg = await api('/auth/register', {
        method: 'POST',
        body: { username, email: `${username}@example.com`, password: PASSWORD, display_name: `خطاط ${name}` },
      });
      assert.equal(reg.status, 201);
      const token = reg.json.access_token;
      assert.equal((await api(`/competitions/${id}/join`, { method: 'POST', token, body: {} })).status, 201);
      artists.push({ username, id: reg.json.user.id, token });
    }
    // Running once its start passes.
    await new Promise((r) => setTimeout(r, startsIn + 500));

    // One artist sends an entry through the competition page; the others through the API.
    const { context: artistContext, page: artist } = await openPage(browser);
    await signIn(artist, artists[0].username, PASSWORD);
    // Signed in once the header shows the balance (leaving earlier would abort the sign-in).
    await artist.waitForSelector('[data-testid="balance"]');
    // As a participant gets there: from the competitions list, by the card's link.
    await artist.goto('/competitions');
    await settle(artist);
    await artist.click('#filter-running');
    await artist.click(`a[href="/competitions/${id}"]`);
    await artist.waitForSelector('form[data-testid="entry-form"]');
    await settle(artist);
    await artist.fill('#f-text', 'لوحة «الحمد لله» بخط النسخ على ورق مقهّر.');
    await artist.fill('#f-link', 'https://example.com/nour.png');
    await artist.click('form[data-testid="entry-form"] button[type="submit"]');
    await artist.waitForSelector('form[data-testid="entry-form"] .alert-success');
    await settle(artist);
    await capture(artist, '96-judged-entry');
    assertNoConsoleErrors(artist);
    await artistContext.close();
    for (const a of artists.slice(1)) {
      const put = await api(`/competitions/${id}/entry`, { method: 'PUT', token: a.token, body: { text: `عمل ${a.username}` } });
      assert.equal(put.status, 200);
    }

    const { context, page } = await openPage(browser);
    await signIn(page, ADMIN_USERNAME, ADMIN_PASSWORD);
    await page.waitForSelector('[data-testid="balance"]');
    await page.goto('/admin?tab=competitions');
    await page.waitForSelector('[data-testid="admin-competition-row"]');
    await page.locator('[data-testid="admin-competition-row"]', { hasText: title }).locator('[data-testid="manage-competition"]').click();
    await page.waitForSelector('form[data-testid="results-form"] [data-testid="participant-row"]');
    await page.waitForSelector('[data-testid="entry-preview"]');
    await settle(page);
    assert.equal(await page.locator('[data-testid="entry-preview"]').count(), 3, 'every entry beside its score');
    // Judging without names: no handle in the table, entries labelled by number.
    await page.check('[data-testid="judge-anonymously"]');
    await page.waitForFunction(() => !document.querySelector('[data-testid="participants-table"] .handle'));
    await settle(page);
    assert.match(await page.locator('[data-testid="participants-table"]').innerText(), /المشاركة/);

    const scores = [70, 90, 40];
    for (const [i, artist] of artists.entries()) {
      await page.fill(`#score-${artist.id}`, String(scores[i]));
    }
    await page.click('form[data-testid="results-form"] button[type="submit"]');
    await page.waitForSelector('form[data-testid="results-form"] .alert-success');
    await settle(page);
    // The table re-rendered from the server; correct one score and save again.
    assert.equal(await page.inputValue(`#score-${artists[2].id}`), '40');
    await page.fill(`#score-${artists[2].id}`, '95');
    await page.click('form[data-testid="results-form"] button[type="submit"]');
    await page.waitForFunction(
      (sel) => document.querySelector(sel)?.value === '95',
      `#score-${artists[2].id}`,
    );
    await settle(page);
    await capture(page, '95-judged-results');
    const saved = await api(`/admin/competitions/${id}/participants`, { token: admin });
    const byUser = Object.fromEntries(saved.json.items.map((p) => [p.user_id, p.score]));
    assert.deepEqual(artists.map((a) => byUser[a.id]), [70, 90, 95]);

    // Finalize from the actions card, once the competition has ended (the button waits for it).
    assert.ok(await page.locator('[data-testid="competition-actions"] [data-testid="finalize"]').isDisabled(), 'not while running');
    await new Promise((r) => setTimeout(r, Math.max(0, endsAt - Date.now()) + 1000));
    // The open competition is part of the address (…&competition=ID): the reload lands on it.
    assert.match(page.url(), new RegExp(`[?&]competition=${id}(&|$)`));
    await page.reload();
    await page.waitForSelector('[data-testid="competition-actions"] [data-testid="finalize"]:not([disabled])');
    await settle(page);
    await page.click('[data-testid="competition-actions"] [data-testid="finalize"]');
    await page.click('[data-testid="action-yes"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="competition-actions"]')?.innerText.includes('اعتُمدت') || !document.querySelector('[data-testid="finalize"]'));
    await settle(page);
    const final = await api(`/admin/competitions/${id}`, { token: admin });
    assert.equal(final.json.status, 'finalized');
    const ranked = await api(`/admin/competitions/${id}/participants`, { token: admin });
    const winner = ranked.json.items.find((p) => p.rank === 1);
    assert.equal(winner.user_id, artists[2].id, 'the corrected score won');
    assertNoConsoleErrors(page);
    await context.close();
  });
});
