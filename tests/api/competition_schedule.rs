//! Editing a competition's schedule never reaches a state the form cannot fix (issue 13, item 5).

use reqwest::StatusCode;
use serde_json::json;

use crate::competitions::{create, in_secs, json_of, publish, quiz, start_now};
use crate::helpers::spawn_app;

fn path(id: i64, rest: &str) -> String {
    format!("/api/v1/admin/competitions/{id}{rest}")
}

#[tokio::test]
async fn moving_a_running_competitions_end_earlier_moves_a_later_registration_close_with_it() {
    let app = spawn_app().await;
    let admin = app.admin("scheduler").await;
    let mut body = quiz("مسابقة التسجيل المتأخر");
    body["kind"] = json!("judged");
    // Registration stays open an hour into the competition.
    body["registration_closes_at"] = json!(in_secs(7200));
    body["ends_at"] = json!(in_secs(3 * 3600));
    let id = create(&app, &admin, body).await;
    publish(&app, &admin, id).await;
    start_now(&app, id).await;

    // The end moves before the registration close, a field frozen while it runs.
    let new_end = in_secs(1800);
    let res = app
        .patch(
            &path(id, ""),
            Some(&admin.token),
            json!({"ends_at": new_end}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let c = json_of(res).await;
    assert_eq!(c["status"], "running");
    assert_eq!(c["ends_at"], c["registration_closes_at"], "{c}");

    // Setting the registration close itself is still refused while it runs.
    let res = app
        .patch(
            &path(id, ""),
            Some(&admin.token),
            json!({"registration_closes_at": in_secs(600)}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
}
