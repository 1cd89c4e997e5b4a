use super::*;
use chrono::TimeZone;

fn at(h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2030, 1, 1, h, 0, 0).unwrap()
}

fn valid() -> CreateCompetitionRequest {
    CreateCompetitionRequest {
        title: "مسابقة الثقافة".into(),
        title_en: Some("Culture quiz".into()),
        description: "وصف".into(),
        description_en: None,
        rules: None,
        category: None,
        cover_url: Some("https://example.com/c.png".into()),
        kind: "quiz".into(),
        starts_at: at(10),
        ends_at: at(12),
        registration_opens_at: None,
        registration_closes_at: None,
        quiz_duration_seconds: Some(300),
        max_participants: Some(100),
        entry_fee: 10,
        participation_points: 5,
        prizes: vec![
            Prize {
                rank: 1,
                points: 100,
            },
            Prize {
                rank: 2,
                points: 50,
            },
        ],
    }
}

#[test]
fn a_complete_request_is_valid() {
    assert_eq!(valid().validate(), Ok(()));
}

#[test]
fn bad_fields_get_arabic_messages_each() {
    type Case = (&'static str, fn(&mut CreateCompetitionRequest));
    let cases: [Case; 14] = [
        ("title", |r| r.title = "  ".into()),
        ("title", |r| r.title = "Quiz only".into()),
        ("kind", |r| r.kind = "race".into()),
        ("ends_at", |r| r.ends_at = r.starts_at),
        ("entry_fee", |r| r.entry_fee = -1),
        ("participation_points", |r| r.participation_points = -5),
        ("max_participants", |r| r.max_participants = Some(0)),
        ("quiz_duration_seconds", |r| {
            r.quiz_duration_seconds = Some(5)
        }),
        ("prizes", |r| {
            r.prizes = vec![
                Prize {
                    rank: 1,
                    points: 10,
                },
                Prize { rank: 1, points: 5 },
            ]
        }),
        ("prizes", |r| {
            r.prizes = vec![Prize {
                rank: 2,
                points: 10,
            }]
        }),
        ("prizes", |r| r.prizes = vec![Prize { rank: 1, points: 0 }]),
        ("cover_url", |r| {
            r.cover_url = Some("javascript:alert(1)".into())
        }),
        ("registration_closes_at", |r| {
            r.registration_closes_at = Some(at(13))
        }),
        ("registration_opens_at", |r| {
            r.registration_opens_at = Some(at(11))
        }),
    ];
    for (field, mutate) in cases {
        let mut r = valid();
        mutate(&mut r);
        let errors = r.validate().expect_err(field);
        let message = errors
            .get(field)
            .unwrap_or_else(|| panic!("{field}: {errors:?}"));
        assert!(!message.is_ascii(), "{field} message is Arabic");
    }
}

#[test]
fn judged_competitions_have_no_quiz_timer() {
    let mut r = valid();
    r.kind = "judged".into();
    assert!(r
        .validate()
        .unwrap_err()
        .contains_key("quiz_duration_seconds"));
    r.quiz_duration_seconds = None;
    assert_eq!(r.validate(), Ok(()));
}

#[test]
fn status_follows_the_clock_forward_only() {
    use CompetitionStatus::*;
    assert_eq!(Published.effective(at(10), at(12), at(9)), Published);
    assert_eq!(Published.effective(at(10), at(12), at(10)), Running);
    assert_eq!(Published.effective(at(10), at(12), at(12)), Ended);
    assert_eq!(Running.effective(at(10), at(12), at(13)), Ended);
    assert_eq!(Draft.effective(at(10), at(12), at(13)), Draft);
    assert_eq!(Finalized.effective(at(10), at(12), at(11)), Finalized);
}

#[test]
fn registration_defaults_to_publication_until_start() {
    use CompetitionStatus::*;
    assert!(registration_open(
        Published,
        at(10),
        at(12),
        None,
        None,
        at(9)
    ));
    assert!(!registration_open(
        Published,
        at(10),
        at(12),
        None,
        None,
        at(10)
    ));
    assert!(!registration_open(Draft, at(10), at(12), None, None, at(9)));
    assert!(!registration_open(
        Published,
        at(10),
        at(12),
        Some(at(9)),
        None,
        at(8)
    ));
    assert!(registration_open(
        Published,
        at(10),
        at(12),
        None,
        Some(at(11)),
        at(10)
    ));
}

#[test]
fn patch_merges_and_reports_only_real_changes() {
    let base = valid();
    let patch: UpdateCompetitionRequest = serde_json::from_value(
        serde_json::json!({"title_en": null, "entry_fee": 10, "rules": "لا غش"}),
    )
    .unwrap();
    let merged = patch.merged(&base);
    assert_eq!(merged.title_en, None);
    assert_eq!(changed_fields(&base, &merged), vec!["title_en", "rules"]);
    assert!(CompetitionStatus::Published
        .editable_fields()
        .contains(&"rules"));
    assert!(!CompetitionStatus::Published
        .editable_fields()
        .contains(&"entry_fee"));
    assert!(serde_json::from_value::<UpdateCompetitionRequest>(
        serde_json::json!({"status": "ended"})
    )
    .is_err());
}

#[test]
fn questions_need_two_to_six_distinct_choices_and_a_valid_answer() {
    let ok = QuestionRequest {
        text: "سؤال؟".into(),
        choices: vec!["أ".into(), "ب".into()],
        correct_index: 1,
        points: 1,
    };
    assert_eq!(ok.validate(), Ok(()));
    let mut q = ok.clone();
    q.choices = vec!["أ".into()];
    assert!(q.validate().unwrap_err().contains_key("choices"));
    let mut q = ok.clone();
    q.correct_index = 2;
    assert!(q.validate().unwrap_err().contains_key("correct_index"));
    let mut q = ok.clone();
    q.choices = vec!["أ".into(), " ".into()];
    assert!(q.validate().unwrap_err().contains_key("choices"));
    let q: QuestionRequest = serde_json::from_value(
        serde_json::json!({"text": "س", "choices": ["1", "2"], "correct_index": 0}),
    )
    .unwrap();
    assert_eq!(q.points, 1);
}
