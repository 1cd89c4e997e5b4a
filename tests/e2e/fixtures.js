// Data the accessibility, keyboard, phone-quiz and performance tests set up through the API
// (the flows themselves are covered by the other test files): an admin token, participants with
// points, a running quiz and one open for registration, a reward.
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, ADMIN_USERNAME, BASE_URL, settle, signIn, uniqueName } from './helpers.js';

export const PASSWORD = 'نجمة-الصباح-2025';

export async function api(path, { method = 'GET', token, body } = {}) {
  const resp = await fetch(`${BASE_URL}/api/v1${path}`, {
    method,
    headers: {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await resp.text();
  return { status: resp.status, json: text ? JSON.parse(text) : null };
}

export async function adminToken() {
  const login = await api('/auth/login', { method: 'POST', body: { login: ADMIN_USERNAME, password: ADMIN_PASSWORD } });
  assert.equal(login.status, 200, JSON.stringify(login.json));
  return login.json.access_token;
}

/** A new participant (registered through the API), optionally credited `points` by the admin. */
export async function participant(admin, prefix, points = 0) {
  const username = uniqueName(prefix);
  const reg = await api('/auth/register', {
    method: 'POST',
    body: { username, email: `${username}@example.com`, password: PASSWORD, display_name: `مشارك ${prefix}` },
  });
  assert.equal(reg.status, 201, JSON.stringify(reg.json));
  const who = { username, id: reg.json.user.id, token: reg.json.access_token };
  if (points > 0) {
    const award = await api('/admin/points/award', {
      method: 'POST',
      token: admin,
      body: { user_id: who.id, amount: points, reason: 'رصيد اختبار' },
    });
    assert.ok(award.status === 200 || award.status === 201, JSON.stringify(award.json));
  }
  return who;
}

/** Typical quiz questions: a line or two of text and short choices. */
export const QUESTIONS = [
  { text: 'ما عاصمة المملكة المغربية؟', choices: ['الرباط', 'الدار البيضاء', 'فاس', 'مراكش'], correct_index: 0 },
  {
    text: 'أيّ هذه الكواكب هو الأكبر حجمًا في المجموعة الشمسية، ويُعرف بالبقعة الحمراء العظيمة التي فيه؟',
    choices: ['المريخ', 'المشتري', 'زحل', 'نبتون'],
    correct_index: 1,
  },
  { text: 'كم عدد أيام السنة الكبيسة؟', choices: ['٣٦٤', '٣٦٥', '٣٦٦', '٣٦٧'], correct_index: 2 },
  {
    text: 'من مؤلف كتاب «مقدمة ابن خلدون»؟',
    choices: ['ابن خلدون', 'ابن بطوطة', 'ابن سينا', 'الجاحظ'],
    correct_index: 0,
  },
];

/**
 * A quiz starting in `startsIn` ms; `joiners` join before it starts (registration closes at the
 * start). Returns its id once it is running when `wait` is true.
 */
export async function quiz(admin, { title, startsIn = 3000, runsFor = 30 * 60_000, joiners = [], fee = 0, questions = QUESTIONS, wait = true }) {
  const created = await api('/admin/competitions', {
    method: 'POST',
    token: admin,
    body: {
      title,
      description: 'أسئلة قصيرة في الثقافة العامة.',
      kind: 'quiz',
      starts_at: new Date(Date.now() + startsIn).toISOString(),
      ends_at: new Date(Date.now() + startsIn + runsFor).toISOString(),
      quiz_duration_seconds: 600,
      entry_fee: fee,
      participation_points: 2,
      prizes: [{ rank: 1, points: 50 }],
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  const id = created.json.id;
  for (const q of questions) {
    const r = await api(`/admin/competitions/${id}/questions`, { method: 'POST', token: admin, body: q });
    assert.equal(r.status, 201, JSON.stringify(r.json));
  }
  assert.equal((await api(`/admin/competitions/${id}/publish`, { method: 'POST', token: admin, body: {} })).status, 200);
  for (const who of joiners) {
    const j = await api(`/competitions/${id}/join`, { method: 'POST', token: who.token, body: {} });
    assert.equal(j.status, 201, JSON.stringify(j.json));
  }
  if (wait) await new Promise((r) => setTimeout(r, Math.max(0, startsIn + 500)));
  return id;
}

export async function reward(admin, { name, cost = 100 }) {
  const r = await api('/admin/rewards', {
    method: 'POST',
    token: admin,
    body: { name, description: 'تُسلَّم خلال أسبوع.', cost, stock: 50, per_user_limit: null, active: true },
  });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return r.json.id;
}

/** Signs in through the page and waits until the header shows the balance. */
export async function signInAndWait(page, login, password = PASSWORD) {
  await signIn(page, login, password);
  await page.waitForSelector('[data-testid="balance"]');
  await settle(page);
}
