//! "مسابقاتي" (issue 17, item 1): GET /me/competitions lists what the caller joined — upcoming,
//! running and finished — with their score, rank and the points credited, and nothing else.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::competitions::{
    create, end_now, finalize, join, json_of, publish, quiz, start_now, withdraw,
};
use crate::helpers::{assert_error, spawn_app, TestApp, TestUser};

async fn mine(app: &TestApp, user: &TestUser, query: &str) -> Value {
    let res = app
        .get(
            &format!("/api/v1/me/competitions{query}"),
            Some(&user.token),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    json_of(res).await
}

fn ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["competition"]["id"].as_i64().unwrap())
        .collect()
}

async fn judged(app: &TestApp, admin: &TestUser, title: &str) -> i64 {
    let mut body = quiz(title);
    body["kind"] = json!("judged");
    body["participation_points"] = json!(2);
    body["prizes"] = json!([{"rank": 1, "points": 30}]);
    let id = create(app, admin, body).await;
    publish(app, admin, id).await;
    id
}

#[tokio::test]
async fn my_competitions_lists_what_i_joined_by_phase_with_my_result() {
    let app = spawn_app().await;
    let admin = app.admin("host").await;
    let huda = app.register("huda").await;
    let other = app.register("other").await;
    let upcoming = judged(&app, &admin, "مسابقة قادمة").await;
    let running = judged(&app, &admin, "مسابقة جارية").await;
    let finished = judged(&app, &admin, "مسابقة منتهية").await;
    let left = judged(&app, &admin, "مسابقة انسحبتُ منها").await;
    let not_joined = judged(&app, &admin, "مسابقة لم أشترك فيها").await;
    for id in [upcoming, running, finished, left] {
        assert_eq!(join(&app, &huda, id).await.status(), StatusCode::CREATED);
    }
    assert_eq!(
        join(&app, &other, not_joined).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(withdraw(&app, &huda, left).await.status(), StatusCode::OK);
    start_now(&app, running).await;
    start_now(&app, finished).await;
    let results = json!({"results": [{"user_id": huda.id, "score": 88}]});
    let res = app
        .request(
            &admin.client,
            Method::PUT,
            &format!("/api/v1/admin/competitions/{finished}/results"),
            Some(&admin.token),
            Some(results),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    end_now(&app, finished).await;
    assert_eq!(
        finalize(&app, &admin, finished).await.status(),
        StatusCode::OK
    );

    // Everything joined and not left, newest first; nobody else's.
    let all = mine(&app, &huda, "").await;
    assert_eq!(ids(&all), vec![finished, running, upcoming]);
    assert!(all["next_cursor"].is_null());
    // By phase, with the same status words as the public list.
    assert_eq!(
        ids(&mine(&app, &huda, "?status=upcoming").await),
        vec![upcoming]
    );
    assert_eq!(
        ids(&mine(&app, &huda, "?status=running").await),
        vec![running]
    );
    let done = mine(&app, &huda, "?status=ended").await;
    assert_eq!(ids(&done), vec![finished]);
    // The result of the finished one: score, rank, the prize and participation points.
    let item = &done["items"][0];
    assert_eq!(item["status"], "completed");
    assert_eq!(item["score"], 88);
    assert_eq!(item["rank"], 1);
    assert_eq!(item["points_awarded"], 32);
    assert_eq!(item["competition"]["status"], "finalized");
    assert_eq!(item["competition"]["joined"], true);
    // Not yet scored: nulls, not zeros.
    let up = &mine(&app, &huda, "?status=upcoming").await["items"][0];
    assert!(up["score"].is_null() && up["rank"].is_null());
    assert_eq!(up["status"], "registered");
    assert_eq!(up["points_awarded"], 0);
    // Paged by the usual cursor.
    let first = mine(&app, &huda, "?limit=2").await;
    assert_eq!(ids(&first), vec![finished, running]);
    let cursor = first["next_cursor"].as_str().unwrap().to_owned();
    assert_eq!(
        ids(&mine(&app, &huda, &format!("?limit=2&cursor={cursor}")).await),
        vec![upcoming]
    );
    // Someone who joined nothing gets an empty page.
    let nobody = app.register("nobody").await;
    assert_eq!(ids(&mine(&app, &nobody, "").await), Vec::<i64>::new());
}

#[tokio::test]
async fn my_competitions_needs_a_session_and_a_known_status() {
    let app = spawn_app().await;
    let huda = app.register("huda").await;
    assert_error(
        app.get("/api/v1/me/competitions", None).await,
        401,
        "unauthorized",
    )
    .await;
    let err = assert_error(
        app.get("/api/v1/me/competitions?status=soon", Some(&huda.token))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert!(err["error"]["fields"]["status"].is_string());
    assert_error(
        app.get("/api/v1/me/competitions?limit=0", Some(&huda.token))
            .await,
        422,
        "validation_failed",
    )
    .await;
}
