//! Display names and free text (issue 11, finding 8): bidi controls, invisible-only and
//! marks-only values are refused with an Arabic message naming the field, text is stored in
//! NFC, and a display name that would pass for another account's name is refused.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{assert_error, spawn_app, TestApp, PASSWORD};

async fn register_named(app: &TestApp, username: &str, display_name: &str) -> reqwest::Response {
    app.post(
        "/api/v1/auth/register",
        None,
        json!({"username": username, "email": format!("{username}@example.com"), "password": PASSWORD, "display_name": display_name}),
    )
    .await
}

async fn refused_name(res: reqwest::Response, why: &str) -> String {
    let err = assert_error(res, 422, "validation_failed").await;
    err["error"]["fields"]["display_name"]
        .as_str()
        .unwrap_or_else(|| panic!("{why}: display_name is named: {err}"))
        .to_owned()
}

#[tokio::test]
async fn display_names_with_bidi_controls_or_nothing_visible_are_refused_in_arabic() {
    let app = spawn_app().await;
    let user = app.register("name_owner").await;
    for (i, (name, why)) in [
        ("abc\u{202E}gpj.exe", "a right-to-left override"),
        ("\u{2067}admin\u{2069}", "bidi isolates"),
        ("\u{200F}admin", "a right-to-left mark"),
        ("ad\u{200B}min", "a zero-width space"),
        ("\u{200B}\u{200B}\u{200B}", "only zero-width spaces"),
        ("\u{200D}\u{FEFF}", "only a joiner and a byte-order mark"),
        ("\u{0301}\u{0301}\u{0301}", "only combining accents"),
        ("\u{064E}\u{0651}\u{0652}", "only Arabic harakat"),
        ("\u{2800}", "a blank Braille pattern"),
    ]
    .into_iter()
    .enumerate()
    {
        let message =
            refused_name(register_named(&app, &format!("bad_{i}"), name).await, why).await;
        assert!(message.contains("الاسم الظاهر"), "{why}: {message}");
        let message = refused_name(
            app.patch(
                "/api/v1/me",
                Some(&user.token),
                json!({"display_name": name}),
            )
            .await,
            why,
        )
        .await;
        assert!(message.contains("الاسم الظاهر"), "{why}: {message}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE username LIKE 'bad_%'")
            .await,
        0
    );
    // Names with harakat on letters, joiners in an emoji and mixed Arabic/Latin stay fine.
    for (i, name) in ["مُحَمَّد", "👩\u{200D}💻 سارة", "Ahmed أحمد 99"]
        .into_iter()
        .enumerate()
    {
        let res = register_named(&app, &format!("good_{i}"), name).await;
        assert_eq!(res.status(), StatusCode::CREATED, "{name}");
    }
}

#[tokio::test]
async fn free_text_with_bidi_overrides_or_nothing_visible_is_refused_naming_the_field() {
    let app = spawn_app().await;
    let admin = app.admin("text_admin").await;
    let user = app.register("text_user").await;
    app.register("text_friend").await;
    crate::helpers::award(&app, &admin, user.id, 50).await;
    let room: Value = app
        .post(
            "/api/v1/admin/chat/rooms",
            Some(&admin.token),
            json!({"name": "نقاش", "description": "للجميع"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let room = room["id"].as_i64().unwrap();
    assert_eq!(
        app.post(
            &format!("/api/v1/chat/rooms/{room}/join"),
            Some(&user.token),
            json!({})
        )
        .await
        .status(),
        200
    );
    let cases = [
        (
            Method::POST,
            "/api/v1/points/transfers".to_owned(),
            &user.token,
            json!({"to_username": "text_friend", "amount": 5, "note": "exe.\u{202E}txt"}),
            "note",
            "الملاحظة",
        ),
        (
            Method::POST,
            "/api/v1/points/transfers".to_owned(),
            &user.token,
            json!({"to_username": "text_friend", "amount": 5, "note": "\u{200B}\u{200B}"}),
            "note",
            "الملاحظة",
        ),
        (
            Method::POST,
            "/api/v1/admin/points/award".to_owned(),
            &admin.token,
            json!({"user_id": user.id, "amount": 5, "reason": "\u{2066}سبب\u{2069}"}),
            "reason",
            "السبب",
        ),
        (
            Method::POST,
            format!("/api/v1/chat/rooms/{room}/messages"),
            &user.token,
            json!({"body": "\u{200B}\u{FEFF}"}),
            "body",
            "الرسالة",
        ),
        (
            Method::POST,
            format!("/api/v1/chat/rooms/{room}/messages"),
            &user.token,
            json!({"body": "مرحبا \u{202D}olleh"}),
            "body",
            "الرسالة",
        ),
        (
            Method::POST,
            "/api/v1/admin/chat/rooms".to_owned(),
            &admin.token,
            json!({"name": "\u{0651}\u{0651}"}),
            "name",
            "اسم الغرفة",
        ),
        (
            Method::POST,
            "/api/v1/admin/competitions".to_owned(),
            &admin.token,
            json!({"title": "مسابقة \u{202E}", "description": "x", "kind": "quiz", "starts_at": "2030-01-01T00:00:00Z", "ends_at": "2030-01-02T00:00:00Z"}),
            "title",
            "العنوان",
        ),
        (
            Method::PUT,
            "/api/v1/admin/settings".to_owned(),
            &admin.token,
            json!({"admin_contact": "\u{202E}0500"}),
            "admin_contact",
            "وسيلة التواصل",
        ),
    ];
    for (method, path, token, body, field, label) in cases {
        let res = app
            .request(
                &app.client,
                method.clone(),
                &path,
                Some(token),
                Some(body.clone()),
            )
            .await;
        let err = assert_error(res, 422, "validation_failed").await;
        let message = err["error"]["fields"][field]
            .as_str()
            .unwrap_or_else(|| panic!("{method} {path} {body}: names {field}: {err}"));
        assert!(message.contains(label), "{path}: {message}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM messages").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM points_transactions WHERE kind = 'transfer_out'")
            .await,
        0
    );
    // Right-to-left marks are ordinary in Arabic prose and stay allowed in free text.
    let res = app
        .post(
            "/api/v1/points/transfers",
            Some(&user.token),
            json!({"to_username": "text_friend", "amount": 5, "note": "هدية \u{200F}15"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn text_is_stored_in_nfc() {
    let app = spawn_app().await;
    // "Café" with a combining acute (NFD) and the Arabic «آ» as alef + maddah.
    let res = register_named(&app, "nfc_user", "Cafe\u{301} \u{627}\u{653}مال").await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["user"]["display_name"], "Caf\u{e9} \u{622}مال");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE display_name = 'Caf\u{e9} \u{622}مال'")
            .await,
        1
    );
}

#[tokio::test]
async fn a_display_name_that_would_pass_for_another_accounts_is_refused() {
    let app = spawn_app().await;
    let staff = app.admin("support").await;
    let res = app
        .patch(
            "/api/v1/me",
            Some(&staff.token),
            json!({"display_name": "فريق الدعم"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK, "an admin names themself");
    assert_eq!(
        register_named(&app, "paypal", "PayPal").await.status(),
        StatusCode::CREATED
    );

    for (i, (name, why)) in [
        (
            "\u{0440}\u{0430}\u{0443}\u{0440}\u{0430}\u{04CF}",
            "all Cyrillic look-alike of PayPal",
        ),
        (
            "P\u{0430}yP\u{0430}l",
            "Latin with Cyrillic а: mixed script",
        ),
        ("p\u{0430}yp\u{0430}l", "lower case, Cyrillic а"),
        ("فريق الدعم", "an admin's display name, exactly"),
        (
            "فريق  الدعم",
            "an admin's display name with a doubled space",
        ),
        ("SUPPORT", "an admin's username in capitals"),
        ("\u{0455}upport", "an admin's username with a Cyrillic ѕ"),
    ]
    .into_iter()
    .enumerate()
    {
        let message =
            refused_name(register_named(&app, &format!("mimic_{i}"), name).await, why).await;
        assert!(message.contains("يشبه"), "{why}: {message}");
    }
    let user = app.register("plain_user").await;
    refused_name(
        app.patch(
            "/api/v1/me",
            Some(&user.token),
            json!({"display_name": "P\u{0430}yPal"}),
        )
        .await,
        "a profile edit to a look-alike",
    )
    .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE username LIKE 'mimic_%'")
            .await,
        0
    );

    // The same name as an ordinary user is fine (many people share a name), and so is another
    // spelling in the same script; other admins may share an admin's name.
    assert_eq!(
        register_named(&app, "paypal_fan", "PayPal").await.status(),
        StatusCode::CREATED
    );
    assert_eq!(
        register_named(&app, "ahmad_1", "أحمد").await.status(),
        StatusCode::CREATED
    );
    assert_eq!(
        register_named(&app, "ahmad_2", "أحمد").await.status(),
        StatusCode::CREATED
    );
    assert_eq!(
        register_named(&app, "ahmad_3", "احمد").await.status(),
        StatusCode::CREATED
    );
    let second_admin = app.admin("support_two").await;
    let res = app
        .patch(
            "/api/v1/me",
            Some(&second_admin.token),
            json!({"display_name": "فريق الدعم"}),
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "another admin may share the team's name"
    );
    // An admin keeps their own name when saving the profile again.
    let res = app
        .patch(
            "/api/v1/me",
            Some(&staff.token),
            json!({"display_name": "فريق الدعم", "locale": "ar"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn accounts_from_before_the_check_get_their_skeletons_when_a_server_starts() {
    let app = spawn_app().await;
    let staff = app.admin("moderator").await;
    let _ = staff;
    // As if the account predated the columns.
    app.sql("UPDATE users SET display_name_skeleton = NULL, username_skeleton = NULL")
        .await;
    // Unknown to the check until a server fills the skeletons in.
    let before = register_named(&app, "early_bird", "MODERATOR").await;
    assert_eq!(before.status(), StatusCode::CREATED);
    let _replica = app.spawn_replica().await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE display_name_skeleton IS NULL OR username_skeleton IS NULL")
            .await,
        0
    );
    refused_name(
        register_named(&app, "late_bird", "m\u{043E}derator").await,
        "an admin's username with a Cyrillic о, after the backfill",
    )
    .await;
}
