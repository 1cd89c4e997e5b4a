//! Chat over REST, messages: validation, edit/delete windows, the send rate limit, keyset
//! history, read markers and read ticks in direct rooms.

use std::collections::HashSet;

use chrono::{SecondsFormat, Utc};
use serde_json::{json, Value};

use crate::chat::{direct, find_room, join, page, public_room, rooms_of, send, send_ok};
use crate::helpers::{assert_error, spawn_app, TestApp};

fn ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .collect()
}

/// Inserts `n` copies of message `template` (same room, sender and time) straight into the
/// database: history tests need more messages than the send rate limit allows quickly.
async fn seed_copies(app: &TestApp, template: i64, n: usize) {
    for i in 0..n {
        app.sql(&format!(
            "INSERT INTO messages (room_id, sender_id, body, created_at) \
             SELECT room_id, sender_id, 'seed {i}', created_at FROM messages WHERE id = {template}"
        ))
        .await;
    }
}
#[tokio::test]
async fn message_bodies_are_validated_and_stored_as_plain_text() {
    let app = spawn_app().await;
    let admin = app.admin("chatadmin").await;
    let ali = app.register("ali").await;
    let room = public_room(&app, &admin, "نصوص").await;
    join(&app, &ali, room).await;

    for (body, why) in [
        (json!({"body": ""}), "empty"),
        (json!({"body": "  \n\t "}), "blank"),
        (json!({"body": "ب".repeat(2001)}), "too long"),
        (json!({"body": "a\u{0}b"}), "control character"),
        (json!({"body": 5}), "not a string"),
        (json!({}), "missing"),
    ] {
        let res = app
            .post(
                &format!("/api/v1/chat/rooms/{room}/messages"),
                Some(&ali.token),
                body,
            )
            .await;
        let err = assert_error(res, 422, "validation_failed").await;
        assert!(err["error"]["fields"]["body"].is_string(), "{why}: {err}");
    }
    let long = "ب".repeat(2000);
    assert_eq!(
        send_ok(&app, &ali, room, &format!("  {long}  ")).await["body"],
        long
    );
    let html = "<b>عريض</b> <script>alert(1)</script> & \"quotes\"";
    let sent = send_ok(&app, &ali, room, html).await;
    assert_eq!(sent["body"], html, "stored and returned as given");
    assert_eq!(sent["sender"]["username"], "ali");
    assert_eq!(sent["deleted"], false);
    let latest = page(&app, &ali, room, "limit=1").await;
    assert_eq!(latest["items"][0]["body"], html);
}

#[tokio::test]
async fn history_pages_by_id_newest_first_and_catches_up_with_after() {
    let app = spawn_app().await;
    let admin = app.admin("chatadmin").await;
    let ali = app.register("ali").await;
    let room = public_room(&app, &admin, "تاريخ").await;
    join(&app, &ali, room).await;
    let first = send_ok(&app, &ali, room, "أول").await["id"]
        .as_i64()
        .unwrap();
    seed_copies(&app, first, 24).await;

    let mut seen = Vec::new();
    let mut query = "limit=10".to_owned();
    loop {
        let p = page(&app, &ali, room, &query).await;
        seen.extend(ids(&p));
        match p["next_cursor"].as_str() {
            Some(c) => query = format!("limit=10&before={c}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 25);
    assert!(
        seen.windows(2).all(|w| w[0] > w[1]),
        "newest first: {seen:?}"
    );
    assert_eq!(*seen.last().unwrap(), first);

    // Catching up: oldest first after a known id.
    let after = page(&app, &ali, room, &format!("after={}&limit=5", seen[10])).await;
    let newer = ids(&after);
    assert_eq!(newer.len(), 5);
    assert!(newer.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(newer[0], seen[9]);
    assert_eq!(after["next_cursor"], newer[4].to_string());

    assert_error(
        app.get(
            &format!("/api/v1/chat/rooms/{room}/messages?before=abc"),
            Some(&ali.token),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    for (query, field) in [
        ("before=5&after=1", "after"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("before=0", "before"),
    ] {
        let res = app
            .get(
                &format!("/api/v1/chat/rooms/{room}/messages?{query}"),
                Some(&ali.token),
            )
            .await;
        let err = assert_error(res, 422, "validation_failed").await;
        assert!(err["error"]["fields"][field].is_string(), "{query}: {err}");
    }
}

#[tokio::test]
async fn paging_with_before_has_no_duplicates_or_gaps_while_others_post() {
    let app = spawn_app().await;
    let admin = app.admin("chatadmin").await;
    let reader = app.register("reader").await;
    let seeder = app.register("seeder").await;
    let room = public_room(&app, &admin, "مزدحمة").await;
    join(&app, &reader, room).await;
    join(&app, &seeder, room).await;
    let first = send_ok(&app, &seeder, room, "بداية").await["id"]
        .as_i64()
        .unwrap();
    seed_copies(&app, first, 119).await;
    let mut posters = Vec::new();
    for i in 0..4 {
        let u = app.register(&format!("poster{i}")).await;
        join(&app, &u, room).await;
        posters.push(u);
    }

    // Posters write (within the rate limit) while the reader pages backwards.
    let writing = futures::future::join_all(posters.iter().map(|u| {
        let app = &app;
        async move {
            for n in 0..8 {
                send_ok(app, u, room, &format!("{} {n}", u.username)).await;
                tokio::time::sleep(std::time::Duration::from_millis(15)).await;
            }
        }
    }));
    let reading = async {
        let mut seen = Vec::new();
        let mut query = "limit=7".to_owned();
        loop {
            let p = page(&app, &reader, room, &query).await;
            seen.extend(ids(&p));
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            match p["next_cursor"].as_str() {
                Some(c) => query = format!("limit=7&before={c}"),
                None => break,
            }
        }
        seen
    };
    let (_, seen) = futures::join!(writing, reading);

    let unique: HashSet<i64> = seen.iter().copied().collect();
    assert_eq!(unique.len(), seen.len(), "no duplicates");
    assert!(seen.windows(2).all(|w| w[0] > w[1]), "strictly older");
    let top = seen[0];
    // Every message at or below the first page's newest id was seen: no gaps.
    let expected = app
        .count(&format!(
            "SELECT COUNT(*) FROM messages WHERE room_id = {room} AND id <= {top}"
        ))
        .await;
    assert_eq!(seen.len() as i64, expected);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM messages WHERE room_id = {room}"
        ))
        .await,
        120 + 32
    );
}

#[tokio::test]
async fn senders_edit_and_delete_within_15_minutes_and_moderators_delete_any_time() {
    let app = spawn_app().await;
    let admin = app.admin("chatadmin").await;
    let owner = app.register("owner1").await;
    let sara = app.register("sara").await;
    let res = app
        .post(
            "/api/v1/chat/rooms",
            Some(&owner.token),
            json!({"name": "مجموعة"}),
        )
        .await;
    let group = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    app.post(
        &format!("/api/v1/chat/rooms/{group}/invite"),
        Some(&owner.token),
        json!({"username": "sara"}),
    )
    .await;

    let msg = send_ok(&app, &sara, group, "نص أول").await;
    let id = msg["id"].as_i64().unwrap();
    let res = app
        .patch(
            &format!("/api/v1/chat/messages/{id}"),
            Some(&sara.token),
            json!({"body": " نص معدّل "}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let edited: Value = res.json().await.unwrap();
    assert_eq!(edited["body"], "نص معدّل");
    assert!(edited["edited_at"].is_string());
    // Only the sender edits.
    assert_error(
        app.patch(
            &format!("/api/v1/chat/messages/{id}"),
            Some(&owner.token),
            json!({"body": "x"}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_error(
        app.patch(
            &format!("/api/v1/chat/messages/{id}"),
            Some(&sara.token),
            json!({"body": ""}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;

    // Past the window: the sender can neither edit nor delete.
    let old =
        (Utc::now() - chrono::Duration::minutes(16)).to_rfc3339_opts(SecondsFormat::Micros, false);
    app.sql(&format!(
        "UPDATE messages SET created_at = '{old}' WHERE id = {id}"
    ))
    .await;
    let err = assert_error(
        app.patch(
            &format!("/api/v1/chat/messages/{id}"),
            Some(&sara.token),
            json!({"body": "متأخر"}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert!(err["error"]["message"].as_str().unwrap().contains("15"));
    assert_error(
        app.delete(&format!("/api/v1/chat/messages/{id}"), Some(&sara.token))
            .await,
        403,
        "forbidden",
    )
    .await;

    // A fresh message: its sender deletes it.
    let fresh = send_ok(&app, &sara, group, "سأحذفها").await["id"]
        .as_i64()
        .unwrap();
    let res = app
        .delete(&format!("/api/v1/chat/messages/{fresh}"), Some(&sara.token))
        .await;
    assert_eq!(res.status(), 200);
    let gone: Value = res.json().await.unwrap();
    assert_eq!(gone["deleted"], true);
    assert_eq!(gone["body"], "");
    assert_error(
        app.patch(
            &format!("/api/v1/chat/messages/{fresh}"),
            Some(&sara.token),
            json!({"body": "عودة"}),
        )
        .await,
        409,
        "conflict",
    )
    .await;

    // The group's owner deletes someone else's old message; a plain member cannot.
    let owners = send_ok(&app, &owner, group, "رسالة المالك").await["id"]
        .as_i64()
        .unwrap();
    assert_error(
        app.delete(
            &format!("/api/v1/chat/messages/{owners}"),
            Some(&sara.token),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let res = app
        .delete(&format!("/api/v1/chat/messages/{id}"), Some(&owner.token))
        .await;
    assert_eq!(res.status(), 200);
    // An admin deletes any message, even in a room they are not in.
    let res = app
        .delete(
            &format!("/api/v1/chat/messages/{owners}"),
            Some(&admin.token),
        )
        .await;
    assert_eq!(res.status(), 200);

    let history = page(&app, &sara, group, "").await;
    let items = history["items"].as_array().unwrap();
    assert_eq!(items.len(), 3, "deleted messages keep their place");
    for m in items {
        assert_eq!(m["deleted"], true, "{m}");
        assert_eq!(m["body"], "");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'chat.message_delete'")
            .await,
        2,
        "moderator deletions are audited"
    );
    assert_error(
        app.delete("/api/v1/chat/messages/999999", Some(&sara.token))
            .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn sending_faster_than_ten_messages_in_ten_seconds_is_429_with_retry_after() {
    let app = spawn_app().await;
    let admin = app.admin("chatadmin").await;
    let ali = app.register("ali").await;
    let a = public_room(&app, &admin, "أ").await;
    let b = public_room(&app, &admin, "ب").await;
    join(&app, &ali, a).await;
    join(&app, &ali, b).await;
    for i in 0..10 {
        // The limit is per person, across rooms.
        send_ok(&app, &ali, if i % 2 == 0 { a } else { b }, &format!("{i}")).await;
    }
    let res = send(&app, &ali, a, "واحدة أخرى").await;
    let retry: u64 = res
        .headers()
        .get("retry-after")
        .expect("Retry-After")
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=10).contains(&retry), "retry after {retry}");
    assert_error(res, 429, "rate_limited").await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM messages WHERE sender_id = {}",
            ali.id
        ))
        .await,
        10
    );
    // Someone else is not affected.
    let sara = app.register("sara").await;
    join(&app, &sara, a).await;
    send_ok(&app, &sara, a, "أنا بخير").await;
}

#[tokio::test]
async fn unread_counts_follow_read_markers_that_never_move_back() {
    let app = spawn_app().await;
    let admin = app.admin("chatadmin").await;
    let ali = app.register("ali").await;
    let sara = app.register("sara").await;
    let room = public_room(&app, &admin, "عدّاد").await;
    join(&app, &ali, room).await;
    let before = send_ok(&app, &ali, room, "قبل انضمام سارة").await;
    join(&app, &sara, room).await;
    // History before joining is readable but not unread.
    assert_eq!(
        find_room(&rooms_of(&app, &sara).await, room).unwrap()["unread_count"],
        0
    );
    assert_eq!(
        page(&app, &sara, room, "").await["items"][0]["id"],
        before["id"]
    );

    let m: Vec<i64> = {
        let mut out = Vec::new();
        for text in ["واحد", "اثنان", "ثلاثة", "أربعة"] {
            out.push(
                send_ok(&app, &ali, room, text).await["id"]
                    .as_i64()
                    .unwrap(),
            );
        }
        out
    };
    let view = find_room(&rooms_of(&app, &sara).await, room).unwrap();
    assert_eq!(view["unread_count"], 4);
    assert_eq!(view["last_message"]["body"], "أربعة");
    assert_eq!(view["last_message"]["sender"]["username"], "ali");
    // One's own messages are never unread.
    assert_eq!(
        find_room(&rooms_of(&app, &ali).await, room).unwrap()["unread_count"],
        0
    );

    let read = |message_id: i64| {
        let app = &app;
        let sara = &sara;
        async move {
            let res = app
                .post(
                    &format!("/api/v1/chat/rooms/{room}/read"),
                    Some(&sara.token),
                    json!({ "message_id": message_id }),
                )
                .await;
            assert_eq!(res.status(), 200);
            res.json::<Value>().await.unwrap()
        }
    };
    let state = read(m[1]).await;
    assert_eq!(state["last_read_message_id"], m[1]);
    assert_eq!(state["unread_count"], 2);
    // Backwards does nothing.
    let state = read(m[0]).await;
    assert_eq!(state["last_read_message_id"], m[1]);
    assert_eq!(state["unread_count"], 2);
    // A deleted message no longer counts.
    app.delete(&format!("/api/v1/chat/messages/{}", m[3]), Some(&ali.token))
        .await;
    assert_eq!(
        find_room(&rooms_of(&app, &sara).await, room).unwrap()["unread_count"],
        1
    );
    // Beyond the newest message: clamped to it.
    let state = read(i64::from(i32::MAX)).await;
    assert_eq!(state["last_read_message_id"], m[3]);
    assert_eq!(state["unread_count"], 0);
    assert_error(
        app.post(
            &format!("/api/v1/chat/rooms/{room}/read"),
            Some(&sara.token),
            json!({"message_id": 0}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    // Mute is per member and shows in the list.
    let res = app
        .post(
            &format!("/api/v1/chat/rooms/{room}/mute"),
            Some(&sara.token),
            json!({"muted": true}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        find_room(&rooms_of(&app, &sara).await, room).unwrap()["muted"],
        true
    );
    assert_eq!(
        find_room(&rooms_of(&app, &ali).await, room).unwrap()["muted"],
        false
    );
}

#[tokio::test]
async fn a_direct_room_shows_the_sender_how_far_the_other_person_has_read() {
    let app = spawn_app().await;
    let ali = app.register("ali").await;
    let sara = app.register("sara").await;
    let res = direct(&app, &ali, "sara").await;
    assert_eq!(res.status(), 201);
    let room = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    // Nothing read yet: the marker is 0 (✓ only), for both sides.
    let view = find_room(&rooms_of(&app, &ali).await, room).unwrap();
    assert_eq!(view["peer_last_read_message_id"], 0);

    let first = send_ok(&app, &ali, room, "مرحبا").await["id"]
        .as_i64()
        .unwrap();
    let second = send_ok(&app, &ali, room, "هل قرأتِ؟").await["id"]
        .as_i64()
        .unwrap();
    let res = app
        .post(
            &format!("/api/v1/chat/rooms/{room}/read"),
            Some(&sara.token),
            json!({ "message_id": first }),
        )
        .await;
    assert_eq!(res.status(), 200);

    // Ali (the sender) sees Sara's marker, in the list and in the room's own answer.
    let view = find_room(&rooms_of(&app, &ali).await, room).unwrap();
    assert_eq!(view["peer_last_read_message_id"], first);
    let one: Value = app
        .get(&format!("/api/v1/chat/rooms/{room}"), Some(&ali.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(one["peer_last_read_message_id"], first);
    assert!(first < second, "the second message is not read yet");
    // Sara sees Ali's marker (sending moves the sender's own marker to his message), and her
    // own stays her own.
    let hers = find_room(&rooms_of(&app, &sara).await, room).unwrap();
    assert_eq!(hers["last_read_message_id"], first);
    assert_eq!(hers["peer_last_read_message_id"], second);
    // The state left behind: exactly Sara's membership row moved.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM chat_room_members WHERE room_id = {room} \
             AND last_read_message_id = {first}"
        ))
        .await,
        1
    );
}

#[tokio::test]
async fn group_rooms_do_not_expose_read_markers() {
    let app = spawn_app().await;
    let admin = app.admin("chatadmin").await;
    let ali = app.register("ali").await;
    let sara = app.register("sara").await;
    let room = public_room(&app, &admin, "مجموعة").await;
    join(&app, &ali, room).await;
    join(&app, &sara, room).await;
    let id = send_ok(&app, &ali, room, "للجميع").await["id"].clone();
    let res = app
        .post(
            &format!("/api/v1/chat/rooms/{room}/read"),
            Some(&sara.token),
            json!({ "message_id": id }),
        )
        .await;
    assert_eq!(res.status(), 200);
    let view = find_room(&rooms_of(&app, &ali).await, room).unwrap();
    assert!(view["peer_last_read_message_id"].is_null(), "{view}");
}
