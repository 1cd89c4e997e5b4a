//! Leaderboards: points earned (not spent) all-time, this month and this week (UTC).

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LeaderboardPeriod {
    All,
    Month,
    Week,
}

impl LeaderboardPeriod {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Month => "month",
            Self::Week => "week",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "all" => Some(Self::All),
            "month" => Some(Self::Month),
            "week" => Some(Self::Week),
            _ => None,
        }
    }

    /// When the period began (UTC midnight); `None` for all-time.
    pub fn start(self, now: DateTime<Utc>, week_start: WeekStart) -> Option<DateTime<Utc>> {
        let today = now.date_naive();
        let first: NaiveDate = match self {
            Self::All => return None,
            Self::Month => today.with_day(1)?,
            Self::Week => {
                let back = (7 + today.weekday().num_days_from_monday()
                    - week_start.weekday().num_days_from_monday())
                    % 7;
                today - Duration::days(i64::from(back))
            }
        };
        Some(first.and_hms_opt(0, 0, 0)?.and_utc())
    }
}

/// The first day of the leaderboard week (system setting `week_start`; Saturday by default,
/// as in most Arab countries).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WeekStart {
    #[default]
    Saturday,
    Sunday,
    Monday,
}

impl WeekStart {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "saturday" => Some(Self::Saturday),
            "sunday" => Some(Self::Sunday),
            "monday" => Some(Self::Monday),
            _ => None,
        }
    }

    pub fn weekday(self) -> Weekday {
        match self {
            Self::Saturday => Weekday::Sat,
            Self::Sunday => Weekday::Sun,
            Self::Monday => Weekday::Mon,
        }
    }
}

/// One line: equal points share a rank (1, 2, 2, 4); within a rank, lower user id first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeaderboardEntry {
    pub rank: i64,
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    /// Points earned in the period.
    pub points: i64,
}

/// The caller's own place, even outside the top N.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeaderboardMe {
    pub rank: i64,
    pub points: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Leaderboard {
    pub period: LeaderboardPeriod,
    /// Start of the period (UTC); null for all-time.
    pub since: Option<DateTime<Utc>>,
    pub entries: Vec<LeaderboardEntry>,
    /// Null for anonymous callers.
    pub me: Option<LeaderboardMe>,
    /// Where `entries` start in the whole ranking (0: the top; see `offset` and `around`).
    #[serde(default)]
    pub offset: i64,
    /// How many people are ranked in the period (everyone with points earned in it).
    #[serde(default)]
    pub total: i64,
}

/// The largest `offset` a leaderboard request may ask for.
pub const OFFSET_MAX: u64 = 10_000_000;

/// Which slice of the ranking a request wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// From this position (0: the top).
    From(u64),
    /// Centred on the caller (or the end of the list, below everyone, when they have no points).
    AroundMe,
}

impl Window {
    /// The first position to show, for a ranking of `total` rows where the caller is at
    /// `mine` (None: not ranked) and a page holds `limit` rows.
    pub fn start(self, total: usize, mine: Option<usize>, limit: usize) -> usize {
        match self {
            Self::From(n) => usize::try_from(n).unwrap_or(usize::MAX).min(total),
            Self::AroundMe => match mine {
                Some(i) => i.saturating_sub(limit / 2).min(total.saturating_sub(limit)),
                None => total.saturating_sub(limit.saturating_sub(1)),
            },
        }
    }
}

/// Competition ranking over rows already sorted by points descending: a row's rank is one more
/// than the number of rows with strictly more points.
pub fn competition_ranks(points: impl IntoIterator<Item = i64>) -> Vec<i64> {
    let mut out = Vec::new();
    let mut previous: Option<i64> = None;
    let mut rank = 0;
    for (i, p) in points.into_iter().enumerate() {
        if previous != Some(p) {
            rank = i as i64 + 1;
            previous = Some(p);
        }
        out.push(rank);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_start_where_asked_and_centre_on_the_caller() {
        assert_eq!(Window::From(0).start(500, None, 50), 0);
        assert_eq!(Window::From(120).start(500, None, 50), 120);
        assert_eq!(
            Window::From(9999).start(500, None, 50),
            500,
            "past the end: empty"
        );
        // Centred, clamped at both ends.
        assert_eq!(Window::AroundMe.start(500, Some(300), 50), 275);
        assert_eq!(Window::AroundMe.start(500, Some(3), 50), 0);
        assert_eq!(Window::AroundMe.start(500, Some(499), 50), 450);
        assert_eq!(Window::AroundMe.start(20, Some(10), 50), 0);
        // Not ranked: the last rows, leaving the caller's own line to follow them.
        assert_eq!(Window::AroundMe.start(500, None, 50), 451);
        assert_eq!(Window::AroundMe.start(10, None, 50), 0);
    }
    use chrono::TimeZone;

    #[test]
    fn week_starts_on_the_configured_day_at_utc_midnight() {
        // 2030-01-02 is a Wednesday.
        let now = Utc.with_ymd_and_hms(2030, 1, 2, 15, 30, 0).unwrap();
        let day = |d| Utc.with_ymd_and_hms(2029, 12, d, 0, 0, 0).unwrap();
        assert_eq!(
            LeaderboardPeriod::Week.start(now, WeekStart::Saturday),
            Some(day(29))
        );
        assert_eq!(
            LeaderboardPeriod::Week.start(now, WeekStart::Sunday),
            Some(day(30))
        );
        assert_eq!(
            LeaderboardPeriod::Week.start(now, WeekStart::Monday),
            Some(day(31))
        );
        // On the first day itself the week starts that midnight.
        let saturday = Utc.with_ymd_and_hms(2029, 12, 29, 0, 0, 1).unwrap();
        assert_eq!(
            LeaderboardPeriod::Week.start(saturday, WeekStart::Saturday),
            Some(day(29))
        );
        assert_eq!(
            LeaderboardPeriod::Month.start(now, WeekStart::Saturday),
            Some(Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap())
        );
        assert_eq!(LeaderboardPeriod::All.start(now, WeekStart::Saturday), None);
    }

    #[test]
    fn ties_share_a_rank_and_the_next_rank_skips() {
        assert_eq!(
            competition_ranks([50, 30, 30, 10, 10, 5]),
            vec![1, 2, 2, 4, 4, 6]
        );
        assert!(competition_ranks([]).is_empty());
    }
}
