//! What an API key may do. Two families that never overlap:
//!
//! - **participant scopes** (`points:write`, `chat:read`, …) let a key act as its owner on the
//!   routes every signed-in person has (their balance, their transfers, their chats). They never
//!   open a route under `/api/v1/admin`, whoever owns the key.
//! - **admin scopes** (`admin:points:write`, `admin:users:read`, …), one per admin power, open
//!   admin routes. Only a **service** key can carry them, and only an admin creates keys.
//!
//! The route table that maps every route to one scope lives in the server (`auth::scopes`).

use serde::{Deserialize, Serialize};

/// Who a key is: a person acting on their own account, or a system doing admin work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ApiKeyKind {
    /// Acts as its owner (always its creator) on participant routes only; participant scopes only.
    #[default]
    Personal,
    /// Created by an admin for a system: may carry admin scopes (and participant scopes, which
    /// act as the creating admin). Point awards through it are held to the key's ceilings.
    Service,
}

impl ApiKeyKind {
    pub const ALL: [ApiKeyKind; 2] = [Self::Personal, Self::Service];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Personal => "personal",
            Self::Service => "service",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }

    pub fn label_ar(self) -> &'static str {
        match self {
            Self::Personal => "مفتاح شخصي",
            Self::Service => "مفتاح خدمة",
        }
    }
}

/// Declares the scopes once: the enum (with its wire names), `ALL` in picker order, the wire name
/// and the Arabic label.
macro_rules! scopes {
    ($($variant:ident = $wire:tt, $label:literal;)+) => {
        /// One scope. Each route of the API requires exactly one (or refuses keys altogether).
        // (`$wire` is a `tt`, not a `literal`: utoipa does not see a `literal` fragment inside
        // `#[serde(rename = …)]` and documented the Rust variant names instead of the wire names.)
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum ApiScope {
            $(#[serde(rename = $wire)] $variant,)+
        }

        impl ApiScope {
            /// Every scope, participant scopes first, in the order the picker shows them.
            pub const ALL: &'static [ApiScope] = &[$(Self::$variant,)+];

            /// The wire name (`points:write`, `admin:points:write`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $wire,)+
                }
            }

            /// Arabic label for the scope picker and for error messages.
            pub fn label_ar(self) -> &'static str {
                match self {
                    $(Self::$variant => $label,)+
                }
            }
        }
    };
}

scopes! {
    // Participant scopes: the key's owner on their own account.
    CompetitionsRead = "competitions:read", "قراءة المسابقات ولوحات المتصدرين";
    CompetitionsWrite = "competitions:write", "الانضمام إلى المسابقات والإجابة فيها";
    PointsRead = "points:read", "قراءة الرصيد وسجل النقاط";
    PointsWrite = "points:write", "تحويل النقاط من رصيد المالك";
    RewardsRead = "rewards:read", "قراءة كتالوج المكافآت";
    RedemptionsRead = "redemptions:read", "قراءة طلبات الاستبدال الخاصة بالمالك";
    RedemptionsWrite = "redemptions:write", "طلب الاستبدال وإلغاؤه";
    PurchasesRead = "purchases:read", "قراءة الباقات ومشتريات المالك";
    PurchasesWrite = "purchases:write", "طلب شراء باقة";
    ReferralsRead = "referrals:read", "قراءة الدعوات (تحدي الصديق)";
    ChatRead = "chat:read", "قراءة المحادثات";
    ChatWrite = "chat:write", "إرسال الرسائل والانضمام إلى الغرف";
    NotificationsRead = "notifications:read", "قراءة الإشعارات";
    NotificationsWrite = "notifications:write", "تعليم الإشعارات كمقروءة";
    // Admin scopes: one admin power each, service keys only.
    AdminUsersRead = "admin:users:read", "البحث في المستخدمين وعرض حساباتهم";
    AdminUsersWrite = "admin:users:write", "تغيير أدوار المستخدمين وحالاتهم";
    AdminPointsWrite = "admin:points:write", "منح النقاط وخصمها ضمن سقوف المفتاح";
    AdminLedgerRead = "admin:ledger:read", "قراءة دفاتر النقاط لجميع المستخدمين وفحصها";
    AdminCompetitionsRead = "admin:competitions:read", "قراءة المسابقات وأسئلتها ومشاركيها";
    AdminCompetitionsWrite = "admin:competitions:write", "إنشاء المسابقات وتعديلها ونشرها واعتماد نتائجها";
    AdminRewardsRead = "admin:rewards:read", "قراءة كتالوج المكافآت كاملًا";
    AdminRewardsWrite = "admin:rewards:write", "إدارة المكافآت";
    AdminRedemptionsRead = "admin:redemptions:read", "قراءة طلبات الاستبدال لجميع المستخدمين";
    AdminRedemptionsWrite = "admin:redemptions:write", "قبول طلبات الاستبدال ورفضها وتسليمها";
    AdminPackagesRead = "admin:packages:read", "قراءة باقات النقاط كاملة";
    AdminPackagesWrite = "admin:packages:write", "إدارة باقات النقاط";
    AdminPurchasesRead = "admin:purchases:read", "قراءة عمليات الشراء لجميع المستخدمين";
    AdminPurchasesWrite = "admin:purchases:write", "تسجيل عمليات الشراء وتأكيد دفعها وإلغاؤها";
    AdminReferralsRead = "admin:referrals:read", "قراءة الدعوات (تحدي الصديق) ومراجعتها";
    AdminReferralsWrite = "admin:referrals:write", "قبول الدعوات المعلّقة ورفضها";
    AdminChatRead = "admin:chat:read", "قراءة غرف المحادثة كلها";
    AdminChatWrite = "admin:chat:write", "إنشاء غرف المحادثة وتعديلها وحذفها";
    AdminInboxRead = "admin:inbox:read", "قراءة تنبيهات الإدارة";
    AdminInboxWrite = "admin:inbox:write", "تعليم تنبيهات الإدارة كمقروءة";
    AdminSettingsRead = "admin:settings:read", "قراءة إعدادات المنصة";
    AdminSettingsWrite = "admin:settings:write", "تعديل إعدادات المنصة";
    AdminStatsRead = "admin:stats:read", "قراءة إحصاءات لوحة التحكم";
    AdminAuditRead = "admin:audit:read", "قراءة سجل التدقيق";
    AdminExportsRead = "admin:exports:read", "تنزيل ملفات التصدير (CSV)";
}

/// Every admin scope starts with this.
pub const ADMIN_PREFIX: &str = "admin:";

impl ApiScope {
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|s| s.as_str() == value)
    }

    /// An admin power (`admin:…`): opens admin routes, service keys only.
    pub fn is_admin(self) -> bool {
        self.as_str().starts_with(ADMIN_PREFIX)
    }

    /// The resource the scope is about, without the family: `points` for both `points:read` and
    /// `admin:points:write` (the picker groups by it).
    pub fn area(self) -> &'static str {
        let name = self.as_str();
        let name = name.strip_prefix(ADMIN_PREFIX).unwrap_or(name);
        name.split_once(':').map_or(name, |(area, _)| area)
    }

    /// Whether the scope changes something (`…:write`) rather than reads.
    pub fn writes(self) -> bool {
        self.as_str().ends_with(":write")
    }

    /// Participant scopes, in picker order.
    pub fn participant() -> impl Iterator<Item = ApiScope> {
        Self::ALL.iter().copied().filter(|s| !s.is_admin())
    }

    /// Admin scopes, in picker order.
    pub fn admin() -> impl Iterator<Item = ApiScope> {
        Self::ALL.iter().copied().filter(|s| s.is_admin())
    }

    /// Names that used to be scopes for admin routes only and are now admin scopes under a new
    /// name (`users:read` → `admin:users:read`), so a request using the old name is told where
    /// it went instead of only "unknown scope".
    pub fn renamed(old: &str) -> Option<ApiScope> {
        Some(match old {
            "users:read" => Self::AdminUsersRead,
            "users:write" => Self::AdminUsersWrite,
            "rewards:write" => Self::AdminRewardsWrite,
            "referrals:write" => Self::AdminReferralsWrite,
            "settings:read" => Self::AdminSettingsRead,
            "settings:write" => Self::AdminSettingsWrite,
            "stats:read" => Self::AdminStatsRead,
            "audit:read" => Self::AdminAuditRead,
            "ledger:read" => Self::AdminLedgerRead,
            "exports:read" => Self::AdminExportsRead,
            _ => return None,
        })
    }
}

impl std::fmt::Display for ApiScope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn scope_names_round_trip_through_serde_and_parse() {
        let mut seen = HashSet::new();
        for &scope in ApiScope::ALL {
            assert!(seen.insert(scope.as_str()), "{scope} twice");
            assert_eq!(ApiScope::parse(scope.as_str()), Some(scope));
            assert_eq!(
                serde_json::to_value(scope).unwrap(),
                serde_json::json!(scope.as_str())
            );
            assert!(!scope.label_ar().is_empty());
            assert!(
                scope.as_str().ends_with(":read") || scope.writes(),
                "{scope}"
            );
        }
        assert_eq!(ApiScope::parse("points:delete"), None);
        assert_eq!(ApiScope::parse("admin:points"), None);
    }

    #[test]
    fn the_two_families_are_apart_and_participant_scopes_come_first() {
        let first_admin = ApiScope::ALL.iter().position(|s| s.is_admin()).unwrap();
        assert!(ApiScope::ALL[..first_admin].iter().all(|s| !s.is_admin()));
        assert!(ApiScope::ALL[first_admin..].iter().all(|s| s.is_admin()));
        assert_eq!(
            ApiScope::participant().count() + ApiScope::admin().count(),
            ApiScope::ALL.len()
        );
        assert_eq!(ApiScope::AdminPointsWrite.area(), "points");
        assert_eq!(ApiScope::PointsRead.area(), "points");
        assert!(ApiScope::AdminPointsWrite.writes());
        assert!(!ApiScope::AdminLedgerRead.writes());
    }

    #[test]
    fn old_admin_only_names_are_not_scopes_and_say_where_they_went() {
        for old in [
            "users:read",
            "settings:write",
            "ledger:read",
            "exports:read",
        ] {
            assert_eq!(ApiScope::parse(old), None, "{old}");
            let new = ApiScope::renamed(old).unwrap();
            assert!(new.is_admin());
            assert_eq!(new.as_str(), format!("admin:{old}"));
        }
        assert_eq!(ApiScope::renamed("points:write"), None);
    }

    #[test]
    fn kinds_round_trip() {
        for kind in ApiKeyKind::ALL {
            assert_eq!(ApiKeyKind::parse(kind.as_str()), Some(kind));
            assert_eq!(
                serde_json::to_value(kind).unwrap(),
                serde_json::json!(kind.as_str())
            );
        }
        assert_eq!(ApiKeyKind::default(), ApiKeyKind::Personal);
    }
}
