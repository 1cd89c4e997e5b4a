// Chat and Friend Challenge through the real SPA and server:
// (a) two people (two browser contexts) join a public room and see each other's messages live,
//     page back through history, start a direct chat from the leaderboard, see typing, edits,
//     deletions, blocking, a private group with an invitation, muting, the unread count in the
//     navigation, read ticks in the direct chat, own bubbles in the brand colour and the
//     rate-limit message beside the composer;
// (b) a person copies their invite link, a friend registers from it in another browser (another
//     network), completes a quiz the admin created, the admin finalizes, both see the bonus;
// (c) a referral flagged because it came from the inviter's own device is approved, another is
//     rejected, in /admin/referrals;
// (d) an admin creates, renames, archives and unarchives a public room in «غرف الدردشة», and a
//     participant sees it come and go.
// Every new page is photographed at 1280×800 and 390×844 and checked for RTL, console errors and
// horizontal overflow at 360 px.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ADMIN_PASSWORD, ADMIN_USERNAME, BASE_URL, PHONE, assertNoConsoleErrors, capture, launch, openPage,
  settle, signIn, uniqueName,
} from './helpers.js';

const PASSWORD = 'نخلة-الواحة-2025';
const layla = { username: uniqueName('layla'), displayName: 'ليلى Hassan' };
const omar = { username: uniqueName('omar'), displayName: 'عمر خالد' };
const fans = Array.from({ length: 6 }, (_, i) => ({ username: uniqueName(`fan${i}`), displayName: `مشجع ${i + 1}` }));
const friend = { username: uniqueName('rami'), displayName: 'رامي Friend' };
const ROOM = 'ساحة المتسابقين';
const FIRST = 'أول رسالة في الساحة';

/** 1450 → "١٬٤٥٠", the way the app writes numbers by default. */
function ar(n) {
  const digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, '\u066C');
  return digits.replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d)));
}

/** A JSON call to the API as `token` (or anonymously). */
async function api(path, { method = 'GET', token, body, headers = {} } = {}) {
  const resp = await fetch(`${BASE_URL}/api/v1${path}`, {
    method,
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await resp.text();
  return { status: resp.status, json: text ? JSON.parse(text) : null, retryAfter: Number(resp.headers.get('retry-after') || 0) };
}

/**
 * `who` wins a judged competition worth `points`: boards count points earned by competing, and
 * an admin's award never puts anyone on them (issue 13).
 */
async function winCompetition(who, points) {
  const startsIn = 2500;
  const endsIn = startsIn + 2500;
  const created = await api('/admin/competitions', {
    method: 'POST',
    token: adminToken,
    body: {
      title: 'مسابقة الخاطرة القصيرة',
      description: 'خاطرة من ثلاثة أسطر، تحكم فيها اللجنة.',
      kind: 'judged',
      starts_at: new Date(Date.now() + startsIn).toISOString(),
      ends_at: new Date(Date.now() + endsIn).toISOString(),
      entry_fee: 0,
      participation_points: 0,
      prizes: [{ rank: 1, points }],
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  const id = created.json.id;
  assert.equal((await api(`/admin/competitions/${id}/publish`, { method: 'POST', token: adminToken, body: {} })).status, 200);
  assert.equal((await api(`/competitions/${id}/join`, { method: 'POST', token: who.token, body: {} })).status, 201);
  await new Promise((r) => setTimeout(r, startsIn + 300));
  const scored = await api(`/admin/competitions/${id}/results`, {
    method: 'PUT', token: adminToken, body: { results: [{ user_id: who.id, score: 10 }] },
  });
  assert.equal(scored.status, 200, JSON.stringify(scored.json));
  // Results are final once it has ended.
  await new Promise((r) => setTimeout(r, endsIn - startsIn));
  const final = await api(`/admin/competitions/${id}/finalize`, { method: 'POST', token: adminToken, body: {} });
  assert.equal(final.status, 200, JSON.stringify(final.json));
}

async function registerAndLogin(who) {
  const reg = await api('/auth/register', {
    method: 'POST',
    body: { username: who.username, email: `${who.username}@example.com`, password: PASSWORD, display_name: who.displayName },
  });
  assert.equal(reg.status, 201, JSON.stringify(reg.json));
  const login = await api('/auth/login', { method: 'POST', body: { login: who.username, password: PASSWORD } });
  assert.equal(login.status, 200, JSON.stringify(login.json));
  who.token = login.json.access_token;
  who.id = login.json.user.id;
}

/** The message bubble with this text, in the open room. */
const bubble = (page, text) => page.locator('[data-testid="message"]', { hasText: text });

async function openChat(page) {
  await page.goto('/chat');
  await page.waitForSelector('.chat-side [data-testid="room-item"], .chat-none');
  await settle(page);
}

async function send(page, text) {
  await page.fill('#chat-input', text);
  await page.press('#chat-input', 'Enter');
}

let browser;
let admin;
let l; // Layla, desktop
let o; // Omar, phone
let roomUrl = '';
let adminToken = '';
before(async () => {
  assert.ok(ADMIN_PASSWORD, 'ADMIN_PASSWORD must be set (scripts/e2e.sh does it)');
  browser = await launch();
  for (const who of [layla, omar, ...fans]) await registerAndLogin(who);
  const login = await api('/auth/login', { method: 'POST', body: { login: ADMIN_USERNAME, password: ADMIN_PASSWORD } });
  adminToken = login.json.access_token;
});
after(async () => {
  for (const s of [admin, l, o]) await s?.context.close();
  await browser?.close();
});

describe('chat', () => {
  test('setup: a public room with a long history', async () => {
    const room = await api('/admin/chat/rooms', {
      method: 'POST', token: adminToken, body: { name: ROOM, description: 'مكان المتسابقين للتعارف وتبادل النصائح قبل كل مسابقة.' },
    });
    assert.equal(room.status, 201, JSON.stringify(room.json));
    roomUrl = `/chat/${room.json.id}`;
    // Six people write ten messages each (the limit is ten per ten seconds per person).
    for (const [i, fan] of fans.entries()) {
      assert.equal((await api(`/chat/rooms/${room.json.id}/join`, { method: 'POST', token: fan.token })).status, 200);
      for (let n = 1; n <= 10; n += 1) {
        const body = i === 0 && n === 1 ? FIRST : `رسالة ${n} من ${fan.displayName}`;
        const sent = await api(`/chat/rooms/${room.json.id}/messages`, { method: 'POST', token: fan.token, body: { body } });
        assert.equal(sent.status, 201, JSON.stringify(sent.json));
      }
    }
  });

  test('(a) two people join the room and talk live; history pages back on scroll', async () => {
    l = await openPage(browser);
    await signIn(l.page, layla.username, PASSWORD);
    await l.page.waitForSelector('[data-testid="chat-link"]');
    o = await openPage(browser, { viewport: PHONE });
    // Omar's chat socket goes through the test, which can cut it (see the direct chat below).
    o.sockets = [];
    o.refuse = false;
    await o.page.routeWebSocket(/\/api\/v1\/ws$/, (ws) => {
      o.sockets.push(ws);
      if (o.refuse) ws.close({ code: 4000, reason: 'offline' });
      else ws.connectToServer();
    });
    await signIn(o.page, omar.username, PASSWORD);
    await o.page.waitForSelector('[data-testid="more-menu"]');
    const [lp, op] = [l.page, o.page];

    // Layla: the list offers the public room; she joins from the list.
    await lp.click('[data-testid="chat-link"]');
    await lp.waitForSelector('[data-testid="public-rooms"] [data-testid="room-item"]');
    await settle(lp);
    // With public rooms listed (the one every installation starts with among them), the empty
    // state points at them.
    assert.match(await lp.locator('.chat-none').innerText(), /لا محادثات بعد.*الغرف العامة/);
    await lp.locator('[data-testid="public-rooms"] [data-testid="room-item"]', { hasText: 'الساحة العامة' }).waitFor();
    await capture(lp, '80-chat-list');
    await lp.locator('[data-testid="public-rooms"] .room-row', { hasText: ROOM }).locator('[data-testid="join-room"]').click();
    await lp.waitForURL(`**${roomUrl}`);
    await lp.waitForSelector('[data-testid="message"]');
    // The newest page only: 50 of the 60 messages, the oldest not among them.
    assert.equal(await lp.locator('[data-testid="message"]').count(), 50);
    assert.equal(await bubble(lp, FIRST).count(), 0);
    await lp.locator('.msgs').evaluate((el) => { el.scrollTop = 0; });
    await bubble(lp, FIRST).waitFor();
    assert.equal(await lp.locator('[data-testid="message"]').count(), 60);
    assert.match(await lp.locator('.msgs-note').innerText(), /بداية المحادثة/);

    // Omar (phone): chat is in the "more" sheet; the room page offers to join.
    await op.click('[data-testid="more-menu"]');
    await op.click('[data-testid="more-chat"]');
    await op.waitForURL('**/chat');
    await op.locator('[data-testid="public-rooms"] [data-testid="room-item"]', { hasText: ROOM }).click();
    await op.waitForURL(`**${roomUrl}`);
    await op.waitForSelector('.join-box [data-testid="join-room"]');
    await settle(op);
    await capture(op, '81-chat-room-join');
    await op.click('.join-box [data-testid="join-room"]');
    await op.waitForSelector('#chat-input');
    await op.waitForSelector('[data-testid="message"]');

    // Live both ways, no reload. Mixed Arabic and Latin text keeps its own direction.
    const hello = 'مرحبًا يا عمر! هل جربت Capitals Quiz اليوم؟';
    await send(lp, hello);
    await bubble(lp, hello).waitFor();
    await bubble(op, hello).waitFor();
    assert.equal(await bubble(op, hello).locator('.msg-body').getAttribute('dir'), 'auto');
    assert.match(await bubble(op, hello).innerText(), /ليلى Hassan/, 'the sender is named in a group');
    await op.fill('#chat-input', 'أهلًا ليلى!');
    await op.press('#chat-input', 'Shift+Enter');
    await op.type('#chat-input', 'نعم، وحصلت على 3 من 3');
    assert.match(await op.inputValue('#chat-input'), /\n/, 'Shift+Enter adds a line');
    await op.press('#chat-input', 'Enter');
    await bubble(lp, 'وحصلت على 3 من 3').waitFor();
    assert.match(await bubble(lp, 'وحصلت على 3 من 3').locator('.msg-body').innerText(), /أهلًا ليلى!\nنعم/);
    assert.equal(await op.inputValue('#chat-input'), '', 'the composer is cleared after sending');
    // Own bubbles: the brand colour with white text, at the other end of the line (the left in
    // RTL); others' stay light, at the start (the right).
    const look = (page, text) => bubble(page, text).evaluate((el) => {
      const s = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      return { bg: s.backgroundColor, color: s.color, left: box.left, right: box.right };
    });
    const own = await look(lp, hello);
    const theirs = await look(lp, 'وحصلت على 3 من 3');
    assert.equal(own.bg, 'rgb(91, 61, 245)', 'own bubble in the brand colour');
    assert.equal(own.color, 'rgb(255, 255, 255)');
    assert.notEqual(theirs.bg, own.bg, "others' bubbles look different");
    assert.ok(own.left < theirs.left && own.right < theirs.right, `own on the left in RTL (${JSON.stringify({ own, theirs })})`);
    // No read ticks in a group (many readers).
    assert.equal(await bubble(lp, hello).locator('[data-testid="ticks"]').count(), 0);
    await settle(lp);
    await capture(lp, '82-chat-room');
    await settle(op);
    await capture(op, '83-chat-room-phone');

    // Mute: the room shows as muted in Omar's list.
    await op.click('[data-testid="room-menu"]');
    await op.click('[data-testid="mute-room"]');
    await op.click('.room-back');
    await op.waitForSelector('[data-testid="my-rooms"] .room-muted');
    await op.locator('[data-testid="my-rooms"] [data-testid="room-item"]', { hasText: ROOM }).click();
    await op.click('[data-testid="room-menu"]');
    assert.match(await op.locator('[data-testid="mute-room"]').innerText(), /إلغاء الكتم/);
    await op.click('[data-testid="mute-room"]');
    await op.waitForFunction(() => !document.querySelector('#room-menu'));
  });

  test('(a) a direct chat from the leaderboard: unread count, typing, edit, delete, block', async () => {
    const [lp, op] = [l.page, o.page];
    // Omar wins a competition so he is on the board.
    await winCompetition(omar, 40);
    await op.click('.bottom-nav a[href="/leaderboard"]');
    await op.waitForSelector('[data-testid="board-row"]');

    await lp.click('.nav-desktop a[href="/leaderboard"]');
    const row = lp.locator('[data-testid="board-row"]', { hasText: `@${omar.username}` });
    await row.waitFor();
    assert.equal(await lp.locator('.board-row.mine [data-testid="message-user"]').count(), 0, 'no button on her own row');
    await settle(lp);
    await capture(lp, '84-leaderboard-message');
    await row.locator('[data-testid="message-user"]').click();
    await lp.waitForURL(/\/chat\/\d+$/);
    const directUrl = new URL(lp.url()).pathname;
    await lp.waitForSelector('#chat-input');
    assert.match(await lp.locator('.room-head').innerText(), /عمر خالد/);
    assert.match(await lp.locator('.msgs-note').innerText(), /لا رسائل بعد/);

    const first = 'مساء الخير! مبروك على المركز';
    await send(lp, first);
    await bubble(lp, first).waitFor();
    // Sent, not read yet: one tick, named for screen readers.
    const ticks = bubble(lp, first).locator('[data-testid="ticks"]');
    assert.equal(await ticks.getAttribute('data-read'), 'false');
    assert.equal(await ticks.getAttribute('aria-label'), 'أُرسلت');
    assert.equal((await ticks.innerText()).trim(), '✓');
    // Omar is elsewhere: the count appears on "more" in his tab bar, then on the room.
    await op.waitForSelector('.nav-more .count-badge');
    assert.equal((await op.locator('.nav-more .count-badge [aria-hidden="true"]').innerText()).trim(), '١');
    await op.click('[data-testid="more-menu"]');
    await op.click('[data-testid="more-chat"]');
    const item = op.locator('[data-testid="my-rooms"] [data-testid="room-item"]', { hasText: layla.displayName });
    await item.locator('.count-badge').waitFor();
    await settle(op);
    await capture(op, '85-chat-list-unread');
    await item.click();
    await bubble(op, first).waitFor();
    // Omar read it: Layla's tick turns to ✓✓ live, in her own browser, without reloading.
    await bubble(lp, first).locator('[data-testid="ticks"][data-read="true"]').waitFor();
    assert.equal(await ticks.getAttribute('aria-label'), 'تمت القراءة');
    assert.equal((await ticks.innerText()).trim(), '✓✓');
    await settle(lp);
    await capture(lp, '84b-chat-direct-read');
    await op.waitForSelector('.nav-more .count-badge', { state: 'detached' });

    // Typing reaches the other side of a direct room.
    await op.type('#chat-input', 'شكرًا');
    await lp.waitForSelector('.typing:has-text("يكتب الآن")');
    await op.press('#chat-input', 'Enter');
    await bubble(lp, 'شكرًا').waitFor();

    // Omar's connection drops and the server stays out of reach for a moment: the room says so,
    // the app keeps retrying, and once back it catches up on what was said meanwhile.
    const sockets = o.sockets.length;
    o.refuse = true;
    await o.sockets.at(-1).close({ code: 4000, reason: 'offline' });
    await op.waitForSelector('.chat-offline');
    await settle(op);
    await capture(op, '86-chat-reconnecting');
    await send(lp, 'هل وصلتك رسالتي أثناء الانقطاع؟');
    await bubble(lp, 'هل وصلتك رسالتي أثناء الانقطاع؟').waitFor();
    while (o.sockets.length < sockets + 1) await new Promise((r) => setTimeout(r, 100));
    o.refuse = false;
    await bubble(op, 'هل وصلتك رسالتي أثناء الانقطاع؟').waitFor({ timeout: 20_000 });
    await op.waitForSelector('.chat-offline', { state: 'detached' });
    assert.ok(o.sockets.length >= sockets + 2, `reconnected after refused attempts (${o.sockets.length - sockets} sockets)`);

    // Layla edits, then deletes, her message; Omar sees both without reloading.
    await bubble(lp, first).hover();
    await bubble(lp, first).locator('[data-act="edit"]').click();
    assert.equal(await lp.inputValue('#chat-input'), first);
    await lp.waitForSelector('.composer-editing');
    await lp.fill('#chat-input', 'مساء الخير! مبروك على المركز الأول');
    await lp.press('#chat-input', 'Enter');
    await bubble(op, 'المركز الأول').locator('text=(معدّلة)').waitFor();
    await bubble(lp, 'المركز الأول').hover();
    await bubble(lp, 'المركز الأول').locator('[data-act="delete"]').click();
    await lp.waitForSelector('[data-testid="action-dialog"]');
    await capture(lp, '87-chat-delete-confirm');
    await lp.click('[data-testid="action-dialog"] button[type="submit"]');
    await op.locator('[data-testid="message"].deleted', { hasText: 'حُذفت هذه الرسالة' }).waitFor();
    assert.equal(await bubble(op, 'المركز الأول').count(), 0);

    // Omar blocks Layla: his composer gives way to "unblock", and her next message is refused.
    await op.click('[data-testid="room-menu"]');
    await op.click('[data-testid="block-user"]');
    await op.click('[data-testid="action-dialog"] button[type="submit"]');
    await op.waitForSelector('[data-testid="blocked"]');
    await settle(op);
    await capture(op, '88-chat-blocked');
    lp.expectHttpError(403);
    await send(lp, 'هل ما زلت هنا؟');
    await lp.waitForSelector('.composer-error:has-text("لا يمكنك مراسلة هذا المستخدم")');
    assert.equal(await lp.inputValue('#chat-input'), 'هل ما زلت هنا؟', 'the text stays for another try');
    await op.click('[data-testid="unblock"]');
    await op.waitForSelector('#chat-input');
    await send(lp, 'هل ما زلت هنا؟');
    await bubble(op, 'هل ما زلت هنا؟').waitFor();
    assert.equal(directUrl, new URL(op.url()).pathname, 'both are in the same direct room');
  });

  test('(a) a private group: create, invite, leave; the rate limit answers beside the composer', async () => {
    const [lp, op] = [l.page, o.page];
    await openChat(lp);
    await lp.click('[data-testid="new-group"]');
    await lp.waitForSelector('[data-testid="action-dialog"]');
    await lp.click('[data-testid="action-dialog"] button[type="submit"]');
    await lp.waitForSelector('#f-name-err');
    await lp.fill('#f-name', 'فريق المراجعة');
    await capture(lp, '89-chat-new-group');
    await lp.click('[data-testid="action-dialog"] button[type="submit"]');
    await lp.waitForURL(/\/chat\/\d+$/);
    await lp.waitForSelector('.room-head:has-text("فريق المراجعة")');
    await lp.click('[data-testid="room-menu"]');
    await lp.click('[data-testid="invite"]');
    await lp.fill('#f-username', omar.username);
    await lp.click('[data-testid="action-dialog"] button[type="submit"]');
    await lp.waitForSelector('[data-testid="action-dialog"] .alert-success');
    assert.match(await lp.locator('[data-testid="action-dialog"] .alert-success').innerText(), /عمر خالد/);
    await lp.keyboard.press('Escape');
    await send(lp, 'أهلًا بكم في فريق المراجعة');

    // Omar sees the group appear in his list without reloading, reads it and leaves.
    await op.click('.room-back');
    const group = op.locator('[data-testid="my-rooms"] [data-testid="room-item"]', { hasText: 'فريق المراجعة' });
    await group.waitFor();
    await group.click();
    await bubble(op, 'أهلًا بكم في فريق المراجعة').waitFor();
    await op.click('[data-testid="room-menu"]');
    await op.click('[data-testid="leave-room"]');
    await op.click('[data-testid="action-dialog"] button[type="submit"]');
    await op.waitForURL('**/chat');
    await op.waitForSelector('[data-testid="my-rooms"]');
    await group.waitFor({ state: 'detached' });

    // Ten messages in ten seconds is the limit: the eleventh is refused in Arabic, with the wait.
    // She posts until the server refuses for long enough that the UI send below is surely inside
    // the window. A refusal that frees in a few seconds means her older messages are about to
    // leave the window (seen on a slow CI machine): she lets the whole window pass, then bursts.
    // The page is open before the burst, so the window cannot lapse while it loads.
    const roomId = Number(roomUrl.split('/').pop());
    await lp.goto(roomUrl);
    await lp.waitForSelector('#chat-input');
    let quick = 0;
    let limited = false;
    for (let tries = 0; tries < 40 && !limited; tries += 1) {
      const sent = await api(`/chat/rooms/${roomId}/messages`, { method: 'POST', token: layla.token, body: { body: `رسالة سريعة ${quick + 1}` } });
      if (sent.status === 201) {
        quick += 1;
        continue;
      }
      assert.equal(sent.status, 429, JSON.stringify(sent.json));
      limited = sent.retryAfter >= 7;
      if (!limited) await new Promise((resolve) => setTimeout(resolve, 10_500));
    }
    assert.ok(limited && quick > 0, `the burst reached the limit (${quick} sent)`);
    await bubble(lp, `رسالة سريعة ${quick}`).waitFor();
    lp.expectHttpError(429);
    await send(lp, 'رسالة بعد الحد');
    await lp.waitForSelector('.composer-error:has-text("مجددًا")');
    assert.equal(await lp.inputValue('#chat-input'), 'رسالة بعد الحد');
    assert.equal(await lp.getAttribute('#chat-input', 'aria-invalid'), 'false');
    await settle(lp);
    await capture(lp, '90-chat-rate-limited');
    assertNoConsoleErrors(lp);
    assertNoConsoleErrors(op);
  });
});

describe('friend challenge', () => {
  let inviteLink = '';
  let friendCtx;
  test('(b) the invite link is copied, a friend registers from it elsewhere, completes a quiz, both get the bonus', async () => {
    const lp = l.page;
    const summary = await api('/referrals', { token: layla.token });
    const { referrer_bonus: mine, referee_bonus: theirs } = summary.json;
    assert.ok(mine > 0 && theirs > 0, 'bonuses are configured');

    await lp.click('[data-testid="user-menu"]');
    await lp.click('#account-menu a[href="/friends"]');
    await lp.waitForSelector('[data-testid="invite-link"]');
    await settle(lp);
    assert.match(await lp.locator('[data-testid="bonuses"]').innerText(), new RegExp(`${ar(mine)}[\\s\\S]*${ar(theirs)}`));
    assert.match(await lp.locator('.invited-card').innerText(), /لم تدعُ أحدًا بعد/);
    await capture(lp, '91-friends-empty');
    inviteLink = await lp.inputValue('[data-testid="invite-link"]');
    assert.equal(inviteLink, `${BASE_URL}/register?ref=${summary.json.code}`);
    await lp.click('[data-testid="copy-link"]');
    await lp.waitForSelector('[data-testid="copy-status"]:has-text("تم النسخ")');
    assert.equal(await lp.evaluate(() => navigator.clipboard.readText()), inviteLink);
    const wa = await lp.getAttribute('[data-testid="share-whatsapp"]', 'href');
    assert.ok(wa.startsWith('https://wa.me/?text='), wa);
    assert.ok(decodeURIComponent(wa).includes(inviteLink), 'the WhatsApp text carries the link');

    // The friend, on another device and network, opens the link and registers.
    friendCtx = await openPage(browser, { viewport: PHONE });
    const fp = friendCtx.page;
    await friendCtx.context.setExtraHTTPHeaders({ 'X-Forwarded-For': '198.51.100.23' });
    await fp.goto(inviteLink);
    await settle(fp);
    assert.equal(await fp.inputValue('#f-referral_code'), summary.json.code);
    await fp.fill('#f-display_name', friend.displayName);
    await fp.fill('#f-username', friend.username);
    await fp.fill('#f-email', `${friend.username}@example.com`);
    await fp.fill('#f-password', PASSWORD);
    await fp.click('form[data-testid="register-form"] button[type="submit"]');
    await fp.waitForURL(`${BASE_URL}/`);

    await lp.reload();
    const row = lp.locator('[data-testid="friend-row"]', { hasText: `@${friend.username}` });
    await row.waitFor();
    assert.match(await row.locator('[data-testid="friend-status"]').innerText(), /بانتظار أول مسابقة/);

    // The admin sets up a short quiz (through the API) and the friend takes it in the app.
    const now = Date.now();
    const ends = new Date(now + 10 * 60_000).toISOString();
    const registrationCloses = now + 15_000;
    const comp = await api('/admin/competitions', {
      method: 'POST', token: adminToken,
      body: {
        title: 'اختبار تحدي الصديق', description: 'سؤال واحد عن العواصم.', kind: 'quiz',
        starts_at: new Date(now + 4_000).toISOString(), ends_at: ends,
        registration_closes_at: new Date(registrationCloses).toISOString(),
        quiz_duration_seconds: 300, entry_fee: 0, participation_points: 5, prizes: [],
      },
    });
    assert.equal(comp.status, 201, JSON.stringify(comp.json));
    const id = comp.json.id;
    const q = await api(`/admin/competitions/${id}/questions`, {
      method: 'POST', token: adminToken, body: { text: 'ما عاصمة تونس؟', choices: ['تونس', 'صفاقس', 'سوسة'], correct_index: 0 },
    });
    assert.equal(q.status, 201, JSON.stringify(q.json));
    assert.equal((await api(`/admin/competitions/${id}/publish`, { method: 'POST', token: adminToken })).status, 200);

    await fp.goto(`/competitions/${id}`);
    await fp.click('[data-testid="join"]');
    await fp.waitForSelector('[data-testid="start-quiz"]', { timeout: 30_000 });
    await fp.click('[data-testid="start-quiz"]');
    await fp.waitForSelector('[data-testid="question"]');
    await fp.locator('[data-testid="question"] .choice').nth(0).click();
    await fp.click('[data-testid="review"]');
    await fp.click('[data-testid="send"]');
    await fp.waitForSelector('[data-testid="quiz-score"]');

    // The admin ends it and finalizes: the friend's first completed competition qualifies them.
    // (Not before registration closes: the end may not precede it.)
    const endAt = Math.max(Date.now() + 2_000, registrationCloses + 1_000);
    const patched = await api(`/admin/competitions/${id}`, {
      method: 'PATCH', token: adminToken, body: { ends_at: new Date(endAt).toISOString() },
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.json));
    await new Promise((r) => setTimeout(r, endAt - Date.now() + 1_000));
    const fin = await api(`/admin/competitions/${id}/finalize`, {
      method: 'POST', token: adminToken, headers: { 'Idempotency-Key': `e2e-fin-${id}` },
    });
    assert.equal(fin.status, 200, JSON.stringify(fin.json));

    await lp.reload();
    await row.waitFor();
    assert.match(await row.locator('[data-testid="friend-status"]').innerText(), /حصلتما على المكافأة/);
    assert.match(await row.innerText(), new RegExp(`\\+${ar(mine)}`));
    assert.match(await lp.locator('[data-testid="friend-stats"]').innerText(), new RegExp(`${ar(mine)} كربتو`));
    await settle(lp);
    await capture(lp, '92-friends');

    await fp.goto('/points');
    await fp.waitForSelector('[data-testid="ledger-row"][data-kind="referral_bonus"]');
    assert.match(await fp.locator('[data-testid="ledger-row"][data-kind="referral_bonus"]').innerText(), new RegExp(ar(theirs)));
    await fp.waitForFunction((b) => document.querySelector('[data-testid="balance"]').textContent.includes(b), ar(theirs + 5));
    await lp.goto('/points');
    await lp.waitForSelector('[data-testid="ledger-row"][data-kind="referral_bonus"]');
    assertNoConsoleErrors(lp);
    assertNoConsoleErrors(fp);
    await friendCtx.context.close();
  });

  test('(c) referrals from the inviter\'s own device are held; the admin approves one and rejects another', async () => {
    // Omar signs out and registers two accounts from his own invite link, on his own phone.
    const op = o.page;
    const summary = await api('/referrals', { token: omar.token });
    const link = `${BASE_URL}${summary.json.share_path}`;
    await op.goto('/');
    await op.click('[data-testid="user-menu"]');
    await op.click('[data-testid="logout"]');
    await op.waitForURL('**/login');
    const cousins = [uniqueName('cousin'), uniqueName('cousin')];
    for (const username of cousins) {
      await op.goto(link);
      await settle(op);
      await op.fill('#f-display_name', 'قريب عمر');
      await op.fill('#f-username', username);
      await op.fill('#f-email', `${username}@example.com`);
      await op.fill('#f-password', PASSWORD);
      await op.click('form[data-testid="register-form"] button[type="submit"]');
      await op.waitForURL(`${BASE_URL}/`);
      await settle(op);
      await op.click('[data-testid="user-menu"]');
      await op.click('[data-testid="logout"]');
      await op.waitForURL('**/login');
    }

    admin = await openPage(browser);
    const ap = admin.page;
    await signIn(ap, ADMIN_USERNAME, ADMIN_PASSWORD);
    await ap.waitForSelector('[data-testid="balance"]');
    // Eight sections and administration fit the header from 1024 px.
    await ap.setViewportSize({ width: 1024, height: 800 });
    const header = await ap.evaluate(() => {
      const nav = document.querySelector('.topbar-inner');
      const links = [...document.querySelectorAll('.nav-desktop .nav-link')];
      return {
        scroll: nav.scrollWidth, client: nav.clientWidth, links: links.length,
        wrapped: links.filter((a) => a.getBoundingClientRect().height > 48).length,
      };
    });
    assert.equal(header.wrapped, 0, 'every section name on one line');
    assert.equal(header.links, 8, 'home, competitions, leaderboard, points, rewards, chat, store, admin');
    assert.ok(header.scroll <= header.client, `the header fits at 1024 px (${header.scroll} > ${header.client})`);
    await ap.setViewportSize({ width: 1280, height: 800 });
    await ap.goto('/admin/referrals');
    await ap.waitForSelector('#tab-referrals[aria-current="page"]');
    const rowOf = (name) => ap.locator('[data-testid="referral-row"]', { hasText: `@${name}` });
    await rowOf(cousins[0]).waitFor();
    // Flagged first, with the reasons in Arabic.
    assert.equal(await ap.locator('#rstatus-flagged').getAttribute('aria-selected'), 'true');
    const reasons = await rowOf(cousins[0]).locator('[data-testid="referral-reasons"]').innerText();
    assert.match(reasons, /الجهاز نفسه/);
    assert.doesNotMatch(reasons, /same_device|same_ip/);
    await settle(ap);
    await capture(ap, '93-admin-referrals');

    const before = (await api('/points/balance', { token: omar.token })).json.points_balance;
    await rowOf(cousins[0]).locator('[data-testid="approve-referral"]').click();
    await ap.waitForSelector('[data-testid="action-dialog"]');
    assert.match(await ap.locator('[data-testid="action-dialog"]').innerText(), new RegExp(`@${omar.username}`));
    await capture(ap, '94-admin-referral-approve');
    await ap.fill('[data-testid="action-dialog"] textarea', 'تحقّقت من أنه شخص آخر في العائلة نفسها');
    await ap.click('[data-testid="action-dialog"] button[type="submit"]');
    await ap.waitForSelector('.alert-success:has-text("اعتُمدت الدعوة")');
    assert.match(await rowOf(cousins[0]).innerText(), /صُرفت المكافأة/);
    const after = (await api('/points/balance', { token: omar.token })).json.points_balance;
    assert.equal(after - before, summary.json.referrer_bonus, 'the inviter was credited once');

    await rowOf(cousins[1]).locator('[data-testid="reject-referral"]').click();
    await ap.click('[data-testid="action-dialog"] button[type="submit"]');
    await ap.waitForSelector('.alert-success:has-text("رُفضت الدعوة")');
    assert.equal(await rowOf(cousins[1]).getAttribute('data-status'), 'rejected');
    // The decisions are in the other tabs and in the audit log.
    await ap.click('#rstatus-rewarded');
    await rowOf(cousins[0]).waitFor();
    const audit = await api('/admin/audit-log?limit=10', { token: adminToken });
    const actions = audit.json.items.map((e) => e.action);
    assert.ok(actions.includes('referral.approve') && actions.includes('referral.reject'), actions.join(','));
    // The audit page names both decisions in Arabic, like every other action of this run.
    await ap.goto('/admin/audit');
    await ap.waitForSelector('[data-testid="audit-entry"]');
    await settle(ap);
    const log = await ap.locator('.audit-list').innerText();
    assert.match(log, /اعتماد دعوة صديق/);
    assert.match(log, /رفض دعوة صديق/);
    assert.doesNotMatch(log, /إجراء آخر/, 'every action has an Arabic label');
    await capture(ap, '95-admin-audit-decisions');
    assertNoConsoleErrors(ap);
    assertNoConsoleErrors(op);
  });

  test('(d) an admin creates, renames and archives a public room; a participant sees it', async () => {
    const ap = admin.page;
    const lp = l.page;
    await ap.goto('/admin?tab=chat-rooms');
    await ap.waitForSelector('#admin-panel[data-section="chat-rooms"]');
    const rowOf = (name) => ap.locator('[data-testid="chat-room-row"]', { hasText: name });
    // The room every installation starts with, and the one the setup made.
    await rowOf('الساحة العامة').waitFor();
    await rowOf(ROOM).waitFor();
    assert.match(await rowOf('الساحة العامة').locator('[data-testid="chat-room-state"]').innerText(), /نشطة/);

    // Create: the name is required (the Arabic error beside the field), then it works.
    await ap.click('[data-testid="new-chat-room"]');
    await ap.waitForSelector('[data-testid="chat-room-form"]');
    await ap.click('[data-testid="chat-room-form"] button[type="submit"]');
    await ap.waitForSelector('#f-name-err:has-text("اسم الغرفة مطلوب")');
    await ap.fill('#f-name', 'ركن الألغاز');
    await ap.fill('#f-description', 'ألغاز يومية وحلولها.');
    await capture(ap, '96-admin-chat-room-new');
    await ap.click('[data-testid="chat-room-form"] button[type="submit"]');
    await ap.waitForSelector('[data-testid="chat-room-form"]', { state: 'detached' });
    await rowOf('ركن الألغاز').waitFor();

    // Rename and describe.
    await rowOf('ركن الألغاز').locator('[data-testid="edit-chat-room"]').click();
    assert.equal(await ap.inputValue('#f-name'), 'ركن الألغاز');
    await ap.fill('#f-name', 'ركن الألغاز الكبير');
    await ap.click('[data-testid="chat-room-form"] button[type="submit"]');
    await ap.waitForSelector('.alert-success:has-text("ركن الألغاز الكبير")');
    await rowOf('ركن الألغاز الكبير').waitFor();
    await settle(ap);
    await capture(ap, '97-admin-chat-rooms');

    // A participant finds it among the public rooms.
    await openChat(lp);
    const listed = lp.locator('[data-testid="public-rooms"] [data-testid="room-item"]', { hasText: 'ركن الألغاز الكبير' });
    await listed.waitFor();

    // Archive, after a confirmation: the state label changes and participants no longer see it.
    await rowOf('ركن الألغاز الكبير').locator('[data-testid="archive-chat-room"]').click();
    await ap.waitForSelector('[data-testid="action-dialog"]');
    assert.match(await ap.locator('#modal-title').innerText(), /ركن الألغاز الكبير/, 'the confirmation names the room');
    await capture(ap, '98-admin-chat-room-archive');
    await ap.click('[data-testid="action-dialog"] button[type="submit"]');
    await ap.waitForSelector('[data-testid="action-dialog"]', { state: 'detached' });
    await rowOf('ركن الألغاز الكبير').locator('[data-testid="chat-room-state"]:has-text("مؤرشفة")').waitFor();
    assert.equal(await rowOf('ركن الألغاز الكبير').getAttribute('data-archived'), 'true');
    await openChat(lp);
    await lp.locator('[data-testid="public-rooms"] [data-testid="room-item"]', { hasText: 'الساحة العامة' }).waitFor();
    assert.equal(await listed.count(), 0, 'an archived room is hidden from people not in it');

    // And back.
    await rowOf('ركن الألغاز الكبير').locator('[data-testid="unarchive-chat-room"]').click();
    await rowOf('ركن الألغاز الكبير').locator('[data-testid="chat-room-state"]:has-text("نشطة")').waitFor();
    await openChat(lp);
    await listed.waitFor();
    assertNoConsoleErrors(ap);
    assertNoConsoleErrors(lp);
  });
});
