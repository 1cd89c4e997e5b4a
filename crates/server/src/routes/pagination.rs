//! Keyset pagination parameters shared by list endpoints.

use domain::pagination::{DEFAULT_LIMIT, MAX_LIMIT};
use domain::ErrorCode;
use serde::Deserialize;

use crate::error::ApiError;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Items per page (1–200, default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

impl PageParams {
    pub fn limit(&self) -> Result<u64, ApiError> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            Some(_) => Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "limit",
                "يجب أن يكون الحد بين 1 و200.",
            )),
        }
    }

    /// Cursors are opaque to clients; here they are the last id seen.
    pub fn cursor_id(&self) -> Result<Option<i64>, ApiError> {
        match self.cursor.as_deref().filter(|c| !c.is_empty()) {
            None => Ok(None),
            Some(c) => c
                .parse::<i64>()
                .ok()
                .filter(|id| *id > 0)
                .map(Some)
                .ok_or_else(|| {
                    ApiError::field(
                        ErrorCode::ValidationFailed,
                        "cursor",
                        "مؤشر الصفحة غير صالح.",
                    )
                }),
        }
    }
}

/// Given `limit + 1` rows fetched, trims to `limit` and returns the cursor of the next page.
pub fn split_page<T>(
    mut rows: Vec<T>,
    limit: u64,
    id_of: impl Fn(&T) -> i64,
) -> (Vec<T>, Option<String>) {
    let has_more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    let next = if has_more {
        rows.last().map(|r| id_of(r).to_string())
    } else {
        None
    };
    (rows, next)
}
