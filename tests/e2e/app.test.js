// The Arabic SPA against the real server: every page renders right-to-left in Arabic without
// console errors or horizontal overflow, and the account flows work end to end.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ADMIN_PASSWORD, ADMIN_USERNAME, BASE_URL, PHONE, assertNoConsoleErrors, assertShell, capture,
  launch, openPage, settle, signIn, signOut, uniqueName, writeMetrics,
} from './helpers.js';

let browser;
before(async () => {
  assert.ok(ADMIN_PASSWORD, 'ADMIN_PASSWORD must be set (scripts/e2e.sh does it)');
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const user = {
  username: uniqueName('sara'),
  displayName: 'سارة الأحمد',
  password: 'قمر-الصحراء-2025',
  newPassword: 'نخلة-عالية-في-الريح',
  email: '',
  newEmail: '',
};
user.email = `${user.username}@example.com`;
user.newEmail = `${user.username}.new@example.com`;
let adminReferral = '';

describe('anonymous visitor', () => {
  test('landing page, sign-in, registration and 404 render in Arabic, RTL', async () => {
    const { context, page } = await openPage(browser);
    await page.goto('/');
    await settle(page);
    await assertShell(page);
    assert.match(await page.locator('.hero h1').innerText(), /كربتو/);
    await assert.doesNotReject(page.locator('a[href="/register"]').first().waitFor());
    await capture(page, '01-landing');

    await page.goto('/login');
    await settle(page);
    await capture(page, '02-login');

    await page.goto('/register');
    await settle(page);
    await capture(page, '03-register');

    // The same validation rules as the server, shown beside each field, before any request.
    await page.click('form[data-testid="register-form"] button[type="submit"]');
    await page.waitForSelector('#f-username-err');
    for (const field of ['display_name', 'username', 'email', 'password']) {
      assert.equal(await page.getAttribute(`#f-${field}`, 'aria-invalid'), 'true', `${field} invalid`);
    }
    assert.match(await page.locator('#f-username-err').innerText(), /اسم المستخدم مطلوب/);
    await capture(page, '04-register-errors');

    await page.goto('/no/such/page');
    await settle(page);
    assert.match(await page.locator('h1').innerText(), /الصفحة غير موجودة/);
    await capture(page, '05-not-found');

    // A protected page sends the visitor to sign in, remembering where they were going.
    await page.goto('/profile');
    await page.waitForURL(/\/login\?next=%2Fprofile$/);
    assertNoConsoleErrors(page);
    await context.close();
  });
});

describe('admin', () => {
  test('an admin signs in, sees the admin link and the admin pages', async () => {
    const { context, page } = await openPage(browser);
    await signIn(page, ADMIN_USERNAME, ADMIN_PASSWORD);
    await page.waitForSelector('[data-testid="dashboard-balance"]');
    await settle(page);
    await page.waitForSelector('[data-testid="admin-link"]');
    adminReferral = (await page.locator('[data-testid="referral-code"]').innerText()).trim();
    assert.match(adminReferral, /^[A-Za-z0-9]+$/);
    await capture(page, '10-admin-dashboard');

    await page.click('.nav-desktop [data-testid="admin-link"]');
    await page.waitForURL('**/admin');
    // The admin area opens on its overview; the users are one tab away.
    await page.waitForSelector('.kpi-grid');
    await page.click('#tab-users');
    await page.waitForSelector('[data-testid="users-table"]');
    await settle(page);
    assert.match(await page.locator('[data-testid="users-table"]').innerText(), new RegExp(`@${ADMIN_USERNAME}`));
    await capture(page, '11-admin-users');

    await page.click('#tab-audit');
    await page.waitForSelector('[data-testid="audit-entry"]');
    await settle(page);
    assert.match(await page.locator('.audit-list').innerText(), /تسجيل دخول/);
    await capture(page, '12-admin-audit');

    // The account menu: keyboard-openable, closes with Escape.
    await page.focus('[data-testid="user-menu"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#account-menu');
    assert.equal(await page.getAttribute('[data-testid="user-menu"]', 'aria-expanded'), 'true');
    await capture(page, '13-account-menu');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#account-menu', { state: 'detached' });

    await signOut(page);
    assertNoConsoleErrors(page);
    await context.close();
  });
});

describe('a new participant', () => {
  test('registers through a friend\'s link and lands on a dashboard with a welcome card', async () => {
    const { context, page } = await openPage(browser);
    await page.goto(`/register?ref=${encodeURIComponent(adminReferral || 'ABC123')}`);
    await settle(page);
    assert.equal(await page.inputValue('#f-referral_code'), adminReferral || 'ABC123', 'referral prefilled from ?ref=');
    await page.fill('#f-display_name', user.displayName);
    await page.fill('#f-username', user.username);
    await page.fill('#f-email', user.email);
    await page.fill('#f-password', user.password);
    const submit = page.locator('form[data-testid="register-form"] button[type="submit"]');
    await submit.click();
    await page.waitForURL(`${BASE_URL}/`);
    await page.waitForSelector('[data-testid="welcome"]');
    await settle(page);
    assert.match(await page.locator('h1').innerText(), new RegExp(user.displayName));
    assert.equal(await page.locator('[data-testid="admin-link"]').count(), 0, 'no admin link for a participant');
    // Digits follow the setting: Arabic-Indic by default.
    assert.match(await page.locator('[data-testid="balance"]').innerText(), /٠/);
    await capture(page, '20-dashboard-new-user');

    // Copying the referral code puts it on the clipboard.
    const code = (await page.locator('[data-testid="referral-code"]').innerText()).trim();
    await page.locator('.referral button', { hasText: 'نسخ الرمز' }).click();
    await page.waitForFunction((c) => navigator.clipboard.readText().then((t) => t === c), code);

    // Western digits, remembered across reloads (the reload also restores the session).
    await page.click('label[for="digits-footer-latn"]');
    await page.reload();
    await settle(page);
    await page.waitForSelector('[data-testid="dashboard-balance"]');
    assert.match(await page.locator('[data-testid="balance"]').innerText(), /0/);
    await page.click('label[for="digits-footer-arab"]');

    await page.emulateMedia({ colorScheme: 'dark' });
    await capture(page, '21-dashboard-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await signOut(page);
    assert.match(await page.locator('.alert-success').innerText(), /سجّلت الخروج/);
    assertNoConsoleErrors(page);
    await context.close();
  });

  test('signs in, edits the profile, changes the password and signs in with the new one', async () => {
    const { context, page } = await openPage(browser);

    // A wrong password shows the server's Arabic message, not raw JSON.
    page.expectHttpError(401);
    await signIn(page, user.username, 'not-the-password');
    await page.waitForSelector('.alert-error');
    assert.match(await page.locator('.alert-error').innerText(), /غير صحيحة/);

    await page.fill('#f-password', user.password);
    await page.click('form[data-testid="login-form"] button[type="submit"]');
    await page.waitForURL(`${BASE_URL}/`);
    await page.waitForSelector('[data-testid="dashboard-balance"]');

    // The profile lives in the account menu on wide screens (the header nav has the sections).
    await page.click('[data-testid="user-menu"]');
    await page.click('#account-menu a[href="/profile"]');
    await page.waitForURL('**/profile');
    await page.waitForSelector('[data-testid="session"]');
    await settle(page);
    assert.equal(await page.inputValue('#f-display_name'), user.displayName);
    assert.equal(await page.inputValue('#f-email'), user.email);
    assert.ok((await page.locator('[data-testid="session"].current').count()) === 1, 'the current device is listed');
    await capture(page, '30-profile');

    // Edit display name and email.
    await page.fill('#f-display_name', 'سارة أحمد');
    await page.fill('#f-email', user.newEmail);
    await page.click('form[data-testid="profile-form"] button[type="submit"]');
    await page.waitForSelector('form[data-testid="profile-form"] .alert-success');
    await page.reload();
    await settle(page);
    await page.waitForSelector('#f-display_name');
    assert.equal(await page.inputValue('#f-display_name'), 'سارة أحمد', 'display name saved');
    assert.equal(await page.inputValue('#f-email'), user.newEmail, 'email saved');

    // Wrong current password: the server's message appears beside that field.
    page.expectHttpError(422);
    await page.fill('#f-current_password', 'wrong-current-password');
    await page.fill('#f-new_password', user.newPassword);
    await page.fill('#f-confirm_password', user.newPassword);
    await page.click('form[data-testid="password-form"] button[type="submit"]');
    await page.waitForSelector('#f-current_password-err');
    await capture(page, '31-profile-password-error');

    await page.fill('#f-current_password', user.password);
    await page.click('form[data-testid="password-form"] button[type="submit"]');
    await page.waitForSelector('form[data-testid="password-form"] .alert-success');
    assert.equal(await page.inputValue('#f-current_password'), '', 'password fields cleared');

    // Still signed in with the new access token: the sessions list loads again.
    await page.reload();
    await settle(page);
    await page.waitForSelector('[data-testid="session"].current');

    // An expired access token: the first /me/sessions answers 401, the app refreshes once
    // (the refresh cookie rotates) and retries; the person notices nothing.
    let refreshes = 0;
    page.on('request', (req) => {
      if (req.url().endsWith('/api/v1/auth/refresh')) refreshes += 1;
    });
    let rejected = false;
    await page.route('**/api/v1/me/sessions', async (route) => {
      if (rejected) return route.continue();
      rejected = true;
      page.expectHttpError(401);
      return route.fulfill({
        status: 401,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'token_expired', message: 'انتهت صلاحية الجلسة؛ سجّل الدخول من جديد.', fields: {} } }),
      });
    });
    await page.reload();
    await settle(page);
    await page.waitForSelector('[data-testid="session"].current');
    assert.ok(rejected, 'the 401 was served');
    assert.equal(refreshes, 2, 'one refresh at start-up, one after the 401');
    await page.unrouteAll();

    await signOut(page);

    page.expectHttpError(401);
    await signIn(page, user.username, user.password);
    await page.waitForSelector('.alert-error');

    await page.fill('#f-password', user.newPassword);
    await page.click('form[data-testid="login-form"] button[type="submit"]');
    await page.waitForURL(`${BASE_URL}/`);
    await page.waitForSelector('[data-testid="dashboard-balance"]');
    assertNoConsoleErrors(page);
    await context.close();
  });

  test('a protected page brings the person back after signing in', async () => {
    const { context, page } = await openPage(browser, { viewport: PHONE });
    await page.goto('/profile');
    await page.waitForURL(/\/login\?next=%2Fprofile$/);
    await settle(page);
    await page.fill('#f-login', user.newEmail);
    await page.fill('#f-password', user.newPassword);
    await page.click('form[data-testid="login-form"] button[type="submit"]');
    await page.waitForURL('**/profile');
    await page.waitForSelector('.bottom-nav');
    await page.waitForSelector('[data-testid="session"]');

    // Sign out everywhere from the sessions card.
    await page.click('[data-testid="logout-all"]');
    await page.locator('.confirm .btn-danger').click();
    await page.waitForURL('**/login');
    await settle(page);
    assert.match(await page.locator('.alert-success').innerText(), /جميع الأجهزة/);
    await page.reload();
    await settle(page);
    assert.equal(await page.locator('[data-testid="user-menu"]').count(), 0, 'signed out after reload');
    assertNoConsoleErrors(page);
    await context.close();
  });
});

describe('performance', () => {
  test('first paint on localhost and the size of what the browser downloads', async () => {
    // Three cold loads (fresh context, cache disabled); the median is reported and checked.
    const runs = [];
    let encodings = {};
    for (let i = 0; i < 3; i += 1) {
      const { context, page } = await openPage(browser);
      const client = await context.newCDPSession(page);
      await client.send('Network.setCacheDisabled', { cacheDisabled: true });
      page.on('response', (resp) => {
        encodings[new URL(resp.url()).pathname] = resp.headers()['content-encoding'] || 'identity';
      });
      await page.goto('/', { waitUntil: 'load' });
      await settle(page);
      runs.push(await page.evaluate(() => {
        const paint = Object.fromEntries(performance.getEntriesByType('paint').map((e) => [e.name, Math.round(e.startTime)]));
        const nav = performance.getEntriesByType('navigation')[0];
        // The main module plus the lazily loaded modules the home page needed (wasm-split).
        const modules = performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.wasm'));
        const wasm = modules.find((r) => r.name.endsWith('_bg.wasm'));
        const sum = (key) => modules.reduce((total, r) => total + r[key], 0);
        return {
          first_paint_ms: paint['first-paint'],
          first_contentful_paint_ms: paint['first-contentful-paint'],
          dom_content_loaded_ms: Math.round(nav.domContentLoadedEventEnd),
          // Set by the app right after mounting (frontend/src/main.rs).
          app_mounted_ms: Math.round(performance.getEntriesByName('app-mounted')[0]?.startTime ?? -1),
          wasm_transfer_bytes: wasm?.transferSize,
          wasm_decoded_bytes: wasm?.decodedBodySize,
          wasm_modules: modules.length,
          wasm_total_transfer_bytes: sum('transferSize'),
          wasm_total_encoded_bytes: sum('encodedBodySize'),
          wasm_total_decoded_bytes: sum('decodedBodySize'),
        };
      }));
      assertNoConsoleErrors(page);
      await context.close();
    }
    const median = (key) => runs.map((r) => r[key]).sort((a, b) => a - b)[1];
    const summary = {
      first_paint_ms: median('first_paint_ms'),
      first_contentful_paint_ms: median('first_contentful_paint_ms'),
      app_mounted_ms: median('app_mounted_ms'),
      wasm_transfer_bytes: runs[0].wasm_transfer_bytes,
      wasm_decoded_bytes: runs[0].wasm_decoded_bytes,
      wasm_modules: runs[0].wasm_modules,
      wasm_total_transfer_bytes: runs[0].wasm_total_transfer_bytes,
      wasm_total_encoded_bytes: runs[0].wasm_total_encoded_bytes,
      wasm_total_decoded_bytes: runs[0].wasm_total_decoded_bytes,
      runs,
      content_encoding: encodings,
    };
    writeMetrics('metrics', summary);
    console.log(`first paint ${summary.first_paint_ms} ms (median of 3), app mounted ${summary.app_mounted_ms} ms, `
      + `wasm transferred: main ${summary.wasm_transfer_bytes} B, with the home page's lazy modules `
      + `${summary.wasm_total_encoded_bytes} B in ${summary.wasm_modules} files (${summary.wasm_total_transfer_bytes} B with headers)`);
    assert.ok(summary.first_paint_ms <= 1000, `first paint ${summary.first_paint_ms} ms > 1 s`);
    // The size budget (WASM bytes compressed as the server sends them): a byte count, not a
    // timing, so it is stable on a noisy machine.
    assert.ok(summary.wasm_total_encoded_bytes <= 350 * 1024,
      `the home page downloads ${summary.wasm_total_encoded_bytes} B of WASM > 350 KB`);
  });
});
