//! The public list's filters and search, and malformed requests never answered with a 5xx.

use super::*;

#[tokio::test]
async fn the_public_list_filters_by_status_and_searches_arabic_loosely() {
    let app = spawn().await;
    let admin = app.admin("curator").await;
    let user = app.register("browser").await;
    let _draft = create(&app, &admin, quiz("مسودة سرية")).await;
    let upcoming = published_quiz(&app, &admin, quiz("مُسابَقة الأَدب")).await;
    let running = published_quiz(&app, &admin, quiz("تحدي الرياضيات")).await;
    start_now(&app, running).await;
    let ended = published_quiz(&app, &admin, quiz("تحدي التاريخ")).await;
    end_now(&app, ended).await;
    assert_eq!(
        join(&app, &user, upcoming).await.status(),
        StatusCode::CREATED
    );

    let ids = |v: &Value| -> Vec<i64> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect()
    };
    let list = |q: &str| {
        let path = format!("/api/v1/competitions{q}");
        let app = &app;
        async move { app.get(&path, None).await }
    };
    assert_eq!(
        ids(&json_of(list("").await).await),
        vec![ended, running, upcoming]
    );
    assert_eq!(
        ids(&json_of(list("?status=upcoming").await).await),
        vec![upcoming]
    );
    assert_eq!(
        ids(&json_of(list("?status=open").await).await),
        vec![upcoming]
    );
    assert_eq!(
        ids(&json_of(list("?status=running").await).await),
        vec![running]
    );
    assert_eq!(
        ids(&json_of(list("?status=ended").await).await),
        vec![ended]
    );
    assert_eq!(
        ids(&json_of(list("?status=finalized").await).await),
        Vec::<i64>::new()
    );
    // "مسابقه" (no diacritics, ه for ة) finds "مُسابَقة".
    assert_eq!(
        ids(&json_of(list("?q=%D9%85%D8%B3%D8%A7%D8%A8%D9%82%D9%87").await).await),
        vec![upcoming]
    );
    assert_eq!(
        ids(&json_of(list("?q=%25").await).await),
        Vec::<i64>::new(),
        "LIKE wildcards are literal"
    );
    // Keyset pages.
    let first = json_of(list("?limit=2").await).await;
    assert_eq!(ids(&first), vec![ended, running]);
    let next = first["next_cursor"].as_str().unwrap();
    assert_eq!(
        ids(&json_of(list(&format!("?limit=2&cursor={next}")).await).await),
        vec![upcoming]
    );
    assert_error(list("?status=soon").await, 422, "validation_failed").await;
    assert_error(list("?limit=0").await, 422, "validation_failed").await;

    // With a token every item says whether the caller takes part.
    let mine = json_of(app.get("/api/v1/competitions", Some(&user.token)).await).await;
    for item in mine["items"].as_array().unwrap() {
        let joined = item["id"].as_i64() == Some(upcoming);
        assert_eq!(item["joined"], joined, "{item}");
    }
    assert_error(
        app.get("/api/v1/competitions", Some("not-a-token")).await,
        401,
        "invalid_token",
    )
    .await;

    // Admins see every status, drafts included, with counts.
    let all = json_of(
        app.get("/api/v1/admin/competitions", Some(&admin.token))
            .await,
    )
    .await;
    assert_eq!(all["items"].as_array().unwrap().len(), 4);
    let drafts = json_of(
        app.get(
            "/api/v1/admin/competitions?status=draft",
            Some(&admin.token),
        )
        .await,
    )
    .await;
    assert_eq!(drafts["items"][0]["title"], "مسودة سرية");
    let up = json_of(
        app.get(
            "/api/v1/admin/competitions?status=published",
            Some(&admin.token),
        )
        .await,
    )
    .await;
    assert_eq!(up["items"][0]["participants_count"], 1);
    assert_eq!(up["items"][0]["question_count"], 1);
    let participants = json_of(
        app.get(
            &format!("/api/v1/admin/competitions/{upcoming}/participants"),
            Some(&admin.token),
        )
        .await,
    )
    .await;
    assert_eq!(participants["items"][0]["username"], "browser");
    assert_eq!(participants["items"][0]["status"], "registered");
    assert_error(
        app.get("/api/v1/admin/competitions?kind=race", Some(&admin.token))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_error(
        app.get(
            &format!("/api/v1/admin/competitions/{upcoming}/participants"),
            Some(&user.token),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn malformed_requests_never_cause_a_server_error() {
    let app = spawn().await;
    let admin = app.admin("fuzzer").await;
    let user = app.register("prober").await;
    let id = published_quiz(&app, &admin, quiz("مسابقة المتانة")).await;
    let t = Some(admin.token.as_str());
    let cases: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, "/api/v1/competitions/abc".into(), None),
        (
            Method::GET,
            "/api/v1/competitions/99999999999999999999".into(),
            None,
        ),
        (Method::GET, "/api/v1/competitions?cursor=-5".into(), None),
        (
            Method::GET,
            "/api/v1/competitions?q=".to_owned() + &"ب".repeat(150),
            None,
        ),
        (
            Method::GET,
            format!("/api/v1/competitions/{id}/leaderboard?limit=-1"),
            None,
        ),
        (
            Method::POST,
            "/api/v1/admin/competitions".into(),
            Some(json!({"title": 5})),
        ),
        (
            Method::POST,
            "/api/v1/admin/competitions".into(),
            Some(json!([1, 2])),
        ),
        (
            Method::POST,
            "/api/v1/admin/competitions".into(),
            Some(
                json!({"title": "أ", "kind": "quiz", "starts_at": "9999-12-31T23:59:59Z", "ends_at": "9999-12-31T23:59:59Z"}),
            ),
        ),
        (
            Method::POST,
            "/api/v1/admin/competitions".into(),
            Some(
                json!({"title": "أ", "kind": "quiz", "starts_at": in_secs(60), "ends_at": in_secs(120), "max_participants": 1e12, "prizes": [{"rank": 9_223_372_036_854_775_807i64, "points": 1}]}),
            ),
        ),
        (
            Method::PATCH,
            format!("/api/v1/admin/competitions/{id}"),
            Some(json!({"max_participants": "many"})),
        ),
        (
            Method::PATCH,
            format!("/api/v1/admin/competitions/{id}/questions/1"),
            Some(json!({"position": 99_999_999_999i64})),
        ),
        (
            Method::POST,
            format!("/api/v1/admin/competitions/{id}/questions"),
            Some(
                json!({"text": "س", "choices": ["أ", "ب"], "correct_index": 9_223_372_036_854_775_807i64}),
            ),
        ),
        (
            Method::PUT,
            format!("/api/v1/admin/competitions/{id}/results"),
            Some(json!({"results": [{"user_id": 1, "score": 1e20}]})),
        ),
        (
            Method::POST,
            format!("/api/v1/competitions/{id}/submission"),
            Some(
                json!({"answers": [{"question_id": -1, "choice_index": 9_223_372_036_854_775_807i64}]}),
            ),
        ),
        (
            Method::POST,
            "/api/v1/admin/competitions/0/finalize".into(),
            Some(json!({})),
        ),
    ];
    for (method, path, body) in cases {
        let res = app
            .request(&admin.client, method.clone(), &path, t, body)
            .await;
        let status = res.status();
        assert!(
            status.is_client_error(),
            "{method} {path}: {status} {}",
            res.text().await.unwrap_or_default()
        );
    }
    // The same for a participant poking at someone else's competition.
    let res = app
        .request(
            &user.client,
            Method::DELETE,
            &format!("/api/v1/competitions/{id}/join"),
            Some(&user.token),
            None,
        )
        .await;
    assert_error(res, 403, "not_participant").await;
}
