//! /api/v1/me/totp/* and /api/v1/auth/step-up, and the prompt the request layer raises when a
//! sensitive admin action needs a fresh confirmation.

use std::cell::{Cell, RefCell};

use domain::totp::{
    ConfirmRequest, RecoveryCodes, StepUpResponse, TotpCodeRequest, TotpSetup, TotpStatus,
};
use futures::channel::oneshot;
use gloo_net::http::Method;
use leptos::prelude::*;

use super::{call, empty, get, send, to_json, ApiError};

pub async fn status() -> Result<TotpStatus, ApiError> {
    get("/me/totp").await
}

pub async fn setup() -> Result<TotpSetup, ApiError> {
    call(Method::POST, "/me/totp/setup", &serde_json::json!({})).await
}

pub async fn enable(code: &str) -> Result<RecoveryCodes, ApiError> {
    call(
        Method::POST,
        "/me/totp/enable",
        &TotpCodeRequest {
            code: code.to_owned(),
        },
    )
    .await
}

pub async fn disable(code: &str) -> Result<(), ApiError> {
    let body = to_json(&ConfirmRequest {
        password: None,
        code: Some(code.to_owned()),
    })?;
    empty(send(Method::POST, "/me/totp/disable", Some(body)).await?).await
}

pub async fn step_up(req: &ConfirmRequest) -> Result<StepUpResponse, ApiError> {
    call(Method::POST, "/auth/step-up", req).await
}

thread_local! {
    static PROMPT: Cell<Option<RwSignal<bool>>> = const { Cell::new(None) };
    static ANSWER: RefCell<Option<oneshot::Sender<bool>>> = const { RefCell::new(None) };
}

/// Connects the request layer to the app's step-up dialog (called once at start-up).
pub fn bind_prompt(open: RwSignal<bool>) {
    PROMPT.with(|p| p.set(Some(open)));
}

/// Opens the dialog and waits for the person: true once `/auth/step-up` succeeded.
pub async fn ask_step_up() -> bool {
    let Some(open) = PROMPT.with(Cell::get) else {
        return false;
    };
    let (tx, rx) = oneshot::channel();
    // A second prompt while one is open replaces it; the first caller gets a refusal.
    if let Some(previous) = ANSWER.with(|a| a.borrow_mut().replace(tx)) {
        let _ = previous.send(false);
    }
    open.set(true);
    rx.await.unwrap_or(false)
}

/// Closes the dialog with the person's answer.
pub fn answer_step_up(confirmed: bool) {
    if let Some(open) = PROMPT.with(Cell::get) {
        open.set(false);
    }
    if let Some(tx) = ANSWER.with(|a| a.borrow_mut().take()) {
        let _ = tx.send(confirmed);
    }
}
