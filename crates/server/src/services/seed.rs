//! Demo data for trying the product and for benchmarks: an admin, N participants, and a ledger
//! spread over the last 60 days that satisfies every invariant (balances equal ledger sums).
//! Idempotent: users that already exist are left alone.

use std::collections::HashSet;

use chrono::Duration;
use domain::points::LedgerKind;
use domain::users::Role;
use rand::Rng;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect,
};

use crate::entities::{points_transactions as tx, users};
use crate::error::ApiError;
use crate::services::users as user_svc;

pub const PASSWORD: &str = "demo-password-123";
const CHUNK: usize = 500;

pub struct Report {
    pub users_created: usize,
    pub ledger_rows: usize,
}

pub async fn seed(
    db: &DatabaseConnection,
    count: u32,
    ledger_per_user: u32,
) -> Result<Report, ApiError> {
    // One hash for every demo account: hashing 100k passwords would take an hour.
    let hash = crate::auth::password::hash(PASSWORD.into()).await?;
    if user_svc::find_by_login(db, "demo_admin").await?.is_none() {
        crate::db::transaction(db, |txn| {
            let hash = hash.clone();
            async move {
                user_svc::create(
                    &*txn,
                    user_svc::NewUser {
                        username: "demo_admin",
                        email: "demo_admin@demo.musabaqati.local",
                        password_hash: hash,
                        display_name: "مشرف تجريبي",
                        role: Role::Admin,
                        referral_code: None,
                        ip: None,
                        device_id: None,
                    },
                )
                .await
            }
        })
        .await?;
    }
    let names: Vec<String> = (1..=count).map(|i| format!("demo_user_{i}")).collect();
    let mut report = Report {
        users_created: 0,
        ledger_rows: 0,
    };
    let first_names = [
        "أحمد",
        "فاطمة",
        "محمد",
        "مريم",
        "علي",
        "سارة",
        "عمر",
        "نور",
        "خالد",
        "ليلى",
        "يوسف",
        "هدى",
    ];
    for chunk in names.chunks(CHUNK) {
        let existing: HashSet<String> = users::Entity::find()
            .select_only()
            .column(users::Column::UsernameLower)
            .filter(users::Column::UsernameLower.is_in(chunk.iter().cloned()))
            .into_tuple::<String>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        let missing: Vec<&String> = chunk.iter().filter(|n| !existing.contains(*n)).collect();
        if missing.is_empty() {
            continue;
        }
        // Generate each user's ledger first so the balance written equals its sum.
        let now = super::now();
        let mut rng = rand::rng();
        let plans: Vec<Vec<(i64, chrono::DateTime<chrono::Utc>, LedgerKind)>> = missing
            .iter()
            .map(|_| {
                let mut rows: Vec<_> = (0..ledger_per_user)
                    .map(|_| {
                        let kind = if rng.random_bool(0.3) {
                            LedgerKind::CompetitionPrize
                        } else {
                            LedgerKind::Participation
                        };
                        let when = now - Duration::minutes(rng.random_range(0..60 * 24 * 60));
                        (rng.random_range(1..=50), when, kind)
                    })
                    .collect();
                rows.sort_by_key(|r| r.1);
                rows
            })
            .collect();
        let models: Vec<users::ActiveModel> = missing
            .iter()
            .zip(&plans)
            .enumerate()
            .map(|(i, (name, plan))| {
                let total: i64 = plan.iter().map(|r| r.0).sum();
                let display = format!(
                    "{} {}",
                    first_names[i % first_names.len()],
                    name.trim_start_matches("demo_user_")
                );
                users::ActiveModel {
                    username: Set((*name).clone()),
                    username_lower: Set((*name).clone()),
                    email: Set(format!("{name}@demo.musabaqati.local")),
                    password_hash: Set(hash.clone()),
                    display_name: Set(display.clone()),
                    role: Set("user".into()),
                    status: Set("active".into()),
                    points_balance: Set(total),
                    lifetime_earned: Set(total),
                    referral_code: Set(user_svc::new_referral_code()),
                    token_version: Set(0),
                    locale: Set("ar".into()),
                    digits: Set("arab".into()),
                    search_text: Set(user_svc::search_text(name, &display)),
                    display_name_skeleton: Set(Some(crate::text::name_skeleton(&display))),
                    username_skeleton: Set(Some(crate::text::name_skeleton(name))),
                    created_at: Set(now - Duration::days(61)),
                    updated_at: Set(now),
                    // Demo addresses receive no mail; they count as confirmed.
                    email_verified_at: Set(Some(now)),
                    ..Default::default()
                }
            })
            .collect();
        let missing_names: Vec<String> = missing.iter().map(|n| (*n).clone()).collect();
        let (models_ref, plans_ref, names_ref) = (&models, &plans, &missing_names);
        let rows = crate::db::transaction(db, |txn| async move {
            let txn = &*txn;
            users::Entity::insert_many(models_ref.iter().cloned())
                .exec(txn)
                .await?;
            let ids: Vec<(i64, String)> = users::Entity::find()
                .select_only()
                .column(users::Column::Id)
                .column(users::Column::UsernameLower)
                .filter(users::Column::UsernameLower.is_in(names_ref.iter().cloned()))
                .into_tuple()
                .all(txn)
                .await?;
            let mut ledger = Vec::new();
            for (id, name) in ids {
                let Some(idx) = names_ref.iter().position(|n| *n == name) else {
                    continue;
                };
                let mut running = 0;
                for (amount, when, kind) in &plans_ref[idx] {
                    running += amount;
                    ledger.push(tx::ActiveModel {
                        user_id: Set(id),
                        amount: Set(*amount),
                        balance_after: Set(running),
                        kind: Set(kind.as_str().to_owned()),
                        reason: Set(Some("بيانات تجريبية".into())),
                        created_at: Set(*when),
                        ..Default::default()
                    });
                }
            }
            let written = ledger.len();
            for part in ledger.chunks(CHUNK) {
                tx::Entity::insert_many(part.iter().cloned())
                    .exec(txn)
                    .await?;
            }
            Ok(written)
        })
        .await?;
        report.users_created += missing.len();
        report.ledger_rows += rows;
    }
    Ok(report)
}
