//! The quiz: no answer leaks, automatic scoring accepted once, the personal timer.

use super::*;

#[tokio::test]
async fn questions_never_leak_answers_and_only_participants_see_them_while_running() {
    let app = spawn().await;
    let admin = app.admin("quizmaster").await;
    let player = app.register("player1").await;
    let outsider = app.register("outsider").await;
    let id = create(&app, &admin, quiz("لا تسريب")).await;
    let q1 = add_question(&app, &admin, id, 2, 1).await;
    let res = app
        .post(
            &format!("/api/v1/admin/competitions/{id}/questions"),
            Some(&admin.token),
            json!({"text": "كم عدد أيام الأسبوع؟", "choices": ["سبعة", "ستة", "خمسة", "ثمانية"], "correct_index": 0, "points": 3}),
        )
        .await;
    let q2 = json_of(res).await["id"].as_i64().unwrap();
    publish(&app, &admin, id).await;
    assert_eq!(join(&app, &player, id).await.status(), StatusCode::CREATED);
    let questions_path = format!("/api/v1/competitions/{id}/questions");

    assert_error(
        app.get(&questions_path, Some(&player.token)).await,
        409,
        "competition_not_running",
    )
    .await;
    start_now(&app, id).await;
    assert_error(
        app.get(&questions_path, Some(&outsider.token)).await,
        403,
        "not_participant",
    )
    .await;
    assert_error(app.get(&questions_path, None).await, 401, "unauthorized").await;

    let res = app.get(&questions_path, Some(&player.token)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.unwrap();
    assert!(
        !text.contains("correct_index") && !text.contains("is_correct"),
        "{text}"
    );
    let set: Value = serde_json::from_str(&text).unwrap();
    let ids: Vec<i64> = set["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![q1, q2]);
    assert_eq!(
        set["questions"][1]["choices"],
        json!(["سبعة", "ستة", "خمسة", "ثمانية"])
    );
    assert_eq!(set["submitted"], false);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM participations WHERE user_id = {} AND started_at IS NOT NULL",
            player.id
        ))
        .await,
        1
    );
    // The timer starts once: a second fetch keeps the first start.
    let again = json_of(app.get(&questions_path, Some(&player.token)).await).await;
    assert_eq!(again["started_at"], set["started_at"]);
    // Nowhere else public either.
    for path in [
        format!("/api/v1/competitions/{id}"),
        format!("/api/v1/competitions/{id}/leaderboard"),
        "/api/v1/competitions".into(),
    ] {
        let text = app
            .get(&path, Some(&player.token))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            !text.contains("correct_index") && !text.contains("is_correct"),
            "{path}: {text}"
        );
    }
    // Admins see the answers.
    let admin_view = json_of(
        app.get(
            &format!("/api/v1/admin/competitions/{id}/questions"),
            Some(&admin.token),
        )
        .await,
    )
    .await;
    assert_eq!(admin_view["items"][0]["correct_index"], 2);
}

#[tokio::test]
async fn a_submission_is_scored_automatically_and_accepted_once() {
    let app = spawn().await;
    let admin = app.admin("scorer").await;
    let player = app.register("answerer").await;
    let outsider = app.register("bystander").await;
    let id = create(&app, &admin, quiz("اختبار التصحيح")).await;
    let q1 = add_question(&app, &admin, id, 0, 1).await;
    let q2 = add_question(&app, &admin, id, 1, 2).await;
    let q3 = add_question(&app, &admin, id, 2, 3).await;
    publish(&app, &admin, id).await;
    assert_eq!(join(&app, &player, id).await.status(), StatusCode::CREATED);
    start_now(&app, id).await;

    let bad: Vec<(Value, &str)> = vec![
        (
            json!([{"question_id": 999_999, "choice_index": 0}]),
            "answers",
        ),
        (json!([{"question_id": q1, "choice_index": 3}]), "answers"),
        (
            json!([{"question_id": q1, "choice_index": 0}, {"question_id": q1, "choice_index": 1}]),
            "answers",
        ),
        (json!([{"question_id": q1}]), "answers[0].choice_index"),
    ];
    for (answers, field) in bad {
        let err = assert_error(
            submit(&app, &player, id, answers).await,
            422,
            "validation_failed",
        )
        .await;
        assert!(err["error"]["fields"][field].is_string(), "{field}: {err}");
    }
    assert_error(
        submit(&app, &outsider, id, json!([])).await,
        403,
        "not_participant",
    )
    .await;

    let answers = json!([
        {"question_id": q1, "choice_index": 0},
        {"question_id": q2, "choice_index": 0},
        {"question_id": q3, "choice_index": 2}
    ]);
    let res = submit(&app, &player, id, answers.clone()).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let result = json_of(res).await;
    assert_eq!(result["score"], 4);
    assert_eq!(result["max_score"], 6);
    assert_eq!(result["correct_count"], 2);
    assert_eq!(result["question_count"], 3);
    assert_error(
        submit(&app, &player, id, answers).await,
        409,
        "already_submitted",
    )
    .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM competition_answers").await,
        3
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM participations WHERE status = 'submitted' AND score = 4")
            .await,
        1
    );

    let board = json_of(
        app.get(
            &format!("/api/v1/competitions/{id}/leaderboard"),
            Some(&player.token),
        )
        .await,
    )
    .await;
    assert_eq!(board["entries"][0]["user_id"], player.id);
    assert_eq!(board["entries"][0]["score"], 4);
    assert_eq!(board["me"]["rank"], 1);
    let set = json_of(
        app.get(
            &format!("/api/v1/competitions/{id}/questions"),
            Some(&player.token),
        )
        .await,
    )
    .await;
    assert_eq!(set["submitted"], true);
}

#[tokio::test]
async fn the_personal_quiz_timer_closes_submissions() {
    let app = spawn().await;
    let admin = app.admin("timekeeper").await;
    let player = app.register("slowpoke").await;
    let mut body = quiz("اختبار سريع");
    body["quiz_duration_seconds"] = json!(30);
    let id = published_quiz(&app, &admin, body).await;
    assert_eq!(join(&app, &player, id).await.status(), StatusCode::CREATED);
    start_now(&app, id).await;
    let set = json_of(
        app.get(
            &format!("/api/v1/competitions/{id}/questions"),
            Some(&player.token),
        )
        .await,
    )
    .await;
    let started: DateTime<Utc> = set["started_at"].as_str().unwrap().parse().unwrap();
    let deadline: DateTime<Utc> = set["deadline"].as_str().unwrap().parse().unwrap();
    assert_eq!((deadline - started).num_seconds(), 30);
    // Opened the questions two minutes ago.
    app.sql(&format!(
        "UPDATE participations SET started_at = '{}' WHERE user_id = {}",
        ts(Utc::now() - chrono::Duration::minutes(2)),
        player.id
    ))
    .await;
    let qid = set["questions"][0]["id"].as_i64().unwrap();
    let res = submit(
        &app,
        &player,
        id,
        json!([{"question_id": qid, "choice_index": 0}]),
    )
    .await;
    assert_error(res, 409, "competition_not_running").await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM participations WHERE status = 'registered'")
            .await,
        1
    );
}
