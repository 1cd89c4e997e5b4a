//! Leaderboard pages (issue 13 item 8): `offset` pages past the first, `around=me` centres the
//! page on the caller, and every page says where it is (`offset`, `total`).

use reqwest::StatusCode;

use crate::helpers::{assert_error, TestUser};
use crate::leaderboard::{award, board, lines, spawn};

#[tokio::test]
async fn pages_past_the_first_and_the_page_around_me() {
    let app = spawn().await;
    let admin = app.admin("boss").await;
    // Eight people with 80, 70, … 10 points; a ninth with none.
    let mut people: Vec<TestUser> = Vec::new();
    for i in 0..8 {
        let u = app.register(&format!("player{i}")).await;
        award(&app, &admin, u.id, 80 - 10 * i).await;
        people.push(u);
    }
    let idle = app.register("idle").await;
    let ids = |range: std::ops::Range<usize>| -> Vec<i64> {
        people[range].iter().map(|u| u.id).collect()
    };
    let user_ids = |b: &serde_json::Value| -> Vec<i64> { lines(b).iter().map(|l| l.1).collect() };

    let first = board(&app, "?limit=3", None).await;
    assert_eq!(user_ids(&first), ids(0..3));
    assert_eq!(
        (first["offset"].as_i64(), first["total"].as_i64()),
        (Some(0), Some(8))
    );
    let second = board(&app, "?limit=3&offset=3", None).await;
    assert_eq!(user_ids(&second), ids(3..6));
    assert_eq!(lines(&second)[0].0, 4, "ranks continue across pages");
    assert_eq!(
        user_ids(&board(&app, "?limit=3&offset=6", None).await),
        ids(6..8)
    );
    let past = board(&app, "?limit=3&offset=50", None).await;
    assert!(user_ids(&past).is_empty());
    assert_eq!(past["total"], 8);

    // Around me: centred on the caller, clamped at the ends.
    let mid = board(&app, "?limit=3&around=me", Some(&people[4])).await;
    assert_eq!(user_ids(&mid), ids(3..6));
    assert_eq!(mid["offset"], 3);
    assert_eq!(mid["me"]["rank"], 5);
    assert_eq!(
        user_ids(&board(&app, "?limit=3&around=me", Some(&people[0])).await),
        ids(0..3)
    );
    assert_eq!(
        user_ids(&board(&app, "?limit=3&around=me", Some(&people[7])).await),
        ids(5..8)
    );
    // No points: the last ranked people, the caller's own line (rank 9) comes after them.
    let tail = board(&app, "?limit=3&around=me", Some(&idle)).await;
    assert_eq!(user_ids(&tail), ids(6..8));
    assert_eq!(tail["me"]["rank"], 9);
    // The same on the other periods.
    let week = board(&app, "?period=week&limit=2&around=me", Some(&people[5])).await;
    assert_eq!(user_ids(&week), ids(4..6));

    // Around me needs a session; bad values are named.
    let res = app.get("/api/v1/leaderboard?around=me", None).await;
    assert_error(res, 401, "unauthorized").await;
    for (query, field) in [("?around=you", "around"), ("?offset=10000001", "offset")] {
        let res = app
            .get(&format!("/api/v1/leaderboard{query}"), Some(&idle.token))
            .await;
        let err = assert_error(res, 422, "validation_failed").await;
        assert!(err["error"]["fields"][field].is_string(), "{query}");
    }
    let res = app
        .get("/api/v1/leaderboard?offset=-1", Some(&idle.token))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
