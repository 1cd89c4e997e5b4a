//! Finalization: ranks and tie breaks, prizes exactly once, judged results, the scheduler.

use super::*;

#[tokio::test]
async fn finalizing_ranks_with_tie_breaks_credits_prizes_once_and_notifies_everyone() {
    let app = spawn().await;
    let admin = app.admin("judge").await;
    let a = app.register("amal").await;
    let b = app.register("badr").await;
    let c = app.register("camil").await;
    let d = app.register("dalia").await;
    let e = app.register("eyad").await;
    let mut body = quiz("نهائي الثقافة");
    body["prizes"] =
        json!([{"rank": 1, "points": 100}, {"rank": 2, "points": 50}, {"rank": 3, "points": 20}]);
    body["participation_points"] = json!(5);
    // a and b tie on 7 (a submits first); c and d tie on 3 with the same submission time.
    let id = quiz_with_scores(
        &app,
        &admin,
        &[&a, &b, &d, &c, &e],
        &[Some(7), Some(7), Some(3), Some(3), None],
        body,
    )
    .await;
    app.sql(&format!(
        "UPDATE participations SET submitted_at = (SELECT submitted_at FROM participations WHERE user_id = {}) WHERE user_id = {}",
        d.id, c.id
    ))
    .await;

    // Before finalizing the board already shows the order; e has no rank.
    let board = json_of(
        app.get(
            &format!("/api/v1/competitions/{id}/leaderboard?limit=2"),
            Some(&e.token),
        )
        .await,
    )
    .await;
    let order: Vec<i64> = board["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["user_id"].as_i64().unwrap())
        .collect();
    assert_eq!(order, vec![a.id, b.id]);
    assert_eq!(board["ranked"], 4);
    assert_eq!(board["me"]["rank"], Value::Null);
    assert_eq!(board["me"]["status"], "registered");
    let mine = json_of(
        app.get(
            &format!("/api/v1/competitions/{id}/leaderboard?limit=1"),
            Some(&d.token),
        )
        .await,
    )
    .await;
    assert_eq!(
        mine["me"]["rank"], 4,
        "d ties with c on score and time; c has the lower id"
    );

    end_now(&app, id).await;
    let res = finalize(&app, &admin, id).await;
    assert_eq!(res.status(), StatusCode::OK);
    let report = json_of(res).await;
    assert_eq!(
        (report["ranked"].as_i64(), report["participants"].as_i64()),
        (Some(4), Some(5))
    );
    assert_eq!(
        (
            report["prize_points"].as_i64(),
            report["participation_points"].as_i64()
        ),
        (Some(170), Some(20))
    );

    let expected = [(&a, 1, 105), (&b, 2, 55), (&c, 3, 25), (&d, 4, 5)];
    for (u, rank, points) in expected {
        assert_eq!(balance(&app, u).await, points, "{}", u.username);
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM participations WHERE user_id = {} AND rank = {rank} AND points_awarded = {points} AND status = 'completed'",
                u.id
            ))
            .await,
            1,
            "{}",
            u.username
        );
    }
    assert_eq!(balance(&app, &e).await, 0);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM participations WHERE user_id = {} AND rank IS NULL AND status = 'registered'", e.id)).await, 1);
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM points_transactions WHERE award_key = 'competition:{id}:user:{}:prize'", a.id)).await,
        1
    );
    let bell = json_of(app.get("/api/v1/notifications", Some(&a.token)).await).await;
    assert_eq!(bell["items"][0]["kind"], "competition_result");
    assert!(
        bell["items"][0]["body"].as_str().unwrap().contains("105"),
        "{bell}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM notifications WHERE kind = 'competition_result'")
            .await,
        5
    );
    let me = json_of(app.get("/api/v1/points/balance", Some(&a.token)).await).await;
    assert_eq!(me["lifetime_earned"], 105);

    // Finalizing again changes nothing.
    assert_error(finalize(&app, &admin, id).await, 409, "invalid_transition").await;
    for (u, _, points) in expected {
        assert_eq!(balance(&app, u).await, points);
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM notifications WHERE kind = 'competition_result'")
            .await,
        5
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'competition.finalize'")
            .await,
        1
    );
    let board = json_of(
        app.get(&format!("/api/v1/competitions/{id}/leaderboard"), None)
            .await,
    )
    .await;
    assert_eq!(board["status"], "finalized");
    assert_eq!(board["entries"][0]["points_awarded"], 105);
    assert_eq!(board["me"], Value::Null);
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn concurrent_finalizations_pay_exactly_one_set_of_prizes() {
    let app = spawn().await;
    let admin = app.admin("racejudge").await;
    let a = app.register("first").await;
    let b = app.register("second").await;
    let mut body = quiz("سباق الاعتماد");
    body["prizes"] = json!([{"rank": 1, "points": 40}, {"rank": 2, "points": 10}]);
    body["participation_points"] = json!(2);
    let id = quiz_with_scores(&app, &admin, &[&a, &b], &[Some(5), Some(1)], body).await;
    end_now(&app, id).await;

    let results = join_all((0..6).map(|_| finalize(&app, &admin, id))).await;
    let mut ok = 0;
    for res in results {
        if res.status() == StatusCode::OK {
            ok += 1;
        } else {
            assert_error(res, 409, "invalid_transition").await;
        }
    }
    assert_eq!(ok, 1);
    assert_eq!((balance(&app, &a).await, balance(&app, &b).await), (42, 12));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM points_transactions WHERE kind = 'competition_prize'")
            .await,
        2
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM points_transactions WHERE kind = 'participation'")
            .await,
        2
    );
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn judged_scores_are_entered_by_an_admin_and_ranked_at_finalization() {
    let app = spawn().await;
    let admin = app.admin("jury").await;
    let a = app.register("artist1").await;
    let b = app.register("artist2").await;
    let c = app.register("artist3").await;
    let outsider = app.register("critic").await;
    let mut body = quiz("مسابقة الخط العربي");
    body["kind"] = json!("judged");
    body["prizes"] = json!([{"rank": 1, "points": 60}]);
    body["participation_points"] = json!(1);
    let id = create(&app, &admin, body).await;
    publish(&app, &admin, id).await;
    for u in [&a, &b, &c] {
        assert_eq!(join(&app, u, id).await.status(), StatusCode::CREATED);
    }
    start_now(&app, id).await;
    // Participants of a judged competition have no answers to submit.
    assert_error(submit(&app, &a, id, json!([])).await, 422, "unprocessable").await;

    let results_path = format!("/api/v1/admin/competitions/{id}/results");
    let put = |body: Value| {
        app.request(
            &admin.client,
            Method::PUT,
            &results_path,
            Some(&admin.token),
            Some(body),
        )
    };
    let err = assert_error(
        put(json!({"results": [{"user_id": outsider.id, "score": 9}]})).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(err["error"]["fields"]["results"].is_string());
    assert_error(put(json!({"results": []})).await, 422, "validation_failed").await;
    assert_error(
        put(json!({"results": [{"user_id": a.id, "score": -1}]})).await,
        422,
        "validation_failed",
    )
    .await;
    let res =
        put(json!({"results": [{"user_id": a.id, "score": 70}, {"user_id": b.id, "score": 90}]}))
            .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(json_of(res).await["updated"], 2);
    end_now(&app, id).await;
    // Scores can still be corrected after the end, before finalization.
    assert_eq!(
        put(json!({"results": [{"user_id": a.id, "score": 95}]}))
            .await
            .status(),
        StatusCode::OK
    );

    // The scheduler never finalizes judged competitions; the admin does.
    assert_eq!(finalize(&app, &admin, id).await.status(), StatusCode::OK);
    assert_eq!(
        (
            balance(&app, &a).await,
            balance(&app, &b).await,
            balance(&app, &c).await
        ),
        (61, 1, 0)
    );
    let participants = json_of(
        app.get(
            &format!("/api/v1/admin/competitions/{id}/participants"),
            Some(&admin.token),
        )
        .await,
    )
    .await;
    let ranks: Vec<(i64, Value)> = participants["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["user_id"].as_i64().unwrap(), p["rank"].clone()))
        .collect();
    assert_eq!(
        ranks,
        vec![(a.id, json!(1)), (b.id, json!(2)), (c.id, Value::Null)]
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'competition.results'")
            .await,
        2
    );
    assert_ledger_clean(&app, &admin).await;
}

#[tokio::test]
async fn the_scheduler_runs_a_quiz_to_finalized_by_itself() {
    let app = spawn_app_with(|s| s.scheduler_interval_ms = 200).await;
    let admin = app.admin("autopilot").await;
    let player = app.register("punctual").await;
    let mut body = quiz("اختبار آلي");
    body["starts_at"] = json!(in_secs(4));
    body["ends_at"] = json!(in_secs(8));
    body["prizes"] = json!([{"rank": 1, "points": 25}]);
    let id = published_quiz(&app, &admin, body).await;
    assert_eq!(join(&app, &player, id).await.status(), StatusCode::CREATED);

    // Watch the database only: no API read may trigger the lazy transitions.
    let wait_for = |status: &'static str| {
        let app = &app;
        async move {
            for _ in 0..150 {
                if stored_status(app, id).await == status {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            panic!("competition {id} never became {status}");
        }
    };
    wait_for("running").await;
    let set = json_of(
        app.get(
            &format!("/api/v1/competitions/{id}/questions"),
            Some(&player.token),
        )
        .await,
    )
    .await;
    let qid = set["questions"][0]["id"].as_i64().unwrap();
    let res = submit(
        &app,
        &player,
        id,
        json!([{"question_id": qid, "choice_index": 0}]),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    wait_for("finalized").await;
    assert_eq!(balance(&app, &player).await, 25);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'competition.finalize' AND actor_user_id IS NULL").await,
        1
    );
    assert_ledger_clean(&app, &admin).await;
}
