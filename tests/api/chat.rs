//! Chat over REST, rooms: membership and visibility, direct rooms, blocks, admin room
//! management and the room every installation starts with. Messages, history and read markers
//! are in chat_messages.rs; live delivery in chat_ws.rs. The helpers here serve both files.

use std::collections::HashSet;

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{assert_error, spawn_app, TestApp, TestUser};

pub(crate) async fn public_room(app: &TestApp, admin: &TestUser, name: &str) -> i64 {
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

pub(crate) async fn join(app: &TestApp, user: &TestUser, room: i64) -> Value {
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

pub(crate) async fn send(
    app: &TestApp,
    user: &TestUser,
    room: i64,
    body: &str,
) -> reqwest::Response {
    app.post(
        &format!("/api/v1/chat/rooms/{room}/messages"),
        Some(&user.token),
        json!({ "body": body }),
    )
    .await
}

pub(crate) async fn send_ok(app: &TestApp, user: &TestUser, room: i64, body: &str) -> Value {
    let res = send(app, user, room, body).await;
    assert_eq!(res.status(), 201, "{} sends to {room}", user.username);
    res.json().await.unwrap()
}

pub(crate) async fn rooms_of(app: &TestApp, user: &TestUser) -> Vec<Value> {
    let res = app.get("/api/v1/chat/rooms", Some(&user.token)).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    body["items"].as_array().unwrap().clone()
}

pub(crate) fn find_room(rooms: &[Value], id: i64) -> Option<Value> {
    rooms.iter().find(|r| r["id"] == id).cloned()
}

pub(crate) async fn direct(app: &TestApp, user: &TestUser, with: &str) -> reqwest::Response {
    app.post(
        "/api/v1/chat/direct",
        Some(&user.token),
        json!({ "username": with }),
    )
    .await
}

pub(crate) async fn page(app: &TestApp, user: &TestUser, room: i64, query: &str) -> Value {
    let res = app
        .get(
            &format!("/api/v1/chat/rooms/{room}/messages?{query}"),
            Some(&user.token),
        )
        .await;
    assert_eq!(res.status(), 200, "page {query}");
    res.json().await.unwrap()
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

#[tokio::test]
async fn a_fresh_installation_has_one_public_room_to_talk_in() {
    let app = spawn_app().await;
    let ali = app.register("ali").await;
    let sara = app.register("sara").await;
    let admin = app.admin("chatadmin").await;

    // Arrange: nothing but the migrations has run.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM chat_rooms WHERE kind = 'group' AND visibility = 'public' \
             AND archived_at IS NULL"
        )
        .await,
        1
    );
    // A newcomer sees it among the public rooms, with its description, not yet joined.
    let rooms = rooms_of(&app, &ali).await;
    assert_eq!(rooms.len(), 1, "{rooms:?}");
    let square = &rooms[0];
    assert_eq!(square["name"], "الساحة العامة");
    assert_eq!(square["kind"], "group");
    assert_eq!(square["visibility"], "public");
    assert!(!square["description"].as_str().unwrap().is_empty());
    assert_eq!(square["is_member"], false);
    assert_eq!(square["archived"], false);
    let id = square["id"].as_i64().unwrap();

    // It works like any public room: people join and talk.
    join(&app, &ali, id).await;
    join(&app, &sara, id).await;
    send_ok(&app, &ali, id, "أهلًا بالجميع").await;
    let seen = find_room(&rooms_of(&app, &sara).await, id).unwrap();
    assert_eq!(seen["member_count"], 2);
    assert_eq!(seen["unread_count"], 1);
    // And the admins manage it like any other.
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
        .any(|r| r["id"] == id && r["name"] == "الساحة العامة"));
}
