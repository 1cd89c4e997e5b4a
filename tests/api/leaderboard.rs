//! Leaderboards: points earned (not balance), periods, shared ranks and the caller's own rank.

use chrono::{DateTime, Datelike, Duration, Utc};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::competitions::{json_of, ts};
use crate::helpers::{assert_error, assert_ledger_clean, spawn_app_with, TestApp, TestUser};

/// Boards count points earned by competing (prizes and participation), so the fixture credits a
/// competition prize the way finalizing does — the balance, what was earned and a ledger row
/// that chains on the balance — instead of running a whole competition for each score.
/// (`_admin` keeps the call sites reading like the admin award they replaced.)
pub async fn award(app: &TestApp, _admin: &TestUser, user_id: i64, amount: i64) {
    app.sql(&format!(
        "UPDATE users SET points_balance = points_balance + {amount}, \
         lifetime_earned = lifetime_earned + {amount} WHERE id = {user_id}"
    ))
    .await;
    app.sql(&format!(
        "INSERT INTO points_transactions (user_id, amount, balance_after, kind, reason, created_at) \
         SELECT id, {amount}, points_balance, 'competition_prize', 'جائزة للاختبار', '{}' FROM users WHERE id = {user_id}",
        ts(Utc::now())
    ))
    .await;
}

pub async fn spawn() -> TestApp {
    spawn_app_with(|s| {
        s.scheduler_interval_ms = 0;
        s.leaderboard_cache_ms = 0;
        s.leaderboard_all_cache_ms = 0;
    })
    .await
}

pub async fn board(app: &TestApp, query: &str, user: Option<&TestUser>) -> Value {
    let res = app
        .get(
            &format!("/api/v1/leaderboard{query}"),
            user.map(|u| u.token.as_str()),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK, "{query}");
    json_of(res).await
}

pub fn lines(board: &Value) -> Vec<(i64, i64, i64)> {
    board["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["rank"].as_i64().unwrap(),
                e["user_id"].as_i64().unwrap(),
                e["points"].as_i64().unwrap(),
            )
        })
        .collect()
}

async fn last_ledger_id(app: &TestApp) -> i64 {
    app.count("SELECT MAX(id) FROM points_transactions").await
}

#[tokio::test]
async fn all_time_ranks_by_points_earned_with_shared_ranks_and_my_rank_outside_the_top() {
    let app = spawn().await;
    let admin = app.admin("scorekeeper").await;
    let a = app.register("alpha").await;
    let b = app.register("bravo").await;
    let c = app.register("charlie").await;
    let d = app.register("delta").await;
    let e = app.register("echo").await;
    award(&app, &admin, a.id, 100).await;
    award(&app, &admin, b.id, 50).await;
    award(&app, &admin, c.id, 50).await;
    award(&app, &admin, d.id, 10).await;
    // Received and spent points are not earned: e gets 90 by transfer, a keeps 100 earned.
    let res = app
        .post(
            "/api/v1/points/transfers",
            Some(&a.token),
            json!({"to_username": "echo", "amount": 90}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    // A deduction does not undo what was earned either.
    let res = app
        .post(
            &format!("/api/v1/admin/users/{}/adjust", a.id),
            Some(&admin.token),
            json!({"amount": -5, "reason": "تصحيح"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);

    let top = board(&app, "?period=all&limit=3", None).await;
    assert_eq!(top["period"], "all");
    assert_eq!(top["since"], Value::Null);
    assert_eq!(
        lines(&top),
        vec![(1, a.id, 100), (2, b.id, 50), (2, c.id, 50)]
    );
    assert_eq!(top["entries"][0]["username"], "alpha");
    assert_eq!(top["entries"][0]["display_name"], "مستخدم alpha");
    assert_eq!(top["me"], Value::Null, "anonymous");

    let mine = board(&app, "?limit=2", Some(&d)).await;
    assert_eq!(lines(&mine).len(), 2);
    assert_eq!(mine["me"], json!({"rank": 4, "points": 10}));
    assert_eq!(
        board(&app, "", Some(&c)).await["me"],
        json!({"rank": 2, "points": 50})
    );
    let zero = board(&app, "", Some(&e)).await;
    assert_eq!(zero["me"], json!({"rank": 5, "points": 0}));
    assert!(
        lines(&zero).iter().all(|l| l.1 != e.id),
        "users without earnings are not listed"
    );

    // Suspended accounts leave the board.
    let res = app
        .patch(
            &format!("/api/v1/admin/users/{}", c.id),
            Some(&admin.token),
            json!({"status": "suspended"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        lines(&board(&app, "", None).await),
        vec![(1, a.id, 100), (2, b.id, 50), (3, d.id, 10)]
    );
    assert_eq!(
        board(&app, "", Some(&d)).await["me"],
        json!({"rank": 3, "points": 10})
    );
}

/// The week start the server uses (`week_start` = saturday unless set).
fn week_start(now: DateTime<Utc>, first: chrono::Weekday) -> DateTime<Utc> {
    let back = (7 + now.weekday().num_days_from_monday() - first.num_days_from_monday()) % 7;
    (now.date_naive() - Duration::days(i64::from(back)))
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc()
}

fn expected(rows: &[(i64, i64, DateTime<Utc>)], since: DateTime<Utc>) -> Vec<(i64, i64, i64)> {
    let mut sums: std::collections::BTreeMap<i64, i64> = Default::default();
    for (uid, amount, at) in rows {
        if *at >= since {
            *sums.entry(*uid).or_default() += amount;
        }
    }
    let mut list: Vec<(i64, i64)> = sums.into_iter().collect();
    list.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    let mut out = Vec::new();
    for (i, (uid, points)) in list.iter().enumerate() {
        let rank = match out.last() {
            Some(&(r, _, p)) if p == *points => r,
            _ => i as i64 + 1,
        };
        out.push((rank, *uid, *points));
    }
    out
}

#[tokio::test]
async fn month_and_week_count_only_earnings_since_the_period_start() {
    let app = spawn().await;
    let admin = app.admin("historian").await;
    let a = app.register("anas").await;
    let b = app.register("bushra").await;
    let c = app.register("celine").await;
    let now = Utc::now();
    // (user, amount, when): every award is made now, then its ledger row is backdated.
    let plan = [
        (&a, 10, now),
        (&a, 20, now - Duration::days(40)),
        (&b, 30, now - Duration::days(8)),
        (&b, 4, now - Duration::days(2)),
        (&c, 5, now),
        (&c, 7, now - Duration::days(3)),
        (&c, 9, now - Duration::hours(30)),
    ];
    let mut rows = Vec::new();
    for (user, amount, at) in plan {
        award(&app, &admin, user.id, amount).await;
        let id = last_ledger_id(&app).await;
        app.sql(&format!(
            "UPDATE points_transactions SET created_at = '{}' WHERE id = {id}",
            ts(at)
        ))
        .await;
        rows.push((user.id, amount, at));
    }
    // Transfers move points without earning them.
    let res = app
        .post(
            "/api/v1/points/transfers",
            Some(&b.token),
            json!({"to_username": "anas", "amount": 30}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);

    let month_start = now
        .date_naive()
        .with_day(1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc();
    let month = board(&app, "?period=month", Some(&a)).await;
    assert_eq!(
        month["since"]
            .as_str()
            .unwrap()
            .parse::<DateTime<Utc>>()
            .unwrap(),
        month_start
    );
    assert_eq!(lines(&month), expected(&rows, month_start));

    let saturday = week_start(now, chrono::Weekday::Sat);
    let week = board(&app, "?period=week", Some(&a)).await;
    assert_eq!(
        week["since"]
            .as_str()
            .unwrap()
            .parse::<DateTime<Utc>>()
            .unwrap(),
        saturday
    );
    let week_lines = expected(&rows, saturday);
    assert_eq!(lines(&week), week_lines);
    let a_line = week_lines.iter().find(|l| l.1 == a.id).unwrap();
    assert_eq!(week["me"], json!({"rank": a_line.0, "points": a_line.2}));

    assert_eq!(
        lines(&board(&app, "?period=all", None).await),
        vec![(1, b.id, 34), (2, a.id, 30), (3, c.id, 21)]
    );

    // The week can start on Monday instead (system setting `week_start`).
    app.sql(&format!(
        "INSERT INTO system_settings (key, value, updated_at) VALUES ('week_start', '\"monday\"', '{}')",
        ts(now)
    ))
    .await;
    let monday = week_start(now, chrono::Weekday::Mon);
    let week = board(&app, "?period=week", None).await;
    assert_eq!(
        week["since"]
            .as_str()
            .unwrap()
            .parse::<DateTime<Utc>>()
            .unwrap(),
        monday
    );
    assert_eq!(lines(&week), expected(&rows, monday));
}

#[tokio::test]
async fn period_boards_are_cached_briefly_but_the_all_time_board_is_live() {
    let app = spawn_app_with(|s| {
        s.scheduler_interval_ms = 0;
        s.leaderboard_cache_ms = 60_000;
        s.leaderboard_all_cache_ms = 0;
    })
    .await;
    let admin = app.admin("cachier").await;
    let a = app.register("steady").await;
    award(&app, &admin, a.id, 10).await;
    assert_eq!(
        lines(&board(&app, "?period=week", None).await),
        vec![(1, a.id, 10)]
    );
    award(&app, &admin, a.id, 5).await;
    assert_eq!(
        lines(&board(&app, "?period=week", None).await),
        vec![(1, a.id, 10)],
        "served from the cache"
    );
    assert_eq!(
        lines(&board(&app, "?period=all", None).await),
        vec![(1, a.id, 15)]
    );
}

#[tokio::test]
async fn a_bad_period_or_limit_is_422() {
    let app = spawn().await;
    for query in ["?period=year", "?limit=0", "?limit=201", "?limit=abc"] {
        let res = app.get(&format!("/api/v1/leaderboard{query}"), None).await;
        assert_error(res, 422, "validation_failed").await;
    }
    assert_error(
        app.get("/api/v1/leaderboard", Some("garbage")).await,
        401,
        "invalid_token",
    )
    .await;
    assert_error(
        app.get("/api/v1/competitions/999/leaderboard", None).await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_cached_board_is_never_more_than_twice_its_lifetime_old() {
    let app = spawn_app_with(|s| {
        s.scheduler_interval_ms = 0;
        s.leaderboard_cache_ms = 300;
        s.leaderboard_all_cache_ms = 300;
    })
    .await;
    let admin = app.admin("cache_admin").await;
    let user = app.register("late_bird").await;
    // Every period is ranked and cached while nobody has points.
    for period in ["all", "week", "month"] {
        assert_eq!(
            lines(&board(&app, &format!("?period={period}"), None).await),
            vec![]
        );
    }
    award(&app, &admin, user.id, 70).await;
    // After a quiet spell longer than twice the lifetime the old ranking is not served any more:
    // the next visitor gets one computed now.
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    for period in ["all", "week", "month"] {
        let b = board(&app, &format!("?period={period}"), None).await;
        assert_eq!(lines(&b), vec![(1, user.id, 70)], "{period}");
    }
}

#[tokio::test]
async fn an_admin_credit_or_correction_never_moves_a_board() {
    let app = spawn().await;
    let admin = app.admin("welcomer").await;
    let player = app.register("player").await;
    let newcomer = app.register("newcomer").await;
    award(&app, &admin, player.id, 30).await;
    // A welcome credit of 500 through the admin API: the balance, not the boards.
    crate::helpers::award(&app, &admin, newcomer.id, 500).await;
    for period in ["all", "week", "month"] {
        assert_eq!(
            lines(&board(&app, &format!("?period={period}"), None).await),
            vec![(1, player.id, 30)],
            "{period}"
        );
    }
    // The correction takes the credit back; nothing was earned either way.
    let res = app
        .post(
            &format!("/api/v1/admin/users/{}/adjust", newcomer.id),
            Some(&admin.token),
            json!({"amount": -500, "reason": "تصحيح"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let me: Value = app
        .get("/api/v1/points/balance", Some(&newcomer.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me, json!({"points_balance": 0, "lifetime_earned": 0}));
    for period in ["all", "week", "month"] {
        assert_eq!(
            lines(&board(&app, &format!("?period={period}"), None).await),
            vec![(1, player.id, 30)],
            "{period}"
        );
    }
    assert_ledger_clean(&app, &admin).await;
}
