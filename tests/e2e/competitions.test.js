// Competitions, the points ledger and leaderboards through the real SPA: an admin builds a quiz
// with a prize table in the admin UI and publishes it, two people (two browser contexts) register,
// receive points from the admin, join (entry fee), answer when it starts (one perfectly, one not),
// the admin ends and finalizes it in the UI, and both see their points, ranks and notifications.
// Every new page is photographed at 1280×800 and 390×844 and checked for RTL, console errors and
// horizontal overflow at 360 px.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ADMIN_PASSWORD, ADMIN_USERNAME, BASE_URL, PHONE, assertNoConsoleErrors, capture, launch, openPage,
  settle, signIn, uniqueName,
} from './helpers.js';

let browser;
before(async () => {
  assert.ok(ADMIN_PASSWORD, 'ADMIN_PASSWORD must be set (scripts/e2e.sh does it)');
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const quiz = {
  title: 'تحدي العواصم العربية',
  description: 'اختبار سريع عن عواصم الدول العربية: ثلاثة أسئلة، ولكل سؤال إجابة واحدة صحيحة.',
  rules: 'لكل مشارك محاولة واحدة.\nمدة الاختبار خمس دقائق من لحظة فتح الأسئلة.\nلا يمكن تعديل الإجابات بعد الإرسال.',
  category: 'جغرافيا',
  questions: [
    { text: 'ما عاصمة المملكة المغربية؟', choices: ['الدار البيضاء', 'الرباط', 'فاس'], correct: 1 },
    { text: 'ما عاصمة الأردن؟', choices: ['عمّان', 'إربد', 'الزرقاء'], correct: 0 },
    { text: 'ما عاصمة سلطنة عُمان؟', choices: ['صلالة', 'نزوى', 'مسقط'], correct: 2 },
  ],
};
const layla = { username: uniqueName('layla'), displayName: 'ليلى حسن', password: 'نجمة-الصباح-2025', award: 1200 };
const omar = { username: uniqueName('omar'), displayName: 'عمر خالد', password: 'جبل-الزيتون-2025', award: 100 };

const ar = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '٬').replace(/\d/g, (d) => '٠١٢٣٤٥٦٧٨٩'[d]);
const digits = (text) => Number(text.replace(/[٠-٩]/g, (d) => '٠١٢٣٤٥٦٧٨٩'.indexOf(d)).replace(/[^\d-]/g, ''));

/** A `datetime-local` value `ms` from now, in the browser's own time zone. */
function localInput(page, ms) {
  return page.evaluate((offset) => {
    const d = new Date(Date.now() + offset);
    const p = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  }, ms);
}

async function register(page, who) {
  await page.goto('/register');
  await settle(page);
  await page.fill('#f-display_name', who.displayName);
  await page.fill('#f-username', who.username);
  await page.fill('#f-email', `${who.username}@example.com`);
  await page.fill('#f-password', who.password);
  await page.click('form[data-testid="register-form"] button[type="submit"]');
  await page.waitForURL(`${BASE_URL}/`);
  await settle(page);
}

/** Opens the competition in the admin editor (from the competitions tab). */
async function openInAdmin(page) {
  await page.goto('/admin?tab=competitions');
  await page.waitForSelector('[data-testid="admin-competition-row"]');
  await page.locator('[data-testid="admin-competition-row"]', { hasText: quiz.title }).locator('[data-testid="manage-competition"]').click();
  await page.waitForSelector('[data-testid="competition-form"]');
  await settle(page);
}

async function saveForm(page) {
  await page.click('form[data-testid="competition-form"] button[type="submit"]');
  await page.waitForSelector('form[data-testid="competition-form"] .alert-success');
}

let competitionUrl = '';

describe('competitions, points and leaderboards', () => {
  test('an admin builds a quiz, two people take it, the admin finalizes, everyone sees the outcome', async () => {
    // ---------- Admin: an empty competitions section, then a quiz built in the UI ----------
    const admin = await openPage(browser);
    const a = admin.page;
    await signIn(a, ADMIN_USERNAME, ADMIN_PASSWORD);
    await a.waitForSelector('[data-testid="dashboard-balance"]');
    await a.goto('/admin?tab=competitions');
    await a.waitForSelector('[data-testid="new-competition"]');
    await settle(a);
    await capture(a, '50-admin-competitions-empty');

    await a.click('[data-testid="new-competition"]');
    await a.waitForSelector('[data-testid="competition-form"]');
    // The domain's rules, before any request: title required, start and end required.
    await a.click('form[data-testid="competition-form"] button[type="submit"]');
    await a.waitForSelector('#f-title-err');
    assert.match(await a.locator('#f-title-err').innerText(), /مطلوب/);
    assert.equal(await a.getAttribute('#f-starts_at', 'aria-invalid'), 'true');
    await a.fill('#f-title', 'Capitals quiz');
    await a.click('form[data-testid="competition-form"] button[type="submit"]');
    await a.waitForSelector('#f-title-err');
    assert.match(await a.locator('#f-title-err').innerText(), /بالعربية/, 'an Arabic title is required');
    await capture(a, '51-admin-competition-form-errors');

    await a.fill('#f-title', quiz.title);
    await a.fill('#f-title_en', 'Arab capitals challenge');
    await a.fill('#f-description', quiz.description);
    await a.fill('#f-rules', quiz.rules);
    await a.fill('#f-category', quiz.category);
    await a.fill('#f-starts_at', await localInput(a, 10 * 60_000));
    await a.fill('#f-ends_at', await localInput(a, 30 * 60_000));
    await a.fill('#f-entry_fee', '20');
    await a.fill('#f-participation_points', '10');
    await a.fill('#f-quiz_duration_seconds', '300');
    await a.locator('[data-testid="prize-points"]').first().fill('100');
    await a.click('[data-testid="add-prize"]');
    await a.locator('[data-testid="prize-points"]').nth(1).fill('50');
    await a.click('form[data-testid="competition-form"] button[type="submit"]');
    await a.waitForSelector('[data-testid="questions-editor"]');
    assert.match(await a.locator('[data-testid="admin-state"]').innerText(), /مسودة/);

    for (const [i, q] of quiz.questions.entries()) {
      const form = a.locator('.q-new [data-testid="question-form"]');
      await form.locator('textarea').fill(q.text);
      await form.locator('[data-testid="add-choice"]').click();
      const inputs = form.locator('[data-testid="choice-input"]');
      for (const [c, text] of q.choices.entries()) await inputs.nth(c).fill(text);
      await form.locator('.choice-correct').nth(q.correct).click();
      await form.locator('button[type="submit"]').click();
      await a.waitForFunction((n) => document.querySelectorAll('[data-testid="admin-question"]').length === n, i + 1);
    }
    assert.match(await a.locator('[data-testid="admin-question"]').first().locator('li.correct').innerText(), /الرباط/);
    await settle(a);
    await capture(a, '52-admin-competition-editor');

    await a.click('[data-testid="publish"]');
    await a.click('[data-testid="action-yes"]');
    await a.waitForFunction(() => /منشورة/.test(document.querySelector('[data-testid="admin-state"]')?.textContent || ''));
    competitionUrl = await a.locator('.editor-head a[href^="/competitions/"]').getAttribute('href');
    assert.match(competitionUrl, /^\/competitions\/\d+$/);
    await a.goto('/admin?tab=competitions');
    await a.waitForSelector('[data-testid="admin-competition-row"]');
    await settle(a);
    // The tab shows the server's count (other test files leave published competitions behind, so
    // the number is read from the API rather than assumed).
    const login = await fetch(`${BASE_URL}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: ADMIN_USERNAME, password: ADMIN_PASSWORD }),
    }).then((r) => r.json());
    const stats = await fetch(`${BASE_URL}/api/v1/admin/stats`, {
      headers: { authorization: `Bearer ${login.access_token}` },
    }).then((r) => r.json());
    const published = stats.competitions_by_status.find((s) => s.status === 'published')?.count ?? 0;
    assert.ok(published >= 1, 'the new competition is published');
    const shown = (await a.locator('#cstatus-published').innerText())
      .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660)).replace(/[^\d]/g, '');
    assert.equal(Number(shown), published, 'the published count');
    await capture(a, '53-admin-competitions');

    // ---------- Two people register (one on a desktop, one on a phone) ----------
    const ctxL = await openPage(browser);
    const l = ctxL.page;
    const ctxO = await openPage(browser, { viewport: PHONE });
    const o = ctxO.page;
    await register(l, layla);
    await register(o, omar);

    // ---------- Admin: points for both, from the users list, with a reason ----------
    for (const who of [layla, omar]) {
      await a.goto('/admin?tab=users');
      await a.waitForSelector('[data-testid="users-table"]');
      await a.fill('#admin-q', who.username);
      await a.click('form.search button[type="submit"]');
      await a.waitForFunction((u) => {
        const rows = document.querySelectorAll('[data-testid="users-table"] tbody tr');
        return rows.length === 1 && rows[0].textContent.includes(u);
      }, who.username);
      await a.click('[data-testid="award-open"]');
      await a.waitForSelector('[data-testid="award-form"]');
      // The reason is mandatory (the domain rule, before any request).
      await a.fill('#f-amount', String(who.award));
      await a.click('[data-testid="award-form"] button[type="submit"]');
      await a.waitForSelector('#f-reason-err');
      await a.fill('#f-reason', 'مكافأة ترحيب بالمشاركين الجدد');
      if (who === layla) await capture(a, '54-admin-award-dialog');
      await a.click('[data-testid="award-form"] button[type="submit"]');
      await a.waitForSelector('[data-testid="award-done"]');
      assert.match(await a.locator('[data-testid="award-done"]').innerText(), new RegExp(ar(who.award)));
      await a.keyboard.press('Escape');
      await a.waitForSelector('.modal', { state: 'detached' });
    }
    await a.click('[data-testid="ledger-open"]');
    await a.waitForSelector('.modal [data-testid="ledger-row"]');
    assert.match(await a.locator('.modal [data-testid="ledger-row"]').first().innerText(), /تعديل من الإدارة/);
    await settle(a);
    await capture(a, '55-admin-user-ledger');
    await a.keyboard.press('Escape');

    // ---------- Anonymous visitors see the competition, with a sign-in call to action ----------
    const anon = await openPage(browser);
    await anon.page.goto('/competitions');
    await anon.page.waitForSelector('[data-testid="competition-card"]');
    await settle(anon.page);
    await capture(anon.page, '40-competitions-anonymous');
    await anon.page.goto(competitionUrl);
    await anon.page.waitForSelector('[data-testid="cta"] a[href^="/login?next="]');
    assertNoConsoleErrors(anon.page);
    await anon.context.close();

    // ---------- Layla finds it, confirms the entry fee and joins ----------
    await l.click('.nav-desktop a[href="/competitions"]');
    await l.waitForSelector('[data-testid="competition-card"]');
    await settle(l);
    // Search is accent-insensitive on the server (أ/ا, ة/ه).
    await l.fill('#comp-q', 'العواصم العربيه');
    await l.waitForFunction(() => document.querySelectorAll('[data-testid="competition-card"]').length === 1);
    await capture(l, '41-competitions');
    await l.click('[data-testid="competition-card"] a.stretched');
    await l.waitForSelector('[data-testid="join"]');
    await settle(l);
    assert.match(await l.locator('[data-testid="join"]').innerText(), /٢٠/);
    await capture(l, '42-competition-detail');
    await l.click('[data-testid="join"]');
    await l.waitForSelector('[data-testid="confirm"]');
    await capture(l, '43-competition-join-confirm');
    await l.click('[data-testid="confirm-yes"]');
    await l.waitForSelector('[data-testid="withdraw"]');
    await l.waitForFunction((b) => document.querySelector('[data-testid="balance"]').textContent.includes(b), ar(layla.award - 20));

    // ---------- Omar (phone) joins, withdraws (fee refunded) and joins again ----------
    await o.goto(competitionUrl);
    await o.waitForSelector('[data-testid="join"]');
    await o.click('[data-testid="join"]');
    await o.click('[data-testid="confirm-yes"]');
    await o.waitForSelector('[data-testid="withdraw"]');
    await o.click('[data-testid="withdraw"]');
    await o.click('[data-testid="confirm-yes"]');
    await o.waitForSelector('[data-testid="join"]');
    await o.waitForFunction((b) => document.querySelector('[data-testid="balance"]').textContent.includes(b), ar(omar.award));
    await o.click('[data-testid="join"]');
    await o.click('[data-testid="confirm-yes"]');
    await o.waitForSelector('[data-testid="withdraw"]');
    await settle(o);
    await capture(o, '44-competition-joined');

    // ---------- Admin brings the start forward to a few seconds from now ----------
    await openInAdmin(a);
    await a.fill('#f-starts_at', await localInput(a, 12_000));
    await saveForm(a);

    // Both open the page again and see the new countdown, which switches to "start the quiz" by
    // itself when it reaches zero.
    await l.reload();
    await o.reload();
    await l.waitForSelector('.countdown, [data-testid="start-quiz"]');
    await l.waitForSelector('[data-testid="start-quiz"]', { timeout: 40_000 });
    await o.waitForSelector('[data-testid="start-quiz"]', { timeout: 40_000 });

    // ---------- Layla answers everything right, with the mouse ----------
    await l.click('[data-testid="start-quiz"]');
    await l.waitForSelector('[data-testid="question"]');
    await settle(l);
    for (const [i, q] of quiz.questions.entries()) {
      await l.waitForFunction((t) => document.querySelector('[data-testid="question"] .q-text')?.textContent === t, q.text);
      await l.locator('[data-testid="question"] .choice').nth(q.correct).click();
      if (i === 0) await capture(l, '45-quiz');
      if (i < quiz.questions.length - 1) await l.click('[data-testid="next"]');
    }
    await l.click('[data-testid="review"]');
    await l.waitForSelector('[data-testid="send-confirm"]');
    assert.match(await l.locator('[data-testid="send-confirm"]').innerText(), /أجبت عن ٣ من ٣/);
    await capture(l, '46-quiz-confirm');
    await l.click('[data-testid="send"]');
    await l.waitForSelector('[data-testid="quiz-score"]');
    assert.equal(await l.locator('[data-testid="score-value"]').innerText(), '٣');
    await settle(l);
    await capture(l, '47-quiz-score');

    // ---------- Omar answers with the keyboard: right once, then wrong twice ----------
    await o.click('[data-testid="start-quiz"]');
    await o.waitForSelector('[data-testid="question"]');
    await o.focus('[data-testid="question"] input[type="radio"]');
    await o.keyboard.press('Space'); // the first choice…
    await o.keyboard.press('ArrowDown'); // …then the next one: الرباط
    assert.equal(await o.locator('[data-testid="question"] input[type="radio"]:checked').getAttribute('value'), '1');
    await o.click('[data-testid="next"]');
    await o.locator('[data-testid="question"] .choice').nth(1).click();
    await o.click('[data-testid="next"]');
    await o.locator('[data-testid="question"] .choice').nth(0).click();
    await o.click('[data-testid="review"]');
    await o.click('[data-testid="send"]');
    await o.waitForSelector('[data-testid="quiz-score"]');
    assert.equal(await o.locator('[data-testid="score-value"]').innerText(), '١');

    // ---------- Admin ends it now and finalizes through the UI ----------
    await openInAdmin(a);
    assert.match(await a.locator('[data-testid="admin-state"]').innerText(), /جارية/);
    await a.fill('#f-ends_at', await localInput(a, 6_000));
    await saveForm(a);
    await a.waitForTimeout(7_000);
    await openInAdmin(a);
    await a.waitForSelector('[data-testid="finalize"]:not([disabled])');
    await a.click('[data-testid="finalize"]');
    await a.waitForSelector('[data-testid="action-confirm"]');
    await a.click('[data-testid="action-yes"]');
    await a.waitForSelector('[data-testid="competition-actions"] .alert-success');
    assert.match(await a.locator('[data-testid="competition-actions"] .alert-success').innerText(), /اعتُمدت النتائج/);
    await a.waitForFunction(() => /معتمدة/.test(document.querySelector('[data-testid="admin-state"]')?.textContent || ''));
    await a.waitForSelector('[data-testid="participant-row"]');
    await settle(a);
    await capture(a, '56-admin-competition-finalized');
    assertNoConsoleErrors(a);

    // ---------- Results and ranks on the competition page ----------
    await l.goto(competitionUrl);
    await l.waitForSelector('[data-testid="my-result"]');
    await settle(l);
    assert.equal(await l.locator('[data-testid="my-result-rank"]').innerText(), '١');
    await capture(l, '48-competition-results');
    await o.goto(competitionUrl);
    await o.waitForSelector('[data-testid="my-result"]');
    assert.equal(await o.locator('[data-testid="my-result-rank"]').innerText(), '٢');

    // ---------- Points: balances, history, chart, a transfer over the daily limit, then one within it ----------
    const laylaBalance = layla.award - 20 + 100 + 10;
    await l.click('.nav-desktop a[href="/points"]');
    await l.waitForSelector('[data-testid="ledger-row"]');
    await settle(l);
    assert.equal(await l.locator('[data-testid="points-balance"] .num').innerText(), ar(laylaBalance));
    const kinds = await l.locator('[data-testid="ledger-row"]').evaluateAll((rows) => rows.map((r) => r.dataset.kind));
    for (const kind of ['admin_adjustment', 'entry_fee', 'competition_prize', 'participation']) {
      assert.ok(kinds.includes(kind), `${kind} in the history (${kinds})`);
    }
    assert.ok(await l.locator('.chart svg').count() === 1, 'the balance chart');
    await capture(l, '57-points');

    l.expectHttpError(422);
    await l.fill('#f-to_username', omar.username);
    await l.fill('#f-amount', '١١٠٠'); // Arabic-Indic digits are accepted
    await l.fill('#f-note', 'هدية الفوز');
    await l.click('form[data-testid="transfer-form"] button[type="submit"]');
    await l.waitForSelector('[data-testid="transfer-confirm"]');
    assert.match(await l.locator('[data-testid="transfer-confirm"]').innerText(), new RegExp(omar.displayName));
    await capture(l, '58-points-transfer-confirm');
    await l.click('[data-testid="transfer-send"]');
    await l.waitForSelector('#f-amount-err');
    assert.match(await l.locator('#f-amount-err').innerText(), /الحد اليومي/);
    await capture(l, '59-points-transfer-limit');
    await l.fill('#f-amount', '15');
    await l.click('form[data-testid="transfer-form"] button[type="submit"]');
    await l.click('[data-testid="transfer-send"]');
    await l.waitForSelector('form[data-testid="transfer-form"] .alert-success');
    await l.waitForFunction((b) => document.querySelector('[data-testid="points-balance"] .num').textContent === b, ar(laylaBalance - 15));

    const omarBalance = omar.award - 20 + 50 + 10 + 15;
    await o.goto('/points');
    await o.waitForSelector('[data-testid="ledger-row"]');
    await o.waitForFunction((b) => document.querySelector('[data-testid="points-balance"] .num').textContent === b, ar(omarBalance));
    await o.selectOption('[data-testid="history-kind"]', 'transfer_in');
    await o.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid="ledger-row"]')];
      return rows.length === 1 && rows[0].dataset.kind === 'transfer_in';
    });
    assert.match(await o.locator('[data-testid="ledger-row"]').innerText(), new RegExp(`@${layla.username}`));
    await settle(o);
    await capture(o, '57-points-phone-filtered');

    // ---------- Leaderboard: both ranks, Layla first ----------
    await l.click('.nav-desktop a[href="/leaderboard"]');
    await l.waitForSelector('[data-testid="my-rank-value"]');
    await settle(l);
    const laylaRank = digits(await l.locator('[data-testid="my-rank-value"]').innerText());
    assert.ok(await l.locator('.board-row.mine').count() === 1, 'her own row is highlighted');
    await capture(l, '49-leaderboard');
    await l.click('#period-week');
    await l.waitForSelector('#period-week[aria-selected="true"]');
    await l.waitForSelector('[data-testid="my-rank-value"]');
    await o.click('.bottom-nav a[href="/leaderboard"]');
    await o.waitForSelector('[data-testid="my-rank-value"]');
    const omarRank = digits(await o.locator('[data-testid="my-rank-value"]').innerText());
    assert.ok(laylaRank >= 1 && laylaRank < omarRank, `Layla (${laylaRank}) ranks above Omar (${omarRank})`);

    // ---------- Notifications: the bell counts, the panel lists, "mark all read" clears ----------
    await o.waitForSelector('[data-testid="bell-count"]');
    assert.ok(digits(await o.locator('[data-testid="bell-count"]').innerText()) >= 3, 'award, result and transfer');
    await o.click('[data-testid="bell"]');
    await o.waitForSelector('[data-testid="notification"]');
    await settle(o);
    assert.match(await o.locator('#notif-panel').innerText(), /وصلتك نقاط/);
    await capture(o, '39-notifications');
    await o.click('[data-testid="mark-all-read"]');
    await o.waitForSelector('[data-testid="bell-count"]', { state: 'detached' });
    await o.keyboard.press('Escape');

    assertNoConsoleErrors(l);
    assertNoConsoleErrors(o);
    await ctxL.context.close();
    await ctxO.context.close();
    await admin.context.close();
  });
});
