//! A participant's data rights (issue 15, item 7): the download of everything kept about the
//! account, and its deletion. Deleting keeps the row and every ledger row (balances and
//! `verify-ledger` stay exact) and replaces the personal fields with a placeholder that keeps
//! the unique indexes satisfied (`deleted_<id>`); the password can no longer match, sessions,
//! API keys, two-factor sign-in and open links end. Anything still pending (a redemption not
//! yet fulfilled, a held transfer either way, a purchase awaiting payment) refuses the deletion
//! with 409 `account_deletion_blocked`, so nothing is settled twice or against a vanished owner.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::account::{DataExport, ExportedMessage, ExportedReferrals, EXPORT_FORMAT};
use domain::referrals::{InvitedFriend, ReferralStatus};
use domain::{ErrorCode, FieldErrors};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use crate::entities::{
    api_keys, chat_rooms, email_outbox, held_transfers, login_attempts, messages, notifications,
    password_resets, points_transactions as tx, purchase_records, referrals, refresh_tokens,
    reward_redemptions, user_blocks, users,
};
use crate::error::ApiError;

/// The placeholder username (also the base of the email) of a deleted account.
pub fn placeholder_username(user_id: i64) -> String {
    format!("deleted_{user_id}")
}

/// A deleted account's display name.
pub const PLACEHOLDER_DISPLAY_NAME: &str = "حساب محذوف";
/// A password hash no password verifies against (not a PHC string).
const UNUSABLE_PASSWORD: &str = "!deleted";

/// Everything about `user` as one document.
pub async fn export(
    conn: &impl ConnectionTrait,
    user: &users::Model,
) -> Result<DataExport, ApiError> {
    let ledger_rows = tx::Entity::find()
        .filter(tx::Column::UserId.eq(user.id))
        .order_by_asc(tx::Column::Id)
        .all(conn)
        .await?;
    let names =
        super::users::usernames(conn, ledger_rows.iter().filter_map(|r| r.counterparty_id)).await?;
    let ledger = ledger_rows
        .iter()
        .map(|r| {
            super::ledger::to_entry(r, r.counterparty_id.and_then(|id| names.get(&id).cloned()))
        })
        .collect();
    let redemption_rows = reward_redemptions::Entity::find()
        .filter(reward_redemptions::Column::UserId.eq(user.id))
        .order_by_asc(reward_redemptions::Column::Id)
        .all(conn)
        .await?;
    let redemptions = super::redemptions::to_dtos(conn, redemption_rows, false).await?;
    let purchase_rows = purchase_records::Entity::find()
        .filter(purchase_records::Column::UserId.eq(user.id))
        .order_by_asc(purchase_records::Column::Id)
        .all(conn)
        .await?;
    let purchases = super::purchases::to_dtos(conn, purchase_rows, false).await?;
    Ok(DataExport {
        format: EXPORT_FORMAT.to_owned(),
        exported_at: super::now(),
        profile: super::users::to_dto(user),
        ledger,
        redemptions,
        purchases,
        chat_messages: sent_messages(conn, user.id).await?,
        referrals: referrals_of(conn, user).await?,
    })
}

async fn sent_messages(
    conn: &impl ConnectionTrait,
    user_id: i64,
) -> Result<Vec<ExportedMessage>, ApiError> {
    let rows = messages::Entity::find()
        .filter(messages::Column::SenderId.eq(user_id))
        .order_by_asc(messages::Column::Id)
        .all(conn)
        .await?;
    let mut room_ids: Vec<i64> = rows.iter().map(|m| m.room_id).collect();
    room_ids.sort_unstable();
    room_ids.dedup();
    let rooms: HashMap<i64, Option<String>> = if room_ids.is_empty() {
        HashMap::new()
    } else {
        chat_rooms::Entity::find()
            .filter(chat_rooms::Column::Id.is_in(room_ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|r| (r.id, r.name))
            .collect()
    };
    Ok(rows
        .into_iter()
        .map(|m| ExportedMessage {
            id: m.id,
            room_id: m.room_id,
            room_name: rooms.get(&m.room_id).cloned().flatten(),
            body: m.body,
            created_at: m.created_at,
            edited_at: m.edited_at,
            deleted: m.deleted_at.is_some(),
        })
        .collect())
}

async fn referrals_of(
    conn: &impl ConnectionTrait,
    user: &users::Model,
) -> Result<ExportedReferrals, ApiError> {
    let rows = referrals::Entity::find()
        .filter(referrals::Column::ReferrerId.eq(user.id))
        .order_by_asc(referrals::Column::Id)
        .all(conn)
        .await?;
    let friends = super::users::display_names(conn, rows.iter().map(|r| r.referee_id)).await?;
    let referred_by = match user.referred_by {
        Some(id) => super::users::usernames(conn, [id]).await?.remove(&id),
        None => None,
    };
    let invited = rows
        .iter()
        .filter_map(|r| {
            let (username, display_name) = friends.get(&r.referee_id)?.clone();
            let status = ReferralStatus::parse(&r.status).unwrap_or(ReferralStatus::Pending);
            Some(InvitedFriend {
                id: r.id,
                username,
                display_name,
                status,
                status_label: status.label_ar().to_owned(),
                joined_at: r.created_at,
                qualified_at: r.qualified_at,
                points_earned: if status == ReferralStatus::Rewarded {
                    r.referrer_bonus
                } else {
                    0
                },
            })
        })
        .collect();
    Ok(ExportedReferrals {
        code: user.referral_code.clone(),
        referred_by,
        invited,
    })
}

/// 409 `account_deletion_blocked` naming what is still pending, if anything is.
async fn ensure_nothing_pending(conn: &impl ConnectionTrait, user_id: i64) -> Result<(), ApiError> {
    let mut fields = FieldErrors::new();
    let redemptions = reward_redemptions::Entity::find()
        .filter(reward_redemptions::Column::UserId.eq(user_id))
        .filter(reward_redemptions::Column::Status.is_in(["pending", "approved"]))
        .count(conn)
        .await?;
    if redemptions > 0 {
        fields.insert(
            "redemptions".into(),
            format!("لديك {redemptions} طلب استبدال لم يُسلَّم بعد؛ ألغِه أو انتظر تسليمه."),
        );
    }
    let held = held_transfers::Entity::find()
        .filter(
            Condition::any()
                .add(held_transfers::Column::SenderId.eq(user_id))
                .add(held_transfers::Column::RecipientId.eq(user_id)),
        )
        .filter(held_transfers::Column::Status.eq("held"))
        .count(conn)
        .await?;
    if held > 0 {
        fields.insert(
            "held_transfers".into(),
            format!("لديك {held} تحويل موقوف للمراجعة؛ انتظر قرار الإدارة فيه."),
        );
    }
    let purchases = purchase_records::Entity::find()
        .filter(purchase_records::Column::UserId.eq(user_id))
        .filter(purchase_records::Column::Status.eq("requested"))
        .count(conn)
        .await?;
    if purchases > 0 {
        fields.insert(
            "purchases".into(),
            format!("لديك {purchases} طلب شراء ينتظر الدفع؛ ألغِه أو انتظر تأكيده."),
        );
    }
    if fields.is_empty() {
        Ok(())
    } else {
        Err(ApiError::FieldConflict {
            code: ErrorCode::AccountDeletionBlocked,
            fields,
        })
    }
}

/// 409 `last_admin` when `user` is the only active admin.
async fn ensure_not_last_admin(
    conn: &impl ConnectionTrait,
    user: &users::Model,
) -> Result<(), ApiError> {
    if user.role != "admin" {
        return Ok(());
    }
    let others = users::Entity::find()
        .filter(users::Column::Role.eq("admin"))
        .filter(users::Column::Status.eq("active"))
        .filter(users::Column::Id.ne(user.id))
        .count(conn)
        .await?;
    if others == 0 {
        return Err(ApiError::Code(ErrorCode::LastAdmin));
    }
    Ok(())
}

/// What a deletion ended, for the audit entry.
#[derive(Debug, Default, serde::Serialize)]
pub struct Erased {
    pub sessions_ended: u64,
    pub api_keys_revoked: u64,
    pub emails_redacted: u64,
    pub notifications_deleted: u64,
}

/// Deletes `user_id`'s account inside the caller's transaction (the password and two-factor
/// code were checked by the caller). The row is locked first, so a redemption, transfer or
/// join racing the deletion either committed before it (and is seen as pending here) or
/// finds the account no longer active.
pub async fn delete_account(conn: &impl ConnectionTrait, user_id: i64) -> Result<Erased, ApiError> {
    super::redemptions::lock_active_user(conn, user_id).await?;
    let user = super::users::get(conn, user_id).await?;
    ensure_not_last_admin(conn, &user).await?;
    ensure_nothing_pending(conn, user_id).await?;
    let now = super::now();
    let name = placeholder_username(user_id);
    let email = format!("{name}@deleted.invalid");
    users::Entity::update_many()
        .col_expr(users::Column::Username, Expr::value(name.clone()))
        .col_expr(users::Column::UsernameLower, Expr::value(name.clone()))
        .col_expr(users::Column::Email, Expr::value(email.clone()))
        .col_expr(
            users::Column::DisplayName,
            Expr::value(PLACEHOLDER_DISPLAY_NAME),
        )
        .col_expr(users::Column::PasswordHash, Expr::value(UNUSABLE_PASSWORD))
        .col_expr(users::Column::Status, Expr::value("suspended"))
        .col_expr(users::Column::SearchText, Expr::value(""))
        .col_expr(
            users::Column::DisplayNameSkeleton,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            users::Column::UsernameSkeleton,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            users::Column::ReferralCode,
            Expr::value(format!("X{}", super::users::new_referral_code())),
        )
        .col_expr(
            users::Column::LastLoginIp,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            users::Column::RegistrationIp,
            Expr::value(Option::<String>::None),
        )
        .col_expr(users::Column::DeviceId, Expr::value(Option::<String>::None))
        .col_expr(
            users::Column::EmailVerifiedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(users::Column::DeletedAt, Expr::value(now))
        .filter(users::Column::Id.eq(user_id))
        .exec(conn)
        .await?;
    let mut erased = Erased {
        sessions_ended: super::sessions::end_all(conn, user_id, None, "account_deleted").await?,
        ..Default::default()
    };
    refresh_tokens::Entity::update_many()
        .col_expr(
            refresh_tokens::Column::Ip,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            refresh_tokens::Column::UserAgent,
            Expr::value(Option::<String>::None),
        )
        .filter(refresh_tokens::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    erased.api_keys_revoked = api_keys::Entity::update_many()
        .col_expr(api_keys::Column::RevokedAt, Expr::value(now))
        .filter(api_keys::Column::OwnerId.eq(user_id))
        .filter(api_keys::Column::RevokedAt.is_null())
        .exec(conn)
        .await?
        .rows_affected;
    super::totp::disable(conn, user_id).await?;
    super::verification::end_open_links(conn, user_id, now).await?;
    password_resets::Entity::update_many()
        .col_expr(password_resets::Column::UsedAt, Expr::value(now))
        .filter(password_resets::Column::UserId.eq(user_id))
        .filter(password_resets::Column::UsedAt.is_null())
        .exec(conn)
        .await?;
    // Mail not yet sent is dropped; what was sent keeps its record without the address or body.
    email_outbox::Entity::delete_many()
        .filter(email_outbox::Column::UserId.eq(user_id))
        .filter(email_outbox::Column::Status.is_in(["queued", "failed"]))
        .exec(conn)
        .await?;
    erased.emails_redacted = email_outbox::Entity::update_many()
        .col_expr(email_outbox::Column::Recipient, Expr::value(email))
        .col_expr(email_outbox::Column::BodyText, Expr::value(""))
        .col_expr(email_outbox::Column::BodyHtml, Expr::value(""))
        .filter(email_outbox::Column::UserId.eq(user_id))
        .exec(conn)
        .await?
        .rows_affected;
    erased.notifications_deleted = notifications::Entity::delete_many()
        .filter(notifications::Column::UserId.eq(user_id))
        .exec(conn)
        .await?
        .rows_affected;
    user_blocks::Entity::delete_many()
        .filter(user_blocks::Column::BlockerId.eq(user_id))
        .exec(conn)
        .await?;
    login_attempts::Entity::delete_many()
        .filter(login_attempts::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    referrals::Entity::update_many()
        .col_expr(referrals::Column::Ip, Expr::value(Option::<String>::None))
        .col_expr(
            referrals::Column::DeviceId,
            Expr::value(Option::<String>::None),
        )
        .filter(referrals::Column::RefereeId.eq(user_id))
        .exec(conn)
        .await?;
    Ok(erased)
}
