//! /api/v1/referrals (Friend Challenge) and the admin's review queue
//! (/api/v1/admin/referrals).

use domain::referrals::{
    AdminReferral, AdminReferralPage, ReferralDecision, ReferralStatus, ReferralSummary,
};
use gloo_net::http::Method;

use super::{call, enc, get, ApiError};

const PAGE: u32 = 25;

/// The caller's code, share path, bonuses and invited friends.
pub async fn summary() -> Result<ReferralSummary, ApiError> {
    get("/referrals").await
}

pub async fn admin_list(
    status: Option<ReferralStatus>,
    cursor: Option<&str>,
) -> Result<AdminReferralPage, ApiError> {
    let mut path = format!("/admin/referrals?limit={PAGE}");
    if let Some(s) = status {
        path.push_str(&format!("&status={}", s.as_str()));
    }
    if let Some(c) = cursor {
        path.push_str(&format!("&cursor={}", enc(c)));
    }
    get(&path).await
}

/// Approve (credits both bonuses once) or reject, with an optional note for the audit log.
pub async fn decide(id: i64, approve: bool, note: &str) -> Result<AdminReferral, ApiError> {
    let action = if approve { "approve" } else { "reject" };
    let note = note.trim();
    let req = ReferralDecision {
        note: (!note.is_empty()).then(|| note.to_owned()),
    };
    call(
        Method::POST,
        &format!("/admin/referrals/{id}/{action}"),
        &req,
    )
    .await
}
