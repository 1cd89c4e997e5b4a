//! Profile: personal details, password, signed-in devices, display preferences.

use domain::auth::{ChangePasswordRequest, Session as DeviceSession, UpdateMeRequest};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use crate::api::ApiError;
use crate::components::shell::DigitsSwitch;
use crate::components::{
    icons, initial, set_title, Field, FormMessages, FormState, Icon, Notice, Skeleton, SubmitButton,
};
use crate::format::Fmt;
use crate::session::Session;
use crate::{api, i18n};

#[component]
pub fn Profile() -> impl IntoView {
    set_title(i18n::PROFILE_TITLE);
    let session = expect_context::<Session>();
    let who = Memo::new(move |_| {
        session
            .user
            .with(|u| {
                u.as_ref()
                    .map(|u| (u.display_name.clone(), u.username.clone(), u.email.clone()))
            })
            .unwrap_or_default()
    });
    view! {
        <div class="page profile">
            <header class="page-head profile-head">
                <span class="avatar avatar-xl" aria-hidden="true">{move || initial(&who.get().0)}</span>
                <div>
                    <h1>{i18n::PROFILE_TITLE}</h1>
                    <p class="muted">{i18n::PROFILE_SUBTITLE}</p>
                </div>
            </header>
            <div class="profile-grid">
                <ProfileForm />
                <PasswordForm />
                <super::profile_totp::TwoFactor />
                <Sessions />
                <Preferences />
                <super::profile_data::MyData />
            </div>
        </div>
    }
}

#[component]
fn ProfileForm() -> impl IntoView {
    let session = expect_context::<Session>();
    let fmt = expect_context::<Fmt>();
    let (name0, email0, username) = session
        .user
        .with_untracked(|u| {
            u.as_ref()
                .map(|u| (u.display_name.clone(), u.email.clone(), u.username.clone()))
        })
        .unwrap_or_default();
    let display_name = RwSignal::new(name0);
    let email = RwSignal::new(email0);
    let form = FormState::new();

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if form.pending.get_untracked() {
            return;
        }
        let (cur_name, cur_email) = session
            .user
            .with_untracked(|u| {
                u.as_ref()
                    .map(|u| (u.display_name.clone(), u.email.clone()))
            })
            .unwrap_or_default();
        let name = display_name.get_untracked().trim().to_owned();
        let mail = email.get_untracked().trim().to_owned();
        // Send only what changed: PATCH semantics, and no needless email re-check.
        let req = UpdateMeRequest {
            display_name: (name != cur_name).then_some(name),
            email: (mail != cur_email).then_some(mail),
            locale: None,
        };
        if req.display_name.is_none() && req.email.is_none() {
            form.errors.set(Default::default());
            form.banner.set(None);
            form.success.set(Some(i18n::PROFILE_NOTHING.to_owned()));
            return;
        }
        if let Err(fields) = req.validate() {
            form.invalid(fields);
            return;
        }
        form.start();
        spawn_local(async move {
            match api::me::update(&req).await {
                Ok(user) => {
                    display_name.set(user.display_name);
                    email.set(user.email);
                    form.success.set(Some(i18n::PROFILE_SAVED.to_owned()));
                }
                Err(err) => form.failed(&err, fmt),
            }
            form.pending.set(false);
        });
    };

    view! {
        <section class="card" aria-labelledby="info-title">
            <div class="card-title">
                <span class="feature-icon tone-violet" aria-hidden="true" inner_html=icons::USER></span>
                <h2 id="info-title">{i18n::PROFILE_INFO}</h2>
            </div>
            <form class="form" novalidate=true on:submit=on_submit data-testid="profile-form">
                <FormMessages form=form />
                <div class="field">
                    <span class="label-like" id="username-label">{i18n::USERNAME_FIELD}</span>
                    <p class="readonly" role="group" aria-labelledby="username-label" aria-describedby="username-note">
                        <bdi dir="ltr">{format!("@{username}")}</bdi>
                    </p>
                    <p class="hint" id="username-note">{i18n::PROFILE_USERNAME_NOTE}</p>
                </div>
                <Field
                    name="display_name"
                    label=i18n::DISPLAY_NAME_FIELD
                    value=display_name
                    form=form
                    autocomplete="nickname"
                    hint=Signal::derive(|| i18n::DISPLAY_NAME_HINT.to_owned())
                />
                <Field
                    name="email"
                    label=i18n::EMAIL_FIELD
                    value=email
                    form=form
                    kind="email"
                    autocomplete="email"
                    dir="ltr"
                />
                <div class="form-actions">
                    <SubmitButton
                        label=i18n::PROFILE_SAVE
                        pending_label=i18n::PROFILE_SAVING
                        pending=form.pending
                    />
                </div>
            </form>
        </section>
    }
}

#[component]
fn PasswordForm() -> impl IntoView {
    let fmt = expect_context::<Fmt>();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let form = FormState::new();

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if form.pending.get_untracked() {
            return;
        }
        let req = ChangePasswordRequest {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
        };
        let mut fields = req.validate().err().unwrap_or_default();
        if !fields.contains_key("new_password") && confirm.get_untracked() != req.new_password {
            fields.insert("confirm_password".into(), i18n::PASSWORD_MISMATCH.into());
        }
        if !fields.is_empty() {
            form.invalid(fields);
            return;
        }
        form.start();
        spawn_local(async move {
            match api::me::change_password(&req).await {
                Ok(_) => {
                    current.set(String::new());
                    new.set(String::new());
                    confirm.set(String::new());
                    form.success.set(Some(i18n::PASSWORD_CHANGED.to_owned()));
                }
                Err(err) => form.failed(&err, fmt),
            }
            form.pending.set(false);
        });
    };

    view! {
        <section class="card" aria-labelledby="password-title">
            <div class="card-title">
                <span class="feature-icon tone-gold" aria-hidden="true" inner_html=icons::KEY></span>
                <h2 id="password-title">{i18n::PASSWORD_TITLE}</h2>
            </div>
            <p class="muted card-text">{i18n::PASSWORD_TEXT}</p>
            <form class="form" novalidate=true on:submit=on_submit data-testid="password-form">
                <FormMessages form=form />
                <Field
                    name="current_password"
                    label=i18n::CURRENT_PASSWORD_FIELD
                    value=current
                    form=form
                    kind="password"
                    autocomplete="current-password"
                    dir="ltr"
                />
                <Field
                    name="new_password"
                    label=i18n::NEW_PASSWORD_FIELD
                    value=new
                    form=form
                    kind="password"
                    autocomplete="new-password"
                    dir="ltr"
                    hint=Signal::derive(move || {
                        i18n::password_hint(&fmt.count(domain::validation::PASSWORD_MIN))
                    })
                />
                <Field
                    name="confirm_password"
                    label=i18n::CONFIRM_PASSWORD_FIELD
                    value=confirm
                    form=form
                    kind="password"
                    autocomplete="new-password"
                    dir="ltr"
                />
                <div class="form-actions">
                    <SubmitButton
                        label=i18n::PASSWORD_SUBMIT
                        pending_label=i18n::PASSWORD_PENDING
                        pending=form.pending
                    />
                </div>
            </form>
        </section>
    }
}

/// "Chrome on Linux", in Arabic, from a User-Agent string.
fn device_label(ua: Option<&str>) -> (String, bool) {
    let Some(ua) = ua.filter(|u| !u.trim().is_empty()) else {
        return (i18n::UNKNOWN_DEVICE.to_owned(), false);
    };
    let has = |needle: &str| ua.contains(needle);
    let browser = if has("Edg/") {
        i18n::BROWSER_EDGE
    } else if has("OPR/") || has("Opera") {
        i18n::BROWSER_OPERA
    } else if has("SamsungBrowser") {
        i18n::BROWSER_SAMSUNG
    } else if has("Firefox/") || has("FxiOS") {
        i18n::BROWSER_FIREFOX
    } else if has("Chrome/") || has("CriOS") || has("Chromium") {
        i18n::BROWSER_CHROME
    } else if has("Safari/") {
        i18n::BROWSER_SAFARI
    } else {
        i18n::BROWSER_APP
    };
    let (os, mobile) = if has("Android") {
        (i18n::OS_ANDROID, true)
    } else if has("iPhone") {
        (i18n::OS_IPHONE, true)
    } else if has("iPad") {
        (i18n::OS_IPAD, true)
    } else if has("Windows") {
        (i18n::OS_WINDOWS, false)
    } else if has("Mac OS X") || has("Macintosh") {
        (i18n::OS_MAC, false)
    } else if has("CrOS") {
        (i18n::OS_CHROMEOS, false)
    } else if has("Linux") {
        (i18n::OS_LINUX, false)
    } else {
        (i18n::OS_UNKNOWN, false)
    };
    (i18n::device(browser, os), mobile)
}

#[component]
fn Sessions() -> impl IntoView {
    let session = expect_context::<Session>();
    let fmt = expect_context::<Fmt>();
    let navigate = use_navigate();
    let list = RwSignal::new(None::<Result<Vec<DeviceSession>, ApiError>>);
    let ending = RwSignal::new(None::<String>);
    let note = RwSignal::new(None::<String>);
    let confirm_all = RwSignal::new(false);
    let all_pending = RwSignal::new(false);
    let all_error = RwSignal::new(None::<String>);

    let load = move || {
        spawn_local(async move {
            list.set(Some(api::me::sessions().await.map(|l| l.sessions)));
        })
    };
    load();

    let end = move |id: String| {
        if ending.get_untracked().is_some() {
            return;
        }
        ending.set(Some(id.clone()));
        note.set(None);
        spawn_local(async move {
            match api::me::end_session(&id).await {
                Ok(()) => {
                    list.update(|l| {
                        if let Some(Ok(items)) = l {
                            items.retain(|s| s.id != id);
                        }
                    });
                    note.set(Some(i18n::SESSION_ENDED_OK.to_owned()));
                }
                Err(err) => note.set(Some(err.message(|s| fmt.int(i64::from(s))))),
            }
            ending.set(None);
        });
    };

    let logout_all = move |_| {
        if all_pending.get_untracked() {
            return;
        }
        all_pending.set(true);
        all_error.set(None);
        session.notice.set(Some(i18n::SIGNED_OUT_ALL));
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::auth::logout_all().await {
                Ok(()) => navigate("/login", Default::default()),
                Err(err) => {
                    session.notice.set(None);
                    all_error.set(Some(err.message(|s| fmt.int(i64::from(s)))));
                    all_pending.set(false);
                }
            }
        });
    };

    let row = move |s: DeviceSession| {
        let (label, mobile) = device_label(s.user_agent.as_deref());
        let id = s.id.clone();
        let current = s.current;
        let busy = {
            let id = id.clone();
            move || ending.with(|e| e.as_deref() == Some(id.as_str()))
        };
        let ip = s.ip.clone().unwrap_or_else(|| i18n::UNKNOWN_IP.to_owned());
        view! {
            <li class="session" class:current=current data-testid="session">
                <span class="session-icon" aria-hidden="true" inner_html=if mobile { icons::PHONE } else { icons::MONITOR }></span>
                <div class="session-body">
                    <p class="session-title">
                        <span>{label}</span>
                        {current.then(|| view! { <span class="tag tag-green">{i18n::SESSION_CURRENT}</span> })}
                    </p>
                    <p class="session-meta">
                        <span>{i18n::SESSION_LAST_USED} ": " {move || fmt.relative(&s.last_used_at)}</span>
                        <span>{i18n::SESSION_STARTED} ": " {move || fmt.date(&s.created_at)}</span>
                        <span>{i18n::SESSION_IP} ": " <bdi dir="ltr">{ip}</bdi></span>
                    </p>
                </div>
                {(!current)
                    .then(|| {
                        let busy2 = busy.clone();
                        view! {
                            <button
                                type="button"
                                class="btn btn-outline-danger btn-sm"
                                disabled=busy
                                on:click=move |_| end(id.clone())
                            >
                                {move || if busy2() { i18n::SESSION_ENDING } else { i18n::SESSION_END }}
                            </button>
                        }
                    })}
            </li>
        }
    };

    view! {
        <section class="card sessions-card" aria-labelledby="sessions-title">
            <div class="card-title">
                <span class="feature-icon tone-teal" aria-hidden="true" inner_html=icons::MONITOR></span>
                <h2 id="sessions-title">{i18n::SESSIONS_TITLE}</h2>
            </div>
            <p class="muted card-text">{i18n::SESSIONS_TEXT}</p>
            <div aria-live="polite">{move || note.get().map(|n| view! { <Notice message=n /> })}</div>
            {move || match list.get() {
                None => view! { <Skeleton lines=3 /> }.into_any(),
                Some(Err(err)) => view! {
                    <Notice message=err.message(|s| fmt.int(i64::from(s))) kind="error" />
                    <button type="button" class="btn btn-soft btn-sm" on:click=move |_| load()>
                        {i18n::RETRY}
                    </button>
                }
                .into_any(),
                Some(Ok(items)) => {
                    let others = items.iter().filter(|s| !s.current).count();
                    view! {
                        <ul class="session-list">
                            {items.into_iter().map(row).collect_view()}
                        </ul>
                        {(others == 0).then(|| view! { <p class="muted small">{i18n::SESSIONS_EMPTY}</p> })}
                    }
                    .into_any()
                }
            }}
            <div class="danger-zone">
                {move || all_error.get().map(|m| view! { <Notice message=m kind="error" /> })}
                <Show
                    when=move || confirm_all.get()
                    fallback=move || {
                        view! {
                            <button
                                type="button"
                                class="btn btn-outline-danger"
                                data-testid="logout-all"
                                on:click=move |_| confirm_all.set(true)
                            >
                                <Icon svg=icons::LOGOUT />
                                <span>{i18n::LOGOUT_ALL}</span>
                            </button>
                        }
                    }
                >
                    <div class="confirm" role="group" aria-labelledby="confirm-all-text">
                        <p id="confirm-all-text">{i18n::LOGOUT_ALL_CONFIRM}</p>
                        <div class="actions">
                            <button
                                type="button"
                                class="btn btn-danger"
                                disabled=move || all_pending.get()
                                on:click=logout_all.clone()
                            >
                                {move || if all_pending.get() {
                                    view! { <span class="spinner" aria-hidden="true"></span> <span>{i18n::SIGNING_OUT}</span> }.into_any()
                                } else {
                                    view! { <span>{i18n::LOGOUT_ALL_YES}</span> }.into_any()
                                }}
                            </button>
                            <button type="button" class="btn btn-ghost" on:click=move |_| confirm_all.set(false)>
                                {i18n::CANCEL}
                            </button>
                        </div>
                    </div>
                </Show>
            </div>
        </section>
    }
}

#[component]
fn Preferences() -> impl IntoView {
    view! {
        <section class="card prefs-card" aria-labelledby="prefs-title">
            <div class="card-title">
                <span class="feature-icon tone-violet" aria-hidden="true" inner_html=icons::SLIDERS></span>
                <h2 id="prefs-title">{i18n::PREFS_TITLE}</h2>
            </div>
            <p class="muted card-text">{i18n::PREFS_DIGITS_TEXT}</p>
            <DigitsSwitch group="digits-profile" />
            <p class="muted small prefs-theme">{i18n::PREFS_THEME_TEXT}</p>
        </section>
    }
}
