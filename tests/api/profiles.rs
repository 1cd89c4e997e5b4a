//! Public profiles (issue 13 item 8): GET /users/{username} shows what the boards publish —
//! name, points earned, all-time place, finished competitions and wins — to anyone, and nothing
//! for unknown, suspended or deleted accounts.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::competitions::{create, end_now, finalize, join, json_of, publish, quiz, start_now};
use crate::helpers::assert_error;
use crate::leaderboard::spawn;

#[tokio::test]
async fn a_profile_shows_place_results_and_wins_and_hides_suspended_accounts() {
    let app = spawn().await;
    let admin = app.admin("judge").await;
    let lina = app.register("lina").await;
    let omar = app.register("omar").await;
    let mut body = quiz("مسابقة الشعر");
    body["kind"] = json!("judged");
    body["participation_points"] = json!(1);
    body["prizes"] = json!([{"rank": 1, "points": 50}, {"rank": 2, "points": 20}]);
    let id = create(&app, &admin, body).await;
    publish(&app, &admin, id).await;
    for u in [&lina, &omar] {
        assert_eq!(join(&app, u, id).await.status(), StatusCode::CREATED);
    }
    start_now(&app, id).await;
    let res = app
        .request(
            &admin.client,
            Method::PUT,
            &format!("/api/v1/admin/competitions/{id}/results"),
            Some(&admin.token),
            Some(json!({"results": [
                {"user_id": lina.id, "score": 90},
                {"user_id": omar.id, "score": 60}
            ]})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    end_now(&app, id).await;
    assert_eq!(finalize(&app, &admin, id).await.status(), StatusCode::OK);

    // Anyone may look, by any letter case.
    let res = app.get("/api/v1/users/LINA", None).await;
    assert_eq!(res.status(), StatusCode::OK);
    let p = json_of(res).await;
    assert_eq!(p["username"], "lina");
    assert_eq!(p["points_earned"], 51);
    assert_eq!(p["rank"], 1);
    assert_eq!(
        (&p["competitions_completed"], &p["wins"], &p["podiums"]),
        (&json!(1), &json!(1), &json!(1))
    );
    let recent = &p["recent"][0];
    assert_eq!(recent["competition_id"], id);
    assert_eq!(recent["title"], "مسابقة الشعر");
    assert_eq!((&recent["rank"], &recent["score"]), (&json!(1), &json!(90)));
    assert_eq!(recent["points_awarded"], 51);
    // Nothing private.
    for key in ["email", "points_balance", "role", "status", "referral_code"] {
        assert!(p.get(key).is_none(), "{key} is not public");
    }
    let o = json_of(app.get("/api/v1/users/omar", Some(&lina.token)).await).await;
    assert_eq!(
        (&o["rank"], &o["wins"], &o["podiums"]),
        (&json!(2), &json!(0), &json!(1))
    );
    // No points yet: no place, no results.
    let newcomer = app.register("newcomer").await;
    let n = json_of(app.get("/api/v1/users/newcomer", None).await).await;
    assert!(n["rank"].is_null());
    assert_eq!(n["recent"], json!([]));
    assert_eq!(n["user_id"], newcomer.id);

    // Unknown and suspended names answer the same 404.
    assert_error(
        app.get("/api/v1/users/nobody", None).await,
        404,
        "not_found",
    )
    .await;
    app.sql(&format!(
        "UPDATE users SET status = 'suspended' WHERE id = {}",
        omar.id
    ))
    .await;
    assert_error(app.get("/api/v1/users/omar", None).await, 404, "not_found").await;
}
