//! Chat over REST: rooms, membership and visibility, direct rooms, blocks, messages (validation,
//! edit/delete windows, rate limit), keyset history and read markers. Live delivery is in
//! chat_ws.rs.

use std::collections::HashSet;

use chrono::{SecondsFormat, Utc};
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{assert_error, spawn_app, TestApp, TestUser};

async fn public_room(app: &TestApp, admin: &TestUser, name: &str) -> i64 {
    let res = app
        .post(
            "/api/v1/admin/chat/rooms",
            Some(&admin.token),
            json!({"name": name, "description": "غرفة للجميع"}),
        )
        .await;
    assert_eq!(res.status(), 201, "admin creates a public room");
    let room: Value = res.json().await.unwrap();
    assert_eq!(room["visibility"], "public");
    assert_eq!(room["kind"], "group");
    room["id"].as_i64().unwrap()
}

async fn join(app: &TestApp, user: &TestUser, room: i64) -> Value {
    let res = app
        .post(
            &format!("/api/v1/chat/rooms/{room}/join"),
            Some(&user.token),
            json!({}),
        )
        .await;
    assert_eq!(res.status(), 200, "{} joins {room}", user.username);
    res.json().await.unwrap()
}

async fn send(app: &TestApp, user: &TestUser, room: i64, body: &str) -> reqwest::Response {
    app.post(
        &format!("/api/v1/chat/rooms/{room}/messages"),
        Some(&user.token),
        json!({ "body": body }),
    )
    .await
}

async fn send_ok(app: &TestApp, user: &TestUser, room: i64, body: &str) -> Value {
    let res = send(app, user, room, body).await;
    assert_eq!(res.status(), 201, "{} sends to {room}", user.username);
    res.json().await.unwrap()
}

async fn rooms_of(app: &TestApp, user: &TestUser) -> Vec<Value> {
    let res = app.get("/api/v1/chat/rooms", Some(&user.token)).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    body["items"].as_array().unwrap().clone()
}

fn find_room(rooms: &[Value], id: i64) -> Option<Value> {
    rooms.iter().find(|r| r["id"] == id).cloned()
}

async fn direct(app: &TestApp, user: &TestUser, with: &str) -> reqwest::Response {
    app.post(
        "/api/v1/chat/direct",
        Some(&user.token),
        json!({ "username": with }),
    )
    .await
}

async fn page(app: &TestApp, user: &TestUser, room: i64, query: &str) -> Value {
    let res = app
        .get(
            &format!("/api/v1/chat/rooms/{room}/messages?{query}"),
            Some(&user.token),
        )
        .await;
    assert_eq!(res.status(), 200, "page {query}");
    res.json().await.unwrap()
}

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
async fn people_list_public_rooms_join_and_leave_them() {
    let app = spawn_app().await;
    let admin = app.admin("chatadmin").await;
    let ali = app.register("ali").await;
    let room = public_room(&app, &admin, "الساحة العامة").await;

    assert_error(
        app.post(
            "/api/v1/admin/chat/rooms",
            Some(&ali.token),
            json!({"name": "x"}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let listed = find_room(&rooms_of(&app, &ali).await, room).expect("public room is listed");
    assert_eq!(listed["is_member"], false);
    assert_eq!(listed["member_count"], 0);
    assert_eq!(listed["unread_count"], 0);
    assert!(listed["role"].is_null());

    let joined = join(&app, &ali, room).await;
    assert_eq!(joined["is_member"], true);
    assert_eq!(joined["role"], "member");
    assert_eq!(joined["member_count"], 1);
    // Joining twice changes nothing.
    assert_eq!(join(&app, &ali, room).await["member_count"], 1);

    let res = app
        .post(
            &format!("/api/v1/chat/rooms/{room}/leave"),
            Some(&ali.token),
            json!({}),
        )
        .await;
    assert_eq!(res.status(), 204);
    assert_error(
        app.post(
            &format!("/api/v1/chat/rooms/{room}/leave"),
            Some(&ali.token),
            json!({}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM chat_room_members WHERE room_id = {room}"
        ))
        .await,
        0
    );
    assert_error(
        app.get("/api/v1/chat/rooms", None).await,
        401,
        "unauthorized",
    )
    .await;
}

#[tokio::test]
async fn non_members_can_neither_read_nor_post_and_private_rooms_stay_hidden() {
    let app = spawn_app().await;
    let admin = app.admin("chatadmin").await;
    let owner = app.register("owner1").await;
    let outsider = app.register("outsider").await;
    let public = public_room(&app, &admin, "عامة").await;
    join(&app, &owner, public).await;
    send_ok(&app, &owner, public, "مرحبا").await;

    // A public room: visible, but only members read and write.
    assert_error(
        app.get(
            &format!("/api/v1/chat/rooms/{public}/messages"),
            Some(&outsider.token),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_error(send(&app, &outsider, public, "hi").await, 403, "forbidden").await;

    // A private group: does not exist for outsiders.
    let res = app
        .post(
            "/api/v1/chat/rooms",
            Some(&owner.token),
            json!({"name": "سرية", "visibility": "private"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let private = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    send_ok(&app, &owner, private, "سر").await;
    for (method, path) in [
        (Method::GET, format!("/api/v1/chat/rooms/{private}")),
        (
            Method::GET,
            format!("/api/v1/chat/rooms/{private}/messages"),
        ),
        (Method::GET, format!("/api/v1/chat/rooms/{private}/members")),
        (Method::POST, format!("/api/v1/chat/rooms/{private}/join")),
        (
            Method::POST,
            format!("/api/v1/chat/rooms/{private}/messages"),
        ),
    ] {
        let body = (method == Method::POST).then(|| json!({"body": "x"}));
        let res = app
            .request(
                &app.client,
                method.clone(),
                &path,
                Some(&outsider.token),
                body,
            )
            .await;
        assert_error(res, 404, "not_found").await;
    }
    assert!(find_room(&rooms_of(&app, &outsider).await, private).is_none());
    assert_error(
        app.get("/api/v1/chat/rooms/999999/messages", Some(&owner.token))
            .await,
        404,
        "not_found",
    )
    .await;
    // Nothing was written by the refused attempts.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM messages WHERE sender_id = {}",
            outsider.id
        ))
        .await,
        0
    );
}

#[tokio::test]
async fn a_private_group_owner_adds_members_who_are_notified() {
    let app = spawn_app().await;
    let owner = app.register("owner1").await;
    let sara = app.register("sara").await;
    let omar = app.register("omar").await;

    for (body, field) in [
        (json!({"name": "   "}), "name"),
        (json!({"name": "ا".repeat(61)}), "name"),
        (
            json!({"name": "ok", "description": "ب".repeat(501)}),
            "description",
        ),
        (json!({}), "name"),
        (json!({"name": "x", "visibility": "secret"}), "visibility"),
    ] {
        let res = app
            .post("/api/v1/chat/rooms", Some(&owner.token), body.clone())
            .await;
        let err = assert_error(res, 422, "validation_failed").await;
        assert!(
            err["error"]["fields"][field].is_string(),
            "{body} names {field}: {err}"
        );
    }
    assert_error(
        app.post(
            "/api/v1/chat/rooms",
            Some(&owner.token),
            json!({"name": "عامة", "visibility": "public"}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;

    let res = app
        .post(
            "/api/v1/chat/rooms",
            Some(&owner.token),
            json!({"name": "أصدقاء", "description": "مجموعتنا"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let room: Value = res.json().await.unwrap();
    assert_eq!(room["visibility"], "private");
    assert_eq!(room["role"], "owner");
    let id = room["id"].as_i64().unwrap();

    let res = app
        .post(
            &format!("/api/v1/chat/rooms/{id}/invite"),
            Some(&owner.token),
            json!({"username": "Sara"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let member: Value = res.json().await.unwrap();
    assert_eq!(member["user"]["username"], "sara");
    assert_eq!(member["role"], "member");

    let seen = find_room(&rooms_of(&app, &sara).await, id).expect("sara sees the group");
    assert_eq!(seen["role"], "member");
    assert_eq!(seen["member_count"], 2);
    let notes: Value = app
        .get("/api/v1/notifications", Some(&sara.token))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        notes["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "chat_invite" && n["payload"]["room_id"] == id),
        "{notes}"
    );

    // Only the owner adds people; nobody is added twice; unknown people are 404.
    assert_error(
        app.post(
            &format!("/api/v1/chat/rooms/{id}/invite"),
            Some(&sara.token),
            json!({"username": "omar"}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_error(
        app.post(
            &format!("/api/v1/chat/rooms/{id}/invite"),
            Some(&owner.token),
            json!({"username": "sara"}),
        )
        .await,
        409,
        "conflict",
    )
    .await;
    assert_error(
        app.post(
            &format!("/api/v1/chat/rooms/{id}/invite"),
            Some(&owner.token),
            json!({"username": "nobody_here"}),
        )
        .await,
        404,
        "not_found",
    )
    .await;

    // Someone who blocked the owner cannot be added.
    let res = app
        .post(
            "/api/v1/chat/blocks",
            Some(&omar.token),
            json!({"username": "owner1"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    assert_error(
        app.post(
            &format!("/api/v1/chat/rooms/{id}/invite"),
            Some(&owner.token),
            json!({"username": "omar"}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;

    let members: Value = app
        .get(
            &format!("/api/v1/chat/rooms/{id}/members"),
            Some(&sara.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(members["items"].as_array().unwrap().len(), 2);

    // The owner leaves: the group passes to the longest-standing member.
    let res = app
        .post(
            &format!("/api/v1/chat/rooms/{id}/leave"),
            Some(&owner.token),
            json!({}),
        )
        .await;
    assert_eq!(res.status(), 204);
    let seen = find_room(&rooms_of(&app, &sara).await, id).unwrap();
    assert_eq!(seen["role"], "owner");
    // The last member leaving removes the group.
    app.post(
        &format!("/api/v1/chat/rooms/{id}/leave"),
        Some(&sara.token),
        json!({}),
    )
    .await;
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM chat_rooms WHERE id = {id}"))
            .await,
        0
    );
}

#[tokio::test]
async fn exactly_one_direct_room_per_pair_even_when_opened_concurrently() {
    let app = spawn_app().await;
    let ali = app.register("ali").await;
    let sara = app.register("sara").await;

    let attempts = (0..12).map(|i| {
        let (app, ali, sara) = (&app, &ali, &sara);
        async move {
            let res = if i % 2 == 0 {
                direct(app, ali, "sara").await
            } else {
                direct(app, sara, "ALI").await
            };
            let status = res.status().as_u16();
            let body: Value = res.json().await.unwrap();
            (status, body)
        }
    });
    let results = futures::future::join_all(attempts).await;
    let room_ids: HashSet<i64> = results
        .iter()
        .map(|(s, b)| {
            assert!(*s == 200 || *s == 201, "{s}: {b}");
            b["id"].as_i64().unwrap()
        })
        .collect();
    assert_eq!(room_ids.len(), 1, "one room: {results:?}");
    assert_eq!(
        results.iter().filter(|(s, _)| *s == 201).count(),
        1,
        "created exactly once"
    );
    let room = *room_ids.iter().next().unwrap();
    assert_eq!(
        app.count("SELECT COUNT(*) FROM chat_rooms WHERE kind = 'direct'")
            .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM chat_room_members WHERE room_id = {room}"
        ))
        .await,
        2
    );
    // Each side sees the other as the peer.
    let from_ali = results
        .iter()
        .find(|(_, b)| b["peer"]["username"] == "sara")
        .expect("ali's view");
    assert_eq!(from_ali.1["kind"], "direct");
    assert!(from_ali.1["name"].is_null());

    let err = assert_error(direct(&app, &ali, "ali").await, 422, "validation_failed").await;
    assert!(err["error"]["fields"]["username"].is_string());
    assert_error(direct(&app, &ali, "ghost_user").await, 404, "not_found").await;
    // Direct rooms cannot be left.
    assert_error(
        app.post(
            &format!("/api/v1/chat/rooms/{room}/leave"),
            Some(&ali.token),
            json!({}),
        )
        .await,
        409,
        "conflict",
    )
    .await;
}

#[tokio::test]
async fn blocked_people_cannot_send_direct_messages_or_open_direct_rooms() {
    let app = spawn_app().await;
    let ali = app.register("ali").await;
    let sara = app.register("sara").await;
    let room = direct(&app, &ali, "sara")
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    send_ok(&app, &sara, room, "أهلًا").await;

    // Ali blocks Sara.
    let res = app
        .post(
            "/api/v1/chat/blocks",
            Some(&ali.token),
            json!({"username": "sara"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let blocked: Value = res.json().await.unwrap();
    assert_eq!(blocked["user"]["username"], "sara");
    // Blocking twice changes nothing.
    let res = app
        .post(
            "/api/v1/chat/blocks",
            Some(&ali.token),
            json!({"username": "sara"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let list: Value = app
        .get("/api/v1/chat/blocks", Some(&ali.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);

    let err = assert_error(
        send(&app, &sara, room, "هل أنت هنا؟").await,
        403,
        "forbidden",
    )
    .await;
    assert!(
        err["error"]["message"].as_str().unwrap().contains("مراسلة"),
        "clear message: {err}"
    );
    assert_error(direct(&app, &sara, "ali").await, 403, "forbidden").await;
    // The blocker cannot write either until they unblock.
    assert_error(send(&app, &ali, room, "…").await, 403, "forbidden").await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM messages WHERE room_id = {room}"
        ))
        .await,
        1,
        "nothing was stored"
    );
    let err = assert_error(
        app.post(
            "/api/v1/chat/blocks",
            Some(&ali.token),
            json!({"username": "ali"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert!(err["error"]["fields"]["username"].is_string());

    let res = app
        .delete("/api/v1/chat/blocks/sara", Some(&ali.token))
        .await;
    assert_eq!(res.status(), 204);
    send_ok(&app, &sara, room, "عدنا").await;
    assert_eq!(direct(&app, &sara, "ali").await.status(), 200);
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
async fn admins_archive_and_delete_rooms() {
    let app = spawn_app().await;
    let admin = app.admin("chatadmin").await;
    let ali = app.register("ali").await;
    let sara = app.register("sara").await;
    let room = public_room(&app, &admin, "قديمة").await;
    join(&app, &ali, room).await;
    send_ok(&app, &ali, room, "قبل الأرشفة").await;

    let res = app
        .patch(
            &format!("/api/v1/admin/chat/rooms/{room}"),
            Some(&admin.token),
            json!({"archived": true, "name": "أرشيف"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let archived: Value = res.json().await.unwrap();
    assert_eq!(archived["archived"], true);
    assert_eq!(archived["name"], "أرشيف");
    assert_error(send(&app, &ali, room, "بعد").await, 409, "conflict").await;
    assert_error(
        app.post(
            &format!("/api/v1/chat/rooms/{room}/join"),
            Some(&sara.token),
            json!({}),
        )
        .await,
        409,
        "conflict",
    )
    .await;
    // Members still see it (read-only); others no longer do.
    assert!(find_room(&rooms_of(&app, &ali).await, room).unwrap()["archived"] == true);
    assert!(find_room(&rooms_of(&app, &sara).await, room).is_none());
    assert_eq!(
        page(&app, &ali, room, "").await["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let listed: Value = app
        .get("/api/v1/admin/chat/rooms", Some(&admin.token))
        .await
        .json()
        .await
        .unwrap();
    assert!(listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["id"] == room));
    assert_error(
        app.get("/api/v1/admin/chat/rooms", Some(&ali.token)).await,
        403,
        "forbidden",
    )
    .await;
    assert_error(
        app.patch(
            &format!("/api/v1/admin/chat/rooms/{room}"),
            Some(&admin.token),
            json!({}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;

    let res = app
        .delete(
            &format!("/api/v1/admin/chat/rooms/{room}"),
            Some(&admin.token),
        )
        .await;
    assert_eq!(res.status(), 204);
    assert_error(
        app.get(
            &format!("/api/v1/chat/rooms/{room}/messages"),
            Some(&ali.token),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM messages WHERE room_id = {room}"
        ))
        .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'chat.room_%'")
            .await,
        3
    );
}
