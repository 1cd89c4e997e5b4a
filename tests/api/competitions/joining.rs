//! Joining: fees debited and refunded, registration windows, seats under concurrency.

use super::*;

#[tokio::test]
async fn joining_debits_the_fee_withdrawing_refunds_it_and_rejoining_charges_again() {
    let app = spawn().await;
    let admin = app.admin("cashier").await;
    let user = app.register("joiner").await;
    award(&app, &admin, user.id, 100).await;
    let mut body = quiz("مسابقة برسوم");
    body["entry_fee"] = json!(30);
    let id = published_quiz(&app, &admin, body).await;

    let res = join(&app, &user, id).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let joined = json_of(res).await;
    assert_eq!(joined["points_balance"], 70);
    assert_eq!(joined["fee_paid"], 30);
    assert_eq!(joined["status"], "registered");
    assert_eq!(balance(&app, &user).await, 70);
    let ledger = json_of(
        app.get("/api/v1/points/transactions", Some(&user.token))
            .await,
    )
    .await;
    assert_eq!(ledger["items"][0]["kind"], "entry_fee");
    assert_eq!(ledger["items"][0]["amount"], -30);
    assert_eq!(ledger["items"][0]["reference_id"], id);
    let detail = json_of(
        app.get(&format!("/api/v1/competitions/{id}"), Some(&user.token))
            .await,
    )
    .await;
    assert_eq!(
        (
            detail["participants_count"].as_i64(),
            detail["joined"].as_bool()
        ),
        (Some(1), Some(true))
    );
    assert_eq!(detail["my_status"], "registered");

    assert_error(join(&app, &user, id).await, 409, "already_joined").await;
    assert_eq!(balance(&app, &user).await, 70);

    let res = withdraw(&app, &user, id).await;
    assert_eq!(res.status(), StatusCode::OK);
    let out = json_of(res).await;
    assert_eq!(
        (out["refunded"].as_i64(), out["points_balance"].as_i64()),
        (Some(30), Some(100))
    );
    assert_eq!(out["status"], "withdrawn");
    let ledger = json_of(
        app.get("/api/v1/points/transactions", Some(&user.token))
            .await,
    )
    .await;
    assert_eq!(ledger["items"][0]["kind"], "entry_fee_refund");
    assert_eq!(ledger["items"][0]["amount"], 30);
    let detail = json_of(
        app.get(&format!("/api/v1/competitions/{id}"), Some(&user.token))
            .await,
    )
    .await;
    assert_eq!(
        (
            detail["participants_count"].as_i64(),
            detail["joined"].as_bool()
        ),
        (Some(0), Some(false))
    );
    assert_eq!(detail["my_status"], "withdrawn");
    assert_error(withdraw(&app, &user, id).await, 403, "not_participant").await;

    // Joining again is allowed while registration is open, and costs the fee again.
    assert_eq!(join(&app, &user, id).await.status(), StatusCode::CREATED);
    assert_eq!(balance(&app, &user).await, 70);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM participations WHERE competition_id = {id}"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(participants_count AS BIGINT) FROM competitions WHERE id = {id}"
        ))
        .await,
        1
    );

    // An Idempotency-Key retry of a join answers like the first time and charges nothing.
    let other = app.register("retrier").await;
    award(&app, &admin, other.id, 50).await;
    let send = || async {
        other
            .client
            .post(app.url(&format!("/api/v1/competitions/{id}/join")))
            .bearer_auth(&other.token)
            .header("Idempotency-Key", "join-once-1")
            .send()
            .await
            .unwrap()
    };
    let first = send().await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first = json_of(first).await;
    let again = send().await;
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(
        again
            .headers()
            .get("idempotent-replayed")
            .map(|v| v.to_str().unwrap()),
        Some("true")
    );
    assert_eq!(json_of(again).await, first);
    assert_eq!(balance(&app, &other).await, 20);
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn joining_without_enough_points_is_409_and_changes_nothing() {
    let app = spawn().await;
    let admin = app.admin("gatekeeper").await;
    let user = app.register("shortfall").await;
    award(&app, &admin, user.id, 20).await;
    let mut body = quiz("مسابقة غالية");
    body["entry_fee"] = json!(50);
    let id = published_quiz(&app, &admin, body).await;

    assert_error(join(&app, &user, id).await, 409, "insufficient_points").await;
    assert_eq!(balance(&app, &user).await, 20);
    assert_eq!(app.count("SELECT COUNT(*) FROM participations").await, 0);
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(participants_count AS BIGINT) FROM competitions WHERE id = {id}"
        ))
        .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM points_transactions WHERE kind = 'entry_fee'")
            .await,
        0
    );
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn joining_needs_an_open_registration_window() {
    let app = spawn().await;
    let admin = app.admin("doorman").await;
    let user = app.register("early").await;
    let draft = create(&app, &admin, quiz("مسودة")).await;
    assert_error(join(&app, &user, draft).await, 404, "not_found").await;

    let mut later = quiz("تسجيل لاحق");
    later["registration_opens_at"] = json!(in_secs(1800));
    let id = published_quiz(&app, &admin, later).await;
    let detail = json_of(app.get(&format!("/api/v1/competitions/{id}"), None).await).await;
    assert_eq!(detail["registration_open"], false);
    assert_error(join(&app, &user, id).await, 409, "registration_not_open").await;

    // By default registration closes at the start.
    let id = published_quiz(&app, &admin, quiz("بدأت")).await;
    start_now(&app, id).await;
    assert_error(join(&app, &user, id).await, 409, "registration_not_open").await;
    // Unless the window says otherwise (late joining while running).
    let mut late = quiz("تسجيل متأخر");
    late["registration_closes_at"] = json!(in_secs(5400));
    let id = published_quiz(&app, &admin, late).await;
    start_now(&app, id).await;
    assert_eq!(join(&app, &user, id).await.status(), StatusCode::CREATED);
    assert_error(join(&app, &admin, 999_999).await, 404, "not_found").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM participations").await, 1);
}

#[tokio::test]
async fn twenty_users_racing_for_five_seats_leave_exactly_five_joined() {
    let app = spawn().await;
    let admin = app.admin("usher").await;
    let names: Vec<String> = (0..20).map(|i| format!("racer{i}")).collect();
    let users: Vec<TestUser> = join_all(names.iter().map(|n| app.register(n))).await;
    for u in &users {
        award(&app, &admin, u.id, 10).await;
    }
    let mut body = quiz("خمسة مقاعد");
    body["max_participants"] = json!(5);
    body["entry_fee"] = json!(10);
    let id = published_quiz(&app, &admin, body).await;

    let results = join_all(users.iter().map(|u| join(&app, u, id))).await;
    let mut created = 0;
    for res in results {
        if res.status() == StatusCode::CREATED {
            created += 1;
        } else {
            assert_error(res, 409, "competition_full").await;
        }
    }
    assert_eq!(created, 5);
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(participants_count AS BIGINT) FROM competitions WHERE id = {id}"
        ))
        .await,
        5
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM participations").await, 5);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM points_transactions WHERE kind = 'entry_fee'")
            .await,
        5
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE role = 'user' AND points_balance = 0")
            .await,
        5
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE role = 'user' AND points_balance = 10")
            .await,
        15
    );
    let detail = json_of(app.get(&format!("/api/v1/competitions/{id}"), None).await).await;
    assert_eq!(detail["is_full"], true);
    let open = json_of(app.get("/api/v1/competitions?status=open", None).await).await;
    assert_eq!(open["items"], json!([]), "a full competition is not open");
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn seats_cannot_be_cut_below_the_participants_and_drafts_can_change_everything() {
    let app = spawn().await;
    let admin = app.admin("planner").await;
    let a = app.register("seat1").await;
    let b = app.register("seat2").await;
    let id = create(&app, &admin, quiz("مقاعد محدودة")).await;
    let res = app
        .patch(
            &format!("/api/v1/admin/competitions/{id}"),
            Some(&admin.token),
            json!({"entry_fee": 0, "kind": "quiz", "max_participants": 3, "prizes": [{"rank": 1, "points": 9}], "title_en": "Seats"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let edited = json_of(res).await;
    assert_eq!(edited["max_participants"], 3);
    assert_eq!(edited["prizes"], json!([{"rank": 1, "points": 9}]));
    add_question(&app, &admin, id, 0, 1).await;
    publish(&app, &admin, id).await;
    assert_eq!(join(&app, &a, id).await.status(), StatusCode::CREATED);
    assert_eq!(join(&app, &b, id).await.status(), StatusCode::CREATED);
    let path = format!("/api/v1/admin/competitions/{id}");
    assert_error(
        app.patch(&path, Some(&admin.token), json!({"max_participants": 1}))
            .await,
        409,
        "conflict",
    )
    .await;
    let res = app
        .patch(
            &path,
            Some(&admin.token),
            json!({"max_participants": 2, "title_en": null}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let body = json_of(res).await;
    assert_eq!(
        (body["max_participants"].as_i64(), body["is_full"].as_bool()),
        (Some(2), Some(true))
    );
    assert_eq!(body["title_en"], Value::Null);
    // Sending unchanged frozen values back (a full form) is fine.
    let res = app
        .patch(
            &path,
            Some(&admin.token),
            json!({"entry_fee": 0, "kind": "quiz"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn one_user_joining_five_times_at_once_is_charged_once() {
    let app = spawn().await;
    let admin = app.admin("bouncer").await;
    let user = app.register("eager").await;
    award(&app, &admin, user.id, 100).await;
    let mut body = quiz("مرة واحدة");
    body["entry_fee"] = json!(15);
    let id = published_quiz(&app, &admin, body).await;
    let results = join_all((0..5).map(|_| join(&app, &user, id))).await;
    let mut created = 0;
    for res in results {
        if res.status() == StatusCode::CREATED {
            created += 1;
        } else {
            assert_error(res, 409, "already_joined").await;
        }
    }
    assert_eq!(created, 1);
    assert_eq!(balance(&app, &user).await, 85);
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(participants_count AS BIGINT) FROM competitions WHERE id = {id}"
        ))
        .await,
        1
    );
    assert_ledger_clean(&app, &admin).await;
}
