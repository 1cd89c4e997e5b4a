// Keyboard only (issue 13, item 11): one flow per area — sign in, join a competition, redeem a
// reward, send a transfer — with Tab, Shift+Tab, Enter, Space and typing; no clicks. Each test
// asserts the outcome, and that focus lands on the next step when a step replaces the control
// that opened it (a confirmation, a dialog).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN_PASSWORD, capture, launch, openPage, settle, uniqueName } from './helpers.js';
import { PASSWORD, adminToken, api, participant, quiz, reward, signInAndWait } from './fixtures.js';

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

/** Presses Tab until the focused element matches `selector` (at most `max` presses). */
async function tabTo(page, selector, max = 80) {
  for (let i = 0; i < max; i += 1) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`Tab never reached ${selector}`);
}

const focused = (page, selector) => page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);

describe('keyboard only', () => {
  test('sign in', async () => {
    const who = await participant(admin, 'kbd');
    const { context, page } = await openPage(browser);
    await page.goto('/login');
    await settle(page);
    await tabTo(page, '#f-login');
    await page.keyboard.type(who.username);
    await page.keyboard.press('Tab');
    assert.ok(await focused(page, '#f-password'), 'Tab goes from the login to the password');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="balance"]');
    await page.waitForURL((u) => new URL(u).pathname === '/');
    await context.close();
  });

  test('join a competition (fee confirmation)', async () => {
    const who = await participant(admin, 'kbj', 300);
    const id = await quiz(admin, { title: `مسابقة لوحة المفاتيح ${uniqueName('k')}`, startsIn: 10 * 60_000, fee: 20, wait: false });
    const { context, page } = await openPage(browser);
    await signInAndWait(page, who.username);
    await page.goto(`/competitions/${id}`);
    await settle(page);
    await tabTo(page, '[data-testid="join"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="confirm"]');
    // The confirmation replaces the button: focus moves to its confirm action.
    await page.waitForFunction(() => document.activeElement?.matches('[data-testid="confirm-yes"]'));
    await page.keyboard.press('Space');
    await page.waitForSelector('[data-testid="withdraw"]');
    const me = await api(`/competitions/${id}`, { token: who.token });
    assert.equal(me.json.joined, true, JSON.stringify(me.json));
    await context.close();
  });

  test('redeem a reward (dialog)', async () => {
    const who = await participant(admin, 'kbr', 400);
    const name = `بطاقة هدية ${uniqueName('g')}`;
    await reward(admin, { name, cost: 150 });
    const { context, page } = await openPage(browser);
    await signInAndWait(page, who.username);
    await page.goto('/rewards');
    await settle(page);
    const card = page.locator('article', { hasText: name });
    await card.waitFor();
    await card.evaluate((el) => el.setAttribute('data-kbd-target', '1'));
    await tabTo(page, '[data-kbd-target] [data-testid="redeem"]', 200);
    await page.keyboard.press('Enter');
    await page.waitForSelector('form[data-testid="redeem-form"]');
    // The dialog takes focus; Tab reaches its submit button without leaving it.
    await page.waitForFunction(() => document.activeElement && document.activeElement.closest('[role="dialog"]'));
    await tabTo(page, 'form[data-testid="redeem-form"] button[type="submit"]', 12);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="redeem-done"]');
    const balance = await api('/points/balance', { token: who.token });
    assert.equal(balance.json.points_balance, 250);
    await context.close();
  });

  test('send a transfer (confirmation)', async () => {
    const sender = await participant(admin, 'kbs', 200);
    const recipient = await participant(admin, 'kbt');
    const { context, page } = await openPage(browser);
    await signInAndWait(page, sender.username);
    await page.goto('/points');
    await settle(page);
    await tabTo(page, '#f-to_username', 120);
    await page.keyboard.type(recipient.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type('٣٠');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="transfer-confirm"]');
    await page.waitForFunction(() => document.activeElement?.matches('[data-testid="transfer-send"]'));
    await capture(page, 'a11y-keyboard-transfer-confirm');
    await page.keyboard.press('Space');
    await page.waitForSelector('form[data-testid="transfer-form"] .alert-success');
    const to = await api('/points/balance', { token: recipient.token });
    assert.equal(to.json.points_balance, 30);
    await context.close();
  });
});
