//! CSV exports for admins. The file starts with a UTF-8 BOM so Excel shows Arabic correctly,
//! quotes per RFC 4180, and is streamed one keyset page (1000 rows) at a time: a million ledger
//! rows never sit in memory at once. Text cells a spreadsheet would run as a formula (`=`, `+`,
//! `-`, `@` first, also behind invisible characters or in full-width form) get a leading `'`.

use std::collections::HashMap;

use actix_web::web::Bytes;
use chrono::{DateTime, Utc};
use domain::packages::PurchaseStatus;
use domain::points::LedgerKind;
use domain::rewards::RedemptionStatus;
use futures_util::Stream;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use unicode_normalization::UnicodeNormalization;

use crate::entities::{
    points_packages, points_transactions as tx, purchase_records, reward_redemptions, rewards,
    users,
};
use crate::error::ApiError;

pub const PAGE: u64 = 1000;
pub const BOM: &str = "\u{feff}";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    Users,
    Transactions,
    Redemptions,
    Purchases,
}

impl ExportKind {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "users" => Some(Self::Users),
            "transactions" => Some(Self::Transactions),
            "redemptions" => Some(Self::Redemptions),
            "purchases" => Some(Self::Purchases),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Users => "users",
            Self::Transactions => "transactions",
            Self::Redemptions => "redemptions",
            Self::Purchases => "purchases",
        }
    }

    pub fn header(self) -> &'static [&'static str] {
        match self {
            Self::Users => &[
                "id",
                "username",
                "display_name",
                "email",
                "role",
                "status",
                "points_balance",
                "lifetime_earned",
                "referral_code",
                "created_at",
                "last_login_at",
            ],
            Self::Transactions => &[
                "id",
                "created_at",
                "user_id",
                "username",
                "amount",
                "balance_after",
                "kind",
                "kind_label",
                "reason",
                "reference_type",
                "reference_id",
                "counterparty_username",
                "actor_user_id",
            ],
            Self::Redemptions => &[
                "id",
                "created_at",
                "user_id",
                "username",
                "reward_id",
                "reward_name",
                "cost",
                "status",
                "status_label",
                "user_note",
                "admin_note",
                "decided_at",
                "fulfilled_at",
                "cancelled_at",
            ],
            Self::Purchases => &[
                "id",
                "reference",
                "created_at",
                "user_id",
                "username",
                "package_id",
                "package_name",
                "points",
                "bonus_points",
                "price_minor",
                "currency",
                "status",
                "status_label",
                "payment_reference",
                "paid_at",
                "cancelled_at",
                "note",
            ],
        }
    }
}

/// One CSV cell.
pub enum Cell<'a> {
    /// Numbers and other values that cannot be formulas.
    Raw(String),
    /// Free text (names, notes): guarded against formula injection.
    Text(&'a str),
    Empty,
}

fn num(n: i64) -> Cell<'static> {
    Cell::Raw(n.to_string())
}

fn opt_num(n: Option<i64>) -> Cell<'static> {
    n.map_or(Cell::Empty, num)
}

fn time(t: DateTime<Utc>) -> Cell<'static> {
    Cell::Raw(t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true))
}

fn opt_time(t: Option<DateTime<Utc>>) -> Cell<'static> {
    t.map_or(Cell::Empty, time)
}

fn text(s: &str) -> Cell<'_> {
    Cell::Text(s)
}

fn opt_text(s: Option<&str>) -> Cell<'_> {
    s.map_or(Cell::Empty, Cell::Text)
}

/// Whether a spreadsheet could read the cell as a formula. Spreadsheets skip what they cannot
/// see and fold full-width forms (`＝` U+FF1D, `﹦` U+FE66, `＋`, `－`, `＠`) to ASCII, so the
/// test looks at the first character that is neither invisible (zero-width, bidi controls, the
/// byte-order mark, soft hyphen) nor white space, folded by NFKC.
fn looks_like_formula(value: &str) -> bool {
    if value.starts_with(['\t', '\r']) {
        return true;
    }
    let Some(first) = value
        .chars()
        .find(|&c| !c.is_whitespace() && !domain::text::is_invisible(c))
    else {
        return false;
    };
    let mut folded = std::iter::once(first).nfkc();
    folded
        .next()
        .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@'))
}

/// Appends one CRLF-terminated record. Quoting is the `csv` crate's (RFC 4180: a field with a
/// comma, a quote or a line break is quoted, quotes doubled); on top of it, a text cell a
/// spreadsheet would run as a formula gets a leading `'`.
pub fn push_row(out: &mut String, cells: &[Cell<'_>]) {
    let fields: Vec<std::borrow::Cow<'_, str>> = cells
        .iter()
        .map(|cell| match cell {
            Cell::Raw(v) => std::borrow::Cow::Borrowed(v.as_ref()),
            Cell::Text(v) if looks_like_formula(v) => std::borrow::Cow::Owned(format!("'{v}")),
            Cell::Text(v) => std::borrow::Cow::Borrowed(*v),
            Cell::Empty => std::borrow::Cow::Borrowed(""),
        })
        .collect();
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to memory cannot fail, and the fields are `str`, so the bytes are UTF-8.
    if writer
        .write_record(fields.iter().map(|f| f.as_bytes()))
        .is_ok()
    {
        if let Ok(bytes) = writer.into_inner() {
            out.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
}

fn header_chunk(kind: ExportKind) -> String {
    let mut out = String::from(BOM);
    let cells: Vec<Cell<'_>> = kind
        .header()
        .iter()
        .map(|h| Cell::Raw((*h).to_owned()))
        .collect();
    push_row(&mut out, &cells);
    out
}

/// Rows with id > `after`, formatted; returns the text, the last id and how many rows.
async fn page(
    db: &DatabaseConnection,
    kind: ExportKind,
    after: i64,
) -> Result<(String, i64, u64), ApiError> {
    let mut out = String::new();
    let (last, n) = match kind {
        ExportKind::Users => {
            let rows = users::Entity::find()
                .filter(users::Column::Id.gt(after))
                .order_by_asc(users::Column::Id)
                .limit(PAGE)
                .all(db)
                .await?;
            for u in &rows {
                push_row(
                    &mut out,
                    &[
                        num(u.id),
                        text(&u.username),
                        text(&u.display_name),
                        text(&u.email),
                        text(&u.role),
                        text(&u.status),
                        num(u.points_balance),
                        num(u.lifetime_earned),
                        text(&u.referral_code),
                        time(u.created_at),
                        opt_time(u.last_login_at),
                    ],
                );
            }
            (rows.last().map(|r| r.id), rows.len())
        }
        ExportKind::Transactions => {
            let rows = tx::Entity::find()
                .filter(tx::Column::Id.gt(after))
                .order_by_asc(tx::Column::Id)
                .limit(PAGE)
                .all(db)
                .await?;
            let mut ids: Vec<i64> = rows.iter().map(|r| r.user_id).collect();
            ids.extend(rows.iter().filter_map(|r| r.counterparty_id));
            ids.sort_unstable();
            ids.dedup();
            let names = super::users::usernames(db, ids).await?;
            for r in &rows {
                let label = LedgerKind::parse(&r.kind).map_or("", |k| k.label_ar());
                push_row(
                    &mut out,
                    &[
                        num(r.id),
                        time(r.created_at),
                        num(r.user_id),
                        opt_text(names.get(&r.user_id).map(String::as_str)),
                        num(r.amount),
                        num(r.balance_after),
                        text(&r.kind),
                        text(label),
                        opt_text(r.reason.as_deref()),
                        opt_text(r.reference_type.as_deref()),
                        opt_num(r.reference_id),
                        opt_text(
                            r.counterparty_id
                                .and_then(|id| names.get(&id))
                                .map(String::as_str),
                        ),
                        opt_num(r.actor_user_id),
                    ],
                );
            }
            (rows.last().map(|r| r.id), rows.len())
        }
        ExportKind::Redemptions => {
            let rows = reward_redemptions::Entity::find()
                .filter(reward_redemptions::Column::Id.gt(after))
                .order_by_asc(reward_redemptions::Column::Id)
                .limit(PAGE)
                .all(db)
                .await?;
            let names = super::users::usernames(db, rows.iter().map(|r| r.user_id)).await?;
            let reward_ids: Vec<i64> = rows.iter().map(|r| r.reward_id).collect();
            let reward_names: HashMap<i64, String> = if reward_ids.is_empty() {
                HashMap::new()
            } else {
                rewards::Entity::find()
                    .select_only()
                    .column(rewards::Column::Id)
                    .column(rewards::Column::Name)
                    .filter(rewards::Column::Id.is_in(reward_ids))
                    .into_tuple::<(i64, String)>()
                    .all(db)
                    .await?
                    .into_iter()
                    .collect()
            };
            for r in &rows {
                let label = RedemptionStatus::parse(&r.status).map_or("", |s| s.label_ar());
                push_row(
                    &mut out,
                    &[
                        num(r.id),
                        time(r.created_at),
                        num(r.user_id),
                        opt_text(names.get(&r.user_id).map(String::as_str)),
                        num(r.reward_id),
                        opt_text(reward_names.get(&r.reward_id).map(String::as_str)),
                        num(r.cost),
                        text(&r.status),
                        text(label),
                        opt_text(r.user_note.as_deref()),
                        opt_text(r.admin_note.as_deref()),
                        opt_time(r.decided_at),
                        opt_time(r.fulfilled_at),
                        opt_time(r.cancelled_at),
                    ],
                );
            }
            (rows.last().map(|r| r.id), rows.len())
        }
        ExportKind::Purchases => {
            let rows = purchase_records::Entity::find()
                .filter(purchase_records::Column::Id.gt(after))
                .order_by_asc(purchase_records::Column::Id)
                .limit(PAGE)
                .all(db)
                .await?;
            let names = super::users::usernames(db, rows.iter().map(|r| r.user_id)).await?;
            let package_ids: Vec<i64> = rows.iter().filter_map(|r| r.package_id).collect();
            let package_names: HashMap<i64, String> = if package_ids.is_empty() {
                HashMap::new()
            } else {
                points_packages::Entity::find()
                    .select_only()
                    .column(points_packages::Column::Id)
                    .column(points_packages::Column::Name)
                    .filter(points_packages::Column::Id.is_in(package_ids))
                    .into_tuple::<(i64, String)>()
                    .all(db)
                    .await?
                    .into_iter()
                    .collect()
            };
            for r in &rows {
                let label = PurchaseStatus::parse(&r.status).map_or("", |s| s.label_ar());
                push_row(
                    &mut out,
                    &[
                        num(r.id),
                        text(&r.reference),
                        time(r.created_at),
                        num(r.user_id),
                        opt_text(names.get(&r.user_id).map(String::as_str)),
                        opt_num(r.package_id),
                        opt_text(
                            r.package_id
                                .and_then(|id| package_names.get(&id))
                                .map(String::as_str),
                        ),
                        num(r.points),
                        num(r.bonus_points),
                        num(r.price_minor),
                        text(&r.currency),
                        text(&r.status),
                        text(label),
                        opt_text(r.payment_reference.as_deref()),
                        opt_time(r.paid_at),
                        opt_time(r.cancelled_at),
                        opt_text(r.note.as_deref()),
                    ],
                );
            }
            (rows.last().map(|r| r.id), rows.len())
        }
    };
    Ok((out, last.unwrap_or(after), n as u64))
}

struct Cursor {
    db: DatabaseConnection,
    kind: ExportKind,
    after: i64,
    started: bool,
    done: bool,
}

/// The whole export as a stream of chunks: the BOM and header, then one chunk per page.
/// A database error mid-way ends the stream with an error (the client sees a cut-off
/// download, and the cause is logged).
pub fn stream(
    db: DatabaseConnection,
    kind: ExportKind,
) -> impl Stream<Item = Result<Bytes, actix_web::Error>> {
    let start = Cursor {
        db,
        kind,
        after: 0,
        started: false,
        done: false,
    };
    futures_util::stream::unfold(start, |mut cur| async move {
        if cur.done {
            return None;
        }
        if !cur.started {
            cur.started = true;
            return Some((Ok(Bytes::from(header_chunk(cur.kind))), cur));
        }
        match page(&cur.db, cur.kind, cur.after).await {
            Ok((_, _, 0)) => None,
            Ok((chunk, last, n)) => {
                cur.after = last;
                cur.done = n < PAGE;
                Some((Ok(Bytes::from(chunk)), cur))
            }
            Err(err) => {
                tracing::error!(error = ?err, kind = cur.kind.as_str(), "CSV export failed");
                cur.done = true;
                Some((
                    Err(actix_web::error::ErrorInternalServerError("export failed")),
                    cur,
                ))
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_guards_cells() {
        let mut out = String::new();
        push_row(
            &mut out,
            &[
                num(-5),
                text("أحمد, \"الأول\""),
                text("=SUM(A1)"),
                Cell::Empty,
                text("سطر\nثان"),
            ],
        );
        assert_eq!(out, "-5,\"أحمد, \"\"الأول\"\"\",'=SUM(A1),,\"سطر\nثان\"\r\n");
        assert!(header_chunk(ExportKind::Users).starts_with("\u{feff}id,username,"));
    }

    fn cell(value: &str) -> String {
        let mut out = String::new();
        push_row(&mut out, &[text(value)]);
        out.trim_end_matches("\r\n").to_owned()
    }

    #[test]
    fn a_formula_behind_invisible_or_full_width_characters_is_guarded_too() {
        for (value, why) in [
            ("\u{feff}=HYPERLINK(\"x\")", "byte-order mark before ="),
            ("\u{200b}=1+1", "zero-width space before ="),
            (
                "\u{200b}\u{2060}\u{200d}+1",
                "several zero-width characters before +",
            ),
            ("\u{202e}=1", "a bidi override before ="),
            ("\u{00a0}=1", "a no-break space before ="),
            ("\u{3000}@SUM(A1)", "an ideographic space before @"),
            ("\u{ff1d}1+1", "full-width equals sign"),
            ("\u{ff0b}1", "full-width plus sign"),
            ("\u{ff0d}1", "full-width hyphen-minus"),
            ("\u{ff20}SUM(A1)", "full-width commercial at"),
            ("\u{fe66}1", "small equals sign"),
            (
                "\u{feff}\u{ff1d}1",
                "an invisible character, then a full-width =",
            ),
            ("\tabc", "a leading tab"),
        ] {
            assert!(
                cell(value).starts_with('\'') || cell(value).starts_with("\"'"),
                "{why}: {:?}",
                cell(value)
            );
        }
        for (value, why) in [
            ("أحمد", "Arabic text"),
            ("a=b", "an equals sign later on"),
            ("\u{200b}أحمد", "a zero-width space before ordinary text"),
            ("\u{ff21}bc", "a full-width letter"),
        ] {
            assert_eq!(cell(value), value, "{why}");
        }
    }
}
