//! A record's own address inside a section: `/admin?tab=TAB&PARAM=ID` (a user's page is
//! `?tab=users&user=42`, a competition `?tab=competitions&competition=7`, a reward
//! `?tab=rewards&reward=3`, a package `?tab=packages&package=2`; and, kept as they were, a
//! purchase by reference `?tab=purchases&reference=MQ-…`, a held transfer
//! `?tab=held-transfers&focus=4`, an API key `?tab=api-keys&key=1`). Opening a record pushes
//! its address, so "back" closes it and a reload or a shared link opens it again; closing it
//! replaces the address with the section's.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

type Navigate = Box<dyn Fn(&str, NavigateOptions)>;

#[derive(Clone, Copy)]
pub struct DeepLink {
    tab: &'static str,
    param: &'static str,
    value: Memo<Option<String>>,
    navigate: StoredValue<Navigate, LocalStorage>,
}

impl DeepLink {
    /// Call while the panel is being built.
    pub fn new(tab: &'static str, param: &'static str) -> Self {
        let query = use_query_map();
        let nav = use_navigate();
        Self {
            tab,
            param,
            value: Memo::new(move |_| query.with(|q| q.get(param)).filter(|v| !v.is_empty())),
            navigate: StoredValue::new_local(Box::new(move |path: &str, opts| nav(path, opts))),
        }
    }

    /// The parameter as the address has it now (`"new"`, `"42"`).
    pub fn get(self) -> Option<String> {
        self.value.get()
    }

    /// The parameter as a record id.
    pub fn id(self) -> Option<i64> {
        self.value
            .with(|v| v.as_deref().and_then(|v| v.parse().ok()))
    }

    pub fn id_untracked(self) -> Option<i64> {
        self.value
            .with_untracked(|v| v.as_deref().and_then(|v| v.parse().ok()))
    }

    /// Puts `value` in the address (pushed: "back" returns to the list).
    pub fn open(self, value: impl std::fmt::Display) {
        self.go(
            &format!("/admin?tab={}&{}={value}", self.tab, self.param),
            false,
        );
    }

    /// Swaps the open record for another without a new history entry (a new record saved).
    pub fn replace(self, value: impl std::fmt::Display) {
        self.go(
            &format!("/admin?tab={}&{}={value}", self.tab, self.param),
            true,
        );
    }

    /// Back to the section's own address, if a record is in it.
    pub fn close(self) {
        if self.value.with_untracked(Option::is_some) {
            self.go(&format!("/admin?tab={}", self.tab), true);
        }
    }

    fn go(self, path: &str, replace: bool) {
        let opts = NavigateOptions {
            replace,
            scroll: false,
            ..Default::default()
        };
        self.navigate.with_value(|nav| nav(path, opts));
    }
}
