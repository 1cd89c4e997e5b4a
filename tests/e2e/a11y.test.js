// Accessibility (issue 13, item 11): axe-core runs on every page of the SPA at 1280×800 and
// 390×844, signed out, as a participant and as an admin (every admin tab), and the test fails on
// any serious or critical violation. A table of the counts per page is printed and written to
// screenshots/a11y.json.
//
// Injection: the CSP allows only 'self' scripts plus the hashed bootstrap, so
// page.addScriptTag({ content }) (an inline <script>) is refused. axe's source is evaluated
// through page.evaluate instead (DevTools-protocol evaluation is not subject to the page's CSP);
// the page's own CSP stays on, so the test sees the app exactly as people do.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { ADMIN_PASSWORD, ADMIN_USERNAME, DESKTOP, PHONE, launch, openPage, settle, uniqueName, writeMetrics } from './helpers.js';
import { adminToken, api, participant, quiz, reward, signInAndWait } from './fixtures.js';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let browser;
let admin;
let ids = {};
const results = []; // { role, size, page, serious, critical, moderate, minor, review, details }
// A11Y_COLOR_SCHEME=dark runs the same sweep on the dark palette.
const colorScheme = process.env.A11Y_COLOR_SCHEME || 'light';

before(async () => {
  assert.ok(ADMIN_PASSWORD, 'ADMIN_PASSWORD must be set (scripts/e2e.sh does it)');
  browser = await launch();
  admin = await adminToken();
  const p = await participant(admin, 'axe', 500);
  const rewardId = await reward(admin, { name: `قسيمة قهوة ${uniqueName('r')}` });
  const pkg = await api('/admin/packages', {
    method: 'POST',
    token: admin,
    body: { name: 'باقة البداية', points: 500, bonus_points: 50, price_minor: 999, currency: 'SAR', active: true },
  });
  assert.equal(pkg.status, 201, JSON.stringify(pkg.json));
  const competition = await quiz(admin, { title: `مسابقة الإتاحة ${uniqueName('q')}`, joiners: [p] });
  const upcoming = await quiz(admin, { title: `مسابقة قادمة ${uniqueName('u')}`, startsIn: 60 * 60_000, fee: 10, wait: false });
  // Chat with own and others' bubbles: the room every installation starts with, and a direct
  // chat whose last message the other person has read (✓✓ on the participant's side).
  const peer = await participant(admin, 'axepeer');
  const rooms = await api('/chat/rooms', { token: p.token });
  const square = rooms.json.items.find((r) => r.visibility === 'public' && !r.archived);
  assert.ok(square, 'a public room exists from the start');
  for (const [who, body] of [[p, 'مرحبًا بالجميع'], [peer, 'أهلًا وسهلًا']]) {
    assert.equal((await api(`/chat/rooms/${square.id}/join`, { method: 'POST', token: who.token })).status, 200);
    assert.equal((await api(`/chat/rooms/${square.id}/messages`, { method: 'POST', token: who.token, body: { body } })).status, 201);
  }
  const dm = await api('/chat/direct', { method: 'POST', token: p.token, body: { username: peer.username } });
  assert.equal(dm.status, 201, JSON.stringify(dm.json));
  const first = await api(`/chat/rooms/${dm.json.id}/messages`, { method: 'POST', token: p.token, body: { body: 'هل قرأت؟' } });
  await api(`/chat/rooms/${dm.json.id}/messages`, { method: 'POST', token: peer.token, body: { body: 'نعم' } });
  await api(`/chat/rooms/${dm.json.id}/read`, { method: 'POST', token: peer.token, body: { message_id: first.json.id } });
  await api(`/chat/rooms/${dm.json.id}/messages`, { method: 'POST', token: p.token, body: { body: 'وهذه لم تُقرأ بعد' } });
  ids = { participant: p, rewardId, competition, upcoming, square: square.id, direct: dm.json.id };
});
after(async () => {
  await browser?.close();
  if (results.length) printTable();
});

/** Runs axe on the page as it is and records the counts by impact. */
async function audit(page, role, size, name) {
  // Audit the page as it reads once shown: finite animations (a page fading in, a dialog
  // popping up) would otherwise lend their half-transparent colours to the contrast check.
  await page.evaluate(() => Promise.all(document.getAnimations()
    .filter((a) => Number.isFinite(a.effect?.getComputedTiming().endTime))
    .map((a) => a.finished.catch(() => {}))));
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations', 'incomplete'] });
    const review = r.incomplete.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: 'review', help: v.help, count: v.nodes.length,
        nodes: v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')} — ${(n.failureSummary || '').split('\n').slice(0, 2).join(' ')}`) }));
    return review.concat(r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')} — ${n.failureSummary.split('\n').slice(0, 2).join(' ')}`),
      count: v.nodes.length,
    })));
  });
  const by = (impact) => violations.filter((v) => v.impact === impact).reduce((n, v) => n + v.count, 0);
  results.push({
    role,
    size,
    page: name,
    critical: by('critical'),
    serious: by('serious'),
    moderate: by('moderate'),
    minor: by('minor'),
    review: by('review'),
    details: violations,
  });
}

function printTable() {
  const rows = results.map((r) => `${r.role.padEnd(12)} ${r.size.padEnd(8)} ${r.page.padEnd(34)} ${String(r.critical).padStart(8)} ${String(r.serious).padStart(7)} ${String(r.moderate).padStart(8)} ${String(r.minor).padStart(5)} ${String(r.review).padStart(6)}`);
  console.log(`\naxe-core violations (nodes) per page\n${'role'.padEnd(12)} ${'size'.padEnd(8)} ${'page'.padEnd(34)} critical serious moderate minor review\n${rows.join('\n')}`);
  writeMetrics(colorScheme === 'light' ? 'a11y' : `a11y-${colorScheme}`, results);
}

/** Visits each page at both sizes and audits it; `prepare` may open something first. */
async function sweep(page, role, pages) {
  for (const size of [DESKTOP, PHONE]) {
    const label = `${size.width}x${size.height}`;
    await page.setViewportSize(size);
    for (const { name, path, ready, prepare, phoneOnly } of pages) {
      if (phoneOnly && size !== PHONE) continue;
      await page.goto(path);
      await settle(page);
      if (ready) await page.waitForSelector(ready);
      if (prepare) await prepare(page);
      await audit(page, role, label, name);
    }
  }
}

function failures(role) {
  return results
    .filter((r) => r.role === role && (r.serious > 0 || r.critical > 0))
    .map((r) => `${r.size} ${r.page}: ${r.details.filter((d) => d.impact === 'serious' || d.impact === 'critical')
      .map((d) => `\n   [${d.impact}] ${d.id} (${d.count}): ${d.help}\n     ${d.nodes.join('\n     ')}`).join('')}`);
}

const PUBLIC = () => [
  { name: 'home', path: '/' },
  { name: 'login', path: '/login', ready: '#f-login' },
  { name: 'register', path: '/register', ready: '#f-username' },
  { name: 'forgot-password', path: '/forgot-password' },
  { name: 'competitions', path: '/competitions', ready: '.comp-card, .empty-state' },
  { name: 'competition', path: `/competitions/${ids.competition}` },
  { name: 'leaderboard', path: '/leaderboard' },
  { name: 'rewards', path: '/rewards' },
  { name: 'store', path: '/store' },
  { name: 'chat', path: '/chat' },
  { name: '404', path: '/no/such/page' },
];

describe('axe-core: 0 serious or critical violations', () => {
  test('signed out', async () => {
    const { context, page } = await openPage(browser, { colorScheme });
    await sweep(page, 'signed-out', PUBLIC());
    await context.close();
    assert.deepEqual(failures('signed-out'), []);
  });

  test('as a participant', async () => {
    const { context, page } = await openPage(browser, { colorScheme });
    await signInAndWait(page, ids.participant.username);
    const pages = PUBLIC().filter((p) => !['login', 'register', 'forgot-password'].includes(p.name));
    pages.push(
      { name: 'quiz', path: `/competitions/${ids.competition}/quiz`, ready: '[data-testid="question"]' },
      { name: 'points', path: '/points', ready: 'form[data-testid="transfer-form"]' },
      { name: 'redemptions', path: '/redemptions' },
      { name: 'friends', path: '/friends' },
      { name: 'chat:room', path: `/chat/${ids.square}`, ready: '.msg.mine' },
      { name: 'chat:direct', path: `/chat/${ids.direct}`, ready: '[data-testid="ticks"][data-read="true"]' },
      { name: 'profile', path: '/profile' },
      { name: 'quiz:review', path: `/competitions/${ids.competition}/quiz`, ready: '[data-testid="question"]', prepare: (p) => p.click('.quiz-send button') },
      {
        name: 'competition:join-confirm',
        path: `/competitions/${ids.upcoming}`,
        ready: '[data-testid="join"]',
        prepare: async (p) => {
          await p.click('[data-testid="join"]');
          await p.waitForSelector('[data-testid="confirm"]');
        },
      },
      {
        name: 'rewards:redeem-dialog',
        path: '/rewards',
        ready: '[data-testid="redeem"]',
        prepare: async (p) => {
          await p.locator('[data-testid="redeem"]').first().click();
          await p.waitForSelector('form[data-testid="redeem-form"]');
        },
      },
      {
        name: 'account-menu',
        path: '/points',
        prepare: async (p) => {
          await p.click('[data-testid="user-menu"]');
          await p.waitForSelector('#account-menu');
        },
      },
      {
        name: 'more-menu',
        path: '/points',
        phoneOnly: true,
        prepare: async (p) => {
          await p.click('[data-testid="more-menu"]');
          await p.waitForSelector('#more-menu');
        },
      },
      {
        name: 'notifications',
        path: '/competitions',
        prepare: async (p) => {
          await p.click('[data-testid="bell"]');
          await p.waitForSelector('[data-testid="notification"], .notif-empty, .notif-panel');
          await settle(p);
        },
      },
    );
    await sweep(page, 'participant', pages);
    await context.close();
    assert.deepEqual(failures('participant'), []);
  });

  test('as an admin, every tab', async () => {
    const { context, page } = await openPage(browser, { colorScheme });
    await signInAndWait(page, ADMIN_USERNAME, ADMIN_PASSWORD);
    const tabs = await tabKeys();
    assert.ok(tabs.length >= 15, `admin tabs: ${tabs}`);
    const pages = [{ name: 'home', path: '/' }];
    for (const key of tabs) {
      pages.push({ name: `admin:${key}`, path: `/admin?tab=${key}`, ready: `#admin-panel[data-section="${key}"]` });
    }
    // The records and forms behind the tabs: a user's page, the competition, reward and package
    // forms, and the API-key form.
    pages.push(
      { name: 'admin:users:user', path: `/admin?tab=users&user=${ids.participant.id}`, ready: '[role="dialog"]' },
      ...[['competitions', 'new-competition'], ['rewards', 'new-reward'], ['packages', 'new-package'], ['api-keys', 'new-key'],
        ['chat-rooms', 'new-chat-room']]
        .map(([tab, button]) => ({
          name: `admin:${tab}:form`,
          path: `/admin?tab=${tab}`,
          ready: `[data-testid="${button}"]`,
          prepare: async (p) => {
            await p.click(`[data-testid="${button}"]`);
            await p.waitForSelector('[role="dialog"], form');
            await settle(p);
          },
        })),
    );
    await sweep(page, 'admin', pages);
    await context.close();
    assert.deepEqual(failures('admin'), []);
  });
});

/** The admin section keys, read from the section table in frontend/src/pages/admin/mod.rs. */
async function tabKeys() {
  const src = readFileSync(new URL('../../frontend/src/pages/admin/mod.rs', import.meta.url), 'utf8');
  const list = src.slice(src.indexOf('const SECTIONS'), src.indexOf('];', src.indexOf('const SECTIONS')));
  return [...list.matchAll(/key: "([a-z-]+)"/g)].map((m) => m[1]);
}
