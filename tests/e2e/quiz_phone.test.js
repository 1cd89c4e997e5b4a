// The quiz on a phone (issue 13, item 7): full screen without the tab bar or the footer; no
// question needs a page scroll at 390×844 or 360×740 (typical question lengths, fixtures.js);
// the review step lists every answer with a way back to each question; the join confirmation
// and dialogs are above the tab bar.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN_PASSWORD, NARROW, PHONE, capture, launch, openPage, settle, uniqueName } from './helpers.js';
import { QUESTIONS, adminToken, participant, quiz, signInAndWait } from './fixtures.js';

let browser;
let admin;
before(async () => {
  assert.ok(ADMIN_PASSWORD, 'ADMIN_PASSWORD must be set (scripts/e2e.sh does it)');
  browser = await launch();
  admin = await adminToken();
});
after(async () => {
  await browser?.close();
});

/** Nothing to scroll: the page is no taller than the window. */
async function assertNoScroll(page, where) {
  const m = await page.evaluate(() => ({ h: document.scrollingElement.scrollHeight, inner: window.innerHeight }));
  assert.ok(m.h <= m.inner, `${where}: scrollHeight ${m.h} > innerHeight ${m.inner}`);
}

/** The rectangle of `selector` lies fully inside the window and no fixed bar covers its centre. */
async function assertOnTop(page, selector, { scroll = false } = {}) {
  if (scroll) await page.locator(selector).scrollIntoViewIfNeeded();
  const ok = await page.evaluate((s) => {
    const el = document.querySelector(s);
    const r = el.getBoundingClientRect();
    const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return r.top >= 0 && r.bottom <= window.innerHeight && (top === el || el.contains(top));
  }, selector);
  assert.ok(ok, `${selector} is visible and on top`);
}

describe('the quiz on a phone', () => {
  for (const size of [PHONE, NARROW]) {
    test(`${size.width}×${size.height}: full screen, no page scroll, the review lists every answer`, async () => {
      const who = await participant(admin, 'phq', 100);
      const id = await quiz(admin, { title: `مسابقة الهاتف ${uniqueName('p')}`, startsIn: 45_000, wait: false });
      const { context, page } = await openPage(browser, { viewport: size });
      await signInAndWait(page, who.username);
      assert.ok(await page.locator('.bottom-nav').isVisible(), 'the tab bar is there on other pages');

      // Joining: the confirmation of a free competition is immediate; check the dialog layer on
      // the competition page instead with the fee-less join.
      await page.goto(`/competitions/${id}`);
      await settle(page);
      await page.click('[data-testid="join"]');
      await page.waitForSelector('[data-testid="withdraw"]');
      await page.click('[data-testid="withdraw"]');
      await page.waitForSelector('[data-testid="confirm"]');
      await assertOnTop(page, '[data-testid="confirm-yes"]');
      await page.click('[data-testid="confirm"] .btn-ghost');
      await page.waitForSelector('[data-testid="start-quiz"]', { timeout: 60_000 });
      await page.click('[data-testid="start-quiz"]');
      await page.waitForSelector('[data-testid="question"]');
      await settle(page);

      assert.equal(await page.locator('.bottom-nav').count(), 0, 'no tab bar during the quiz');
      assert.equal(await page.locator('footer.footer').isVisible(), false, 'no footer during the quiz');
      for (let i = 0; i < QUESTIONS.length; i += 1) {
        await page.waitForFunction((n) => document.querySelector('[data-testid="question"] .q-text')?.textContent === n, QUESTIONS[i].text);
        await assertNoScroll(page, `question ${i + 1}`);
        if (i === 1) await capture(page, `a11y-quiz-phone-${size.width}`);
        if (i !== 2) await page.locator('[data-testid="question"] .choice').nth(i % 4).click();
        const next = (await page.locator('[data-testid="next"]').count()) ? 'next' : 'review';
        await assertOnTop(page, `[data-testid="${next}"]`);
        await page.click(`[data-testid="${next}"]`);
      }

      // The review lists every question with the chosen answer (or that it has none).
      await page.waitForSelector('[data-testid="send-confirm"]');
      const rows = page.locator('[data-testid="review-answer"]');
      assert.equal(await rows.count(), QUESTIONS.length);
      for (let i = 0; i < QUESTIONS.length; i += 1) {
        const text = await rows.nth(i).innerText();
        if (i === 2) assert.match(text, /لم تُجب/);
        else assert.ok(text.includes(QUESTIONS[i].choices[i % 4]), `review row ${i + 1}: ${text}`);
      }
      // The review may be longer than the screen (every answer is listed); scrolled to, the send
      // button is not under any bar.
      await assertOnTop(page, '[data-testid="send"]', { scroll: true });
      await capture(page, `a11y-quiz-review-${size.width}`);
      // Back to the unanswered question from its row, answer it, and send.
      await rows.nth(2).locator('button').click();
      await page.waitForFunction((n) => document.querySelector('[data-testid="question"] .q-text')?.textContent === n, QUESTIONS[2].text);
      await page.locator('[data-testid="question"] .choice').nth(2).click();
      await page.click('.quiz-send button');
      await page.waitForSelector('[data-testid="review-answer"]');
      assert.doesNotMatch(await page.locator('[data-testid="send-confirm"]').innerText(), /لم تُجب/);
      await page.click('[data-testid="send"]');
      await page.waitForSelector('[data-testid="quiz-score"]');
      await context.close();
    });
  }
});
