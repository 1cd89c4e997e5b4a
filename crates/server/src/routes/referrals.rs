//! /api/v1/referrals: the caller's Friend Challenge.

use actix_web::{get, web};
use domain::referrals::{InvitedFriend, ReferralStatus, ReferralSummary};
use domain::ErrorBody;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::auth::AuthUser;
use crate::entities::{referrals, users};
use crate::error::ApiResult;
use crate::services::system_settings;
use crate::state::AppState;

/// The caller's code, share link, bonuses and the friends they invited.
#[utoipa::path(tag = "referrals", security(("bearer" = [])), responses((status = 200, body = ReferralSummary), (status = 401, body = ErrorBody)))]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn summary(
    state: web::Data<AppState>,
    user: AuthUser,
) -> ApiResult<web::Json<ReferralSummary>> {
    let me = std::sync::Arc::clone(&user.account);
    let rows = referrals::Entity::find()
        .filter(referrals::Column::ReferrerId.eq(user.id))
        .order_by_desc(referrals::Column::Id)
        .all(&state.db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.referee_id).collect();
    let friends: std::collections::HashMap<i64, users::Model> = users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let invited: Vec<InvitedFriend> = rows
        .iter()
        .filter_map(|r| {
            let friend = friends.get(&r.referee_id)?;
            let status = ReferralStatus::parse(&r.status).unwrap_or(ReferralStatus::Pending);
            Some(InvitedFriend {
                id: r.id,
                username: friend.username.clone(),
                display_name: friend.display_name.clone(),
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
    Ok(web::Json(ReferralSummary {
        share_path: format!("/register?ref={}", me.referral_code),
        code: me.referral_code.clone(),
        referrer_bonus: system_settings::get_i64(
            &state.db,
            system_settings::REFERRAL_REFERRER_BONUS,
        )
        .await?,
        referee_bonus: system_settings::get_i64(&state.db, system_settings::REFERRAL_REFEREE_BONUS)
            .await?,
        total_invited: invited.len() as i64,
        total_rewarded: invited
            .iter()
            .filter(|f| f.status == ReferralStatus::Rewarded)
            .count() as i64,
        total_points_earned: invited.iter().map(|f| f.points_earned).sum(),
        invited,
    }))
}
