//! One WebSocket connection: authenticate (already done by `?token=`, or the first frame within
//! 5 s), register with the hub, then relay hub frames out and client frames in, with
//! heartbeats. The protocol is documented in docs/CHAT.md.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use actix_web::web;
use actix_ws::{CloseCode, CloseReason, Message, MessageStream, Session};
use domain::chat::{ClientFrame, ServerFrame};
use domain::ErrorCode;

use super::Event;
use crate::auth::extractors::{authenticate_token, still_signed_in};
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::services::chat as svc;
use crate::services::token_failures::Origin;
use crate::state::AppState;

/// A client that has not authenticated by then is closed.
pub const AUTH_TIMEOUT: Duration = Duration::from_secs(5);
/// The server pings this often…
pub const PING_EVERY: Duration = Duration::from_secs(20);
/// …and closes a connection it heard nothing from (no frame, no pong) for this long.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// The account is re-checked (token_version, status) this often, so logout-everywhere and
/// suspension also end open sockets.
const RECHECK_EVERY: Duration = Duration::from_secs(60);
/// One typing frame per room per this interval is forwarded.
const TYPING_EVERY: Duration = Duration::from_secs(2);
/// `resume` replays at most this many messages; the rest come from `GET …/messages?after=`.
const RESUME_BATCH: u64 = 200;
const RESUME_MAX: usize = 1000;
/// Client frames are small JSON objects.
const MAX_FRAME: usize = 16 * 1024;

/// Application close codes (4000–4999).
pub const CLOSE_UNAUTHORIZED: u16 = 4401;
pub const CLOSE_REVOKED: u16 = 4403;
pub const CLOSE_TOO_MANY: u16 = 4429;

fn close(code: u16, reason: &str) -> Option<CloseReason> {
    Some(CloseReason {
        code: CloseCode::Other(code),
        description: Some(reason.to_owned()),
    })
}

fn error_frame(code: ErrorCode, message: &str) -> String {
    serde_json::to_string(&ServerFrame::Error {
        code: code.as_str().to_owned(),
        message: message.to_owned(),
    })
    .unwrap_or_default()
}

fn frame(f: &ServerFrame) -> String {
    serde_json::to_string(f).unwrap_or_default()
}

/// Waits for `{"type":"auth","token":…}` as the first frame.
async fn first_frame_auth(
    state: &AppState,
    session: &mut Session,
    stream: &mut MessageStream,
    origin: &Origin,
) -> Result<AuthUser, ApiError> {
    let deadline = tokio::time::sleep(AUTH_TIMEOUT);
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            _ = &mut deadline => return Err(ApiError::Code(ErrorCode::Unauthorized)),
            msg = stream.recv() => match msg {
                Some(Ok(Message::Text(text))) => {
                    return match serde_json::from_str::<ClientFrame>(&text) {
                        Ok(ClientFrame::Auth { token }) => authenticate_token(state, token.trim(), origin).await,
                        _ => Err(ApiError::Code(ErrorCode::Unauthorized)),
                    };
                }
                Some(Ok(Message::Ping(bytes))) => {
                    let _ = session.pong(&bytes).await;
                }
                Some(Ok(Message::Pong(_))) | Some(Ok(Message::Nop)) => {}
                _ => return Err(ApiError::Code(ErrorCode::Unauthorized)),
            },
        }
    }
}

/// Same account, same token_version, session not ended, account active.
async fn still_valid(state: &AppState, user: &AuthUser) -> bool {
    // A database hiccup does not drop everyone; the next check decides.
    still_signed_in(state, user).await.unwrap_or(true)
}

/// Runs a connection to the end. `user` is `Some` when `?token=` was valid; `origin` is where
/// the connection came from, for the record of a refused `auth` frame.
pub async fn run(
    state: web::Data<AppState>,
    mut session: Session,
    stream: MessageStream,
    user: Option<AuthUser>,
    origin: Origin,
) {
    let _open = crate::metrics::SocketGauge::open();
    let mut stream = stream.max_frame_size(MAX_FRAME);
    let user = match user {
        Some(u) => u,
        None => match first_frame_auth(&state, &mut session, &mut stream, &origin).await {
            Ok(u) => u,
            Err(err) => {
                let body = err.body();
                let _ = session
                    .text(error_frame(err.code(), &body.error.message))
                    .await;
                let _ = session
                    .close(close(CLOSE_UNAUTHORIZED, err.code().as_str()))
                    .await;
                return;
            }
        },
    };
    let hub = state.chat.clone();
    let Some(registration) = hub.register(user.id) else {
        let _ = session
            .text(error_frame(
                ErrorCode::RateLimited,
                "اتصالات مفتوحة كثيرة لهذا الحساب؛ أغلق بعضها.",
            ))
            .await;
        let _ = session
            .close(close(CLOSE_TOO_MANY, "too_many_connections"))
            .await;
        return;
    };
    let conn_id = registration.id;
    let reason = Connection {
        state: &state,
        user: &user,
        origin: &origin,
        session: &mut session,
        typing: HashMap::new(),
    }
    .serve(&mut stream, registration.rx)
    .await;
    hub.unregister(user.id, conn_id);
    let _ = session.close(reason).await;
}

struct Connection<'a> {
    state: &'a AppState,
    user: &'a AuthUser,
    origin: &'a Origin,
    session: &'a mut Session,
    /// room → when its last typing frame was forwarded.
    typing: HashMap<i64, Instant>,
}

impl Connection<'_> {
    /// Returns the close reason.
    async fn serve(
        &mut self,
        stream: &mut MessageStream,
        mut outbound: tokio::sync::mpsc::Receiver<super::hub::Frame>,
    ) -> Option<CloseReason> {
        let ready = ServerFrame::Ready {
            user_id: self.user.id,
            username: self.user.username.clone(),
        };
        if self.session.text(frame(&ready)).await.is_err() {
            return None;
        }
        let mut last_heard = Instant::now();
        let mut last_check = Instant::now();
        let mut heartbeat = tokio::time::interval(PING_EVERY);
        heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        heartbeat.tick().await; // the first tick is immediate
        loop {
            tokio::select! {
                out = outbound.recv() => match out {
                    Some(text) => {
                        if self.session.text(text).await.is_err() {
                            return None;
                        }
                    }
                    // The hub dropped us: this client fell too far behind.
                    None => return Some(CloseReason {
                        code: CloseCode::Again,
                        description: Some("too slow; reconnect and resume".into()),
                    }),
                },
                msg = stream.recv() => {
                    last_heard = Instant::now();
                    match msg {
                        Some(Ok(Message::Text(text))) => {
                            if let Err(reason) = self.on_text(&text).await {
                                return reason;
                            }
                        }
                        Some(Ok(Message::Ping(bytes))) => {
                            if self.session.pong(&bytes).await.is_err() {
                                return None;
                            }
                        }
                        Some(Ok(Message::Pong(_))) | Some(Ok(Message::Nop)) => {}
                        Some(Ok(Message::Binary(_))) => {
                            let _ = self.session.text(error_frame(
                                ErrorCode::BadRequest,
                                "أرسل إطارات نصية بصيغة JSON.",
                            )).await;
                        }
                        Some(Ok(Message::Continuation(_))) => {
                            return Some(CloseReason {
                                code: CloseCode::Size,
                                description: Some("fragmented frames are not accepted".into()),
                            });
                        }
                        Some(Ok(Message::Close(_))) | None => return None,
                        Some(Err(_)) => return Some(CloseReason {
                            code: CloseCode::Protocol,
                            description: None,
                        }),
                    }
                }
                _ = heartbeat.tick() => {
                    if last_heard.elapsed() >= IDLE_TIMEOUT {
                        return Some(CloseReason {
                            code: CloseCode::Normal,
                            description: Some("idle".into()),
                        });
                    }
                    if last_check.elapsed() >= RECHECK_EVERY {
                        last_check = Instant::now();
                        if !still_valid(self.state, self.user).await {
                            let _ = self.session.text(error_frame(
                                ErrorCode::SessionRevoked,
                                ErrorCode::SessionRevoked.message_ar(),
                            )).await;
                            return close(CLOSE_REVOKED, "session_revoked");
                        }
                    }
                    if self.session.ping(b"").await.is_err() {
                        return None;
                    }
                }
            }
        }
    }

    /// Handles one client frame; `Err` ends the connection with that reason.
    async fn on_text(&mut self, text: &str) -> Result<(), Option<CloseReason>> {
        let parsed = match serde_json::from_str::<ClientFrame>(text) {
            Ok(f) => f,
            Err(_) => {
                return self
                    .reply(error_frame(
                        ErrorCode::InvalidJson,
                        "إطار غير مفهوم؛ راجع صيغة البروتوكول.",
                    ))
                    .await;
            }
        };
        match parsed {
            ClientFrame::Ping => self.reply(frame(&ServerFrame::Pong)).await,
            // Already authenticated; a fresh token is accepted silently if valid.
            ClientFrame::Auth { token } => {
                match authenticate_token(self.state, token.trim(), self.origin).await {
                    Ok(u) if u.id == self.user.id => Ok(()),
                    _ => {
                        let _ = self
                            .reply(error_frame(
                                ErrorCode::InvalidToken,
                                ErrorCode::InvalidToken.message_ar(),
                            ))
                            .await;
                        Err(close(CLOSE_UNAUTHORIZED, "invalid_token"))
                    }
                }
            }
            ClientFrame::Typing { room_id } => {
                let now = Instant::now();
                if self
                    .typing
                    .get(&room_id)
                    .is_some_and(|t| now.duration_since(*t) < TYPING_EVERY)
                {
                    return Ok(());
                }
                self.typing.insert(room_id, now);
                if matches!(
                    svc::typing_allowed(&self.state.db, room_id, self.user.id).await,
                    Ok(true)
                ) {
                    let _ = self
                        .state
                        .chat
                        .publish(Event::Typing {
                            room: room_id,
                            user: self.user.id,
                            username: self.user.username.clone(),
                        })
                        .await;
                }
                Ok(())
            }
            ClientFrame::Resume { last_message_id } => self.resume(last_message_id).await,
        }
    }

    async fn reply(&mut self, text: String) -> Result<(), Option<CloseReason>> {
        self.session.text(text).await.map_err(|_| None)
    }

    /// Sends every message in the user's rooms with an id above `after`, oldest first, then
    /// `resumed`. Live frames queued meanwhile follow it, so a message may arrive twice (clients
    /// de-duplicate by id) but never not at all.
    async fn resume(&mut self, after: i64) -> Result<(), Option<CloseReason>> {
        let mut cursor = after.max(0);
        let mut sent = 0usize;
        let mut complete = true;
        loop {
            let batch = match svc::messages_for_user_after(
                &self.state.db,
                self.user.id,
                cursor,
                RESUME_BATCH,
            )
            .await
            {
                Ok(b) => b,
                Err(_) => {
                    return self
                        .reply(error_frame(
                            ErrorCode::ServiceUnavailable,
                            ErrorCode::ServiceUnavailable.message_ar(),
                        ))
                        .await;
                }
            };
            let full = batch.len() as u64 == RESUME_BATCH;
            for message in batch {
                cursor = message.id;
                sent += 1;
                self.reply(frame(&ServerFrame::Message(message))).await?;
            }
            if !full {
                break;
            }
            if sent >= RESUME_MAX {
                complete = false;
                break;
            }
        }
        self.reply(frame(&ServerFrame::Resumed {
            last_message_id: cursor,
            complete,
        }))
        .await
    }
}
