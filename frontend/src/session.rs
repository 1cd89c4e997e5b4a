//! Who is signed in, shared through context. The token itself stays inside `api`.

use domain::users::{Role, User};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;

#[derive(Clone, Copy)]
pub struct Session {
    /// The signed-in user, kept current by every API answer that carries one.
    pub user: RwSignal<Option<User>>,
    /// False until the start-up refresh has answered, so pages do not flash the signed-out view.
    pub ready: RwSignal<bool>,
    /// A one-off notice for the login page ("signed out", "session ended").
    pub notice: RwSignal<Option<&'static str>>,
}

impl Session {
    /// Creates the session and restores it from the refresh cookie in the background.
    pub fn start() -> Self {
        let session = Self {
            user: RwSignal::new(None),
            ready: RwSignal::new(false),
            notice: RwSignal::new(None),
        };
        api::bind_user(session.user);
        if api::has_session_hint() {
            spawn_local(async move {
                // Failure just means "signed out"; the api module has already cleaned up.
                let _ = api::refresh().await;
                session.ready.set(true);
            });
        } else {
            session.ready.set(true);
        }
        session
    }

    pub fn is_admin(self) -> bool {
        self.user
            .with(|u| u.as_ref().is_some_and(|u| u.role == Role::Admin))
    }

    pub fn signed_in(self) -> bool {
        self.user.with(Option::is_some)
    }
}
