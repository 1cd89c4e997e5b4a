//! Entries of judged competitions (issue 13, item 2): participants send a text and a link and
//! may edit them until the end; judges read them side by side, with or without names, and the
//! scores they enter come back to the participant.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::competitions::{create, end_now, join, json_of, publish, quiz, start_now};
use crate::helpers::{assert_error, spawn_app, TestApp, TestUser};

async fn put_entry(app: &TestApp, user: &TestUser, id: i64, body: Value) -> reqwest::Response {
    app.request(
        &user.client,
        Method::PUT,
        &format!("/api/v1/competitions/{id}/entry"),
        Some(&user.token),
        Some(body),
    )
    .await
}

#[tokio::test]
async fn participants_send_and_edit_entries_that_judges_read_with_or_without_names() {
    let app = spawn_app().await;
    let admin = app.admin("judge").await;
    let amal = app.register("amal").await;
    let badr = app.register("badr").await;
    let outsider = app.register("outsider").await;
    let mut body = quiz("مسابقة الخط العربي");
    body["kind"] = json!("judged");
    let id = create(&app, &admin, body).await;
    publish(&app, &admin, id).await;
    for u in [&amal, &badr] {
        assert_eq!(join(&app, u, id).await.status(), StatusCode::CREATED);
    }

    // Nothing sent yet: null, not an error.
    let mine = format!("/api/v1/competitions/{id}/entry");
    let none = app.get(&mine, Some(&amal.token)).await;
    assert_eq!(none.status(), StatusCode::OK);
    assert!(json_of(none).await.is_null());
    // Bad input names its fields and writes nothing.
    let res = put_entry(
        &app,
        &amal,
        id,
        json!({"text": " ", "link": "javascript:alert(1)"}),
    )
    .await;
    let err = assert_error(res, 422, "validation_failed").await;
    assert!(
        err["error"]["fields"]["text"].is_string() && err["error"]["fields"]["link"].is_string()
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM competition_entries").await,
        0
    );
    // Only participants.
    let res = put_entry(&app, &outsider, id, json!({"text": "لوحتي"})).await;
    assert_error(res, 403, "not_participant").await;

    // Before the start and while it runs, the entry can be sent and changed.
    let res = put_entry(
        &app,
        &amal,
        id,
        json!({"text": "لوحة بخط الثلث", "link": "https://example.com/amal.png"}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    start_now(&app, id).await;
    let res = put_entry(&app, &amal, id, json!({"text": "لوحة بخط الثلث (النسخة النهائية)", "link": "https://example.com/amal-final.png"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let e = json_of(res).await;
    assert_eq!(e["link"], "https://example.com/amal-final.png");
    assert!(e["score"].is_null());
    let res = put_entry(&app, &badr, id, json!({"text": "قصيدة مكتوبة بالديواني"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM competition_entries").await,
        2
    );

    // The judges' view, with names and without.
    let path = format!("/api/v1/admin/competitions/{id}/entries");
    let named = json_of(app.get(&path, Some(&admin.token)).await).await;
    assert_eq!(named["items"].as_array().unwrap().len(), 2);
    assert_eq!(named["items"][0]["username"], "amal");
    assert_eq!(named["without_entry"], 0);
    let blind = json_of(
        app.get(&format!("{path}?anonymous=true"), Some(&admin.token))
            .await,
    )
    .await;
    assert_eq!(blind["anonymous"], true);
    assert!(blind["items"][0]["username"].is_null() && blind["items"][0]["display_name"].is_null());
    assert_eq!(blind["items"][1]["label"], "المشاركة 2");
    assert!(!blind.to_string().contains("amal\""), "{blind}");
    assert_error(app.get(&path, Some(&amal.token)).await, 403, "forbidden").await;

    // Scored through the results form; the participant sees the score with the entry.
    let res = app
        .request(
            &admin.client,
            Method::PUT,
            &format!("/api/v1/admin/competitions/{id}/results"),
            Some(&admin.token),
            Some(json!({"results": [{"user_id": blind["items"][0]["user_id"], "score": 88}]})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let e = json_of(app.get(&mine, Some(&amal.token)).await).await;
    assert_eq!(e["score"], 88);

    // After the end nothing changes any more.
    end_now(&app, id).await;
    let res = put_entry(&app, &amal, id, json!({"text": "تعديل متأخر"})).await;
    assert_error(res, 409, "competition_not_running").await;
    let e = json_of(app.get(&mine, Some(&amal.token)).await).await;
    assert_eq!(e["text"], "لوحة بخط الثلث (النسخة النهائية)");
}

#[tokio::test]
async fn a_quiz_takes_answers_not_entries() {
    let app = spawn_app().await;
    let admin = app.admin("quizmaster").await;
    let user = app.register("quizzer").await;
    let id = create(&app, &admin, quiz("مسابقة أسئلة")).await;
    let res = app
        .request(
            &user.client,
            Method::PUT,
            &format!("/api/v1/competitions/{id}/entry"),
            Some(&user.token),
            Some(json!({"text": "إجابتي"})),
        )
        .await;
    // A draft is invisible to participants.
    assert_error(res, 404, "not_found").await;
    let res = app
        .get(
            &format!("/api/v1/admin/competitions/{id}/entries"),
            Some(&admin.token),
        )
        .await;
    assert_error(res, 422, "unprocessable").await;
}
