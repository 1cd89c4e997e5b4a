//! The hub: this process's WebSocket connections by user, a cache of room memberships, and the
//! task that turns [`Event`]s (PostgreSQL NOTIFY, or the in-process channel on SQLite) into
//! frames for the local connections.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Duration;

use bytestring::ByteString;
use domain::chat::ServerFrame;
use sea_orm::sqlx::postgres::PgListener;
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, Statement};
use tokio::sync::mpsc;

use super::events::{Event, CHANNEL};
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::services::chat as svc;

/// Frames queued for one connection before it counts as too slow and is closed (the client
/// reconnects and resumes, so nothing is lost).
pub const CONNECTION_QUEUE: usize = 512;
/// More connections than this per user are refused.
pub const MAX_CONNECTIONS_PER_USER: usize = 16;
/// At most this many messages are replayed after the NOTIFY connection was lost.
const RECOVERY_BATCH: u64 = 1000;

/// A frame serialised once and shared by every connection it goes to.
pub type Frame = ByteString;

struct Conn {
    id: u64,
    tx: mpsc::Sender<Frame>,
}

/// A registered connection: read frames from `rx`; call [`Hub::unregister`] when done. When
/// `rx` yields `None` the hub dropped the connection (too slow): close the socket.
pub struct Registration {
    pub id: u64,
    pub rx: mpsc::Receiver<Frame>,
}

pub struct Hub {
    db: DatabaseConnection,
    postgres: bool,
    local_tx: mpsc::UnboundedSender<Event>,
    local_rx: Mutex<Option<mpsc::UnboundedReceiver<Event>>>,
    conns: RwLock<HashMap<i64, Vec<Conn>>>,
    /// room id → member user ids, filled on demand, dropped on `Members` events.
    members: Mutex<HashMap<i64, Arc<HashSet<i64>>>>,
    next_id: AtomicU64,
}

/// The delivery task; aborted when dropped (with the application).
pub struct HubTask(tokio::task::JoinHandle<()>);

impl Drop for HubTask {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// `SELECT pg_notify(channel, payload)`: delivered when (and only if) the transaction commits.
async fn pg_notify(conn: &impl ConnectionTrait, event: &Event) -> Result<(), ApiError> {
    conn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT pg_notify($1, $2)",
        [CHANNEL.into(), event.to_payload().into()],
    ))
    .await?;
    Ok(())
}

impl Hub {
    pub fn new(db: DatabaseConnection) -> Self {
        let (local_tx, local_rx) = mpsc::unbounded_channel();
        Self {
            postgres: db::is_postgres(&db),
            db,
            local_tx,
            local_rx: Mutex::new(Some(local_rx)),
            conns: RwLock::new(HashMap::new()),
            members: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(1),
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.postgres
    }

    /// Starts the delivery task (once). On PostgreSQL it LISTENs on its own connection to
    /// `database_url` (not one of the pool's), reconnecting with backoff.
    pub fn start(self: &Arc<Self>, database_url: String) -> HubTask {
        let local_rx = lock(&self.local_rx).take();
        let hub = Arc::clone(self);
        HubTask(tokio::spawn(async move {
            let mut dispatcher = Dispatcher {
                hub,
                last_dispatched: 0,
                replayed_up_to: 0,
            };
            if dispatcher.hub.postgres {
                dispatcher.listen(&database_url).await;
            } else if let Some(mut rx) = local_rx {
                while let Some(event) = rx.recv().await {
                    dispatcher.dispatch(event).await;
                }
            }
        }))
    }

    /// Runs `f` in a database transaction (with the usual retries) and publishes the events it
    /// returns: on PostgreSQL by NOTIFY inside the same transaction, so an event exists exactly
    /// when the change committed; on SQLite through the in-process channel after the commit.
    pub async fn transaction<T, F, Fut>(&self, f: F) -> ApiResult<T>
    where
        F: Fn(Arc<DatabaseTransaction>) -> Fut,
        Fut: Future<Output = ApiResult<(T, Vec<Event>)>>,
    {
        let postgres = self.postgres;
        let (value, events) = db::transaction(&self.db, |txn| {
            let work = f(Arc::clone(&txn));
            async move {
                let (value, events) = work.await?;
                if postgres {
                    for event in &events {
                        pg_notify(&*txn, event).await?;
                    }
                }
                Ok((value, events))
            }
        })
        .await?;
        if !postgres {
            for event in events {
                let _ = self.local_tx.send(event);
            }
        }
        Ok(value)
    }

    /// Publishes an event that is not tied to a database change (typing).
    pub async fn publish(&self, event: Event) -> ApiResult<()> {
        if self.postgres {
            pg_notify(&self.db, &event).await
        } else {
            let _ = self.local_tx.send(event);
            Ok(())
        }
    }

    pub fn register(&self, user_id: i64) -> Option<Registration> {
        let (tx, rx) = mpsc::channel(CONNECTION_QUEUE);
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut conns = self.conns.write().unwrap_or_else(PoisonError::into_inner);
        let list = conns.entry(user_id).or_default();
        if list.len() >= MAX_CONNECTIONS_PER_USER {
            return None;
        }
        list.push(Conn { id, tx });
        Some(Registration { id, rx })
    }

    pub fn unregister(&self, user_id: i64, conn_id: u64) {
        let mut conns = self.conns.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(list) = conns.get_mut(&user_id) {
            list.retain(|c| c.id != conn_id);
            if list.is_empty() {
                conns.remove(&user_id);
            }
        }
    }

    /// Connections in this process.
    pub fn connection_count(&self) -> usize {
        self.conns
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .map(Vec::len)
            .sum()
    }

    fn connected<'a>(&self, users: impl IntoIterator<Item = &'a i64>) -> Vec<i64> {
        let conns = self.conns.read().unwrap_or_else(PoisonError::into_inner);
        if conns.is_empty() {
            return Vec::new();
        }
        users
            .into_iter()
            .filter(|u| conns.contains_key(u))
            .copied()
            .collect()
    }

    /// Queues a frame for every connection of these users. A connection whose queue is full
    /// is dropped: its task sees the channel close and closes the socket.
    fn send_to(&self, users: &[i64], frame: &Frame) {
        let mut dead = Vec::new();
        {
            let conns = self.conns.read().unwrap_or_else(PoisonError::into_inner);
            for user in users {
                for conn in conns.get(user).into_iter().flatten() {
                    if conn.tx.try_send(frame.clone()).is_err() {
                        dead.push((*user, conn.id));
                    }
                }
            }
        }
        for (user, id) in dead {
            tracing::info!(
                user,
                conn = id,
                "closing a chat connection that fell behind"
            );
            self.unregister(user, id);
        }
    }

    pub fn send_frame(&self, users: &[i64], frame: &ServerFrame) {
        if let Ok(json) = serde_json::to_string(frame) {
            self.send_to(users, &ByteString::from(json));
        }
    }

    /// The members of a room, from the cache or the database.
    pub async fn members_of(&self, room: i64) -> ApiResult<Arc<HashSet<i64>>> {
        if let Some(set) = lock(&self.members).get(&room) {
            return Ok(Arc::clone(set));
        }
        let set = Arc::new(
            svc::member_ids(&self.db, room)
                .await?
                .into_iter()
                .collect::<HashSet<_>>(),
        );
        lock(&self.members).insert(room, Arc::clone(&set));
        Ok(set)
    }

    fn forget_room(&self, room: i64) -> Option<Arc<HashSet<i64>>> {
        lock(&self.members).remove(&room)
    }
}

/// State of the one task that delivers events in order.
struct Dispatcher {
    hub: Arc<Hub>,
    /// The largest message id handled so far: where a replay after a lost connection starts.
    last_dispatched: i64,
    /// Messages up to this id were replayed after a reconnect; their late NOTIFYs are skipped.
    replayed_up_to: i64,
}

impl Dispatcher {
    async fn listen(&mut self, database_url: &str) {
        let mut backoff = Duration::from_millis(200);
        let mut connected_before = false;
        loop {
            let mut listener = match PgListener::connect(database_url).await {
                Ok(l) => l,
                Err(err) => {
                    tracing::warn!(error = %err, ?backoff, "chat: cannot connect the NOTIFY listener; retrying");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(Duration::from_secs(10));
                    continue;
                }
            };
            if let Err(err) = listener.listen(CHANNEL).await {
                tracing::warn!(error = %err, "chat: LISTEN failed; retrying");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(10));
                continue;
            }
            backoff = Duration::from_millis(200);
            if connected_before {
                self.recover().await;
            } else {
                // Messages before start-up are never replayed; only what follows is delivered.
                self.last_dispatched = svc::max_message_id(&self.hub.db).await.unwrap_or(0);
                connected_before = true;
            }
            loop {
                match listener.try_recv().await {
                    Ok(Some(note)) => match serde_json::from_str::<Event>(note.payload()) {
                        Ok(event) => self.dispatch(event).await,
                        Err(err) => tracing::warn!(error = %err, "chat: unreadable NOTIFY payload"),
                    },
                    // Lost and re-established (sqlx LISTENs again): notifications in between
                    // are gone, so replay from the database.
                    Ok(None) => {
                        tracing::warn!("chat: NOTIFY connection was re-established; replaying");
                        self.recover().await;
                    }
                    Err(err) => {
                        tracing::warn!(error = %err, "chat: NOTIFY listener failed; reconnecting");
                        break;
                    }
                }
            }
            tokio::time::sleep(backoff).await;
        }
    }

    /// After notifications may have been missed: forget cached memberships (invalidations may be
    /// among the lost) and deliver every message newer than the last one handled.
    async fn recover(&mut self) {
        lock(&self.hub.members).clear();
        match svc::message_ids_after(&self.hub.db, self.last_dispatched, RECOVERY_BATCH).await {
            Ok(rows) => {
                let upto = rows.last().map(|r| r.0);
                for (id, room) in rows {
                    self.deliver_message(id, room, false).await;
                }
                if let Some(upto) = upto {
                    self.replayed_up_to = upto;
                }
            }
            Err(err) => tracing::warn!(error = %err, "chat: replay after reconnect failed"),
        }
    }

    async fn dispatch(&mut self, event: Event) {
        match event {
            Event::Message { id, room } => {
                if id <= self.replayed_up_to {
                    return;
                }
                self.deliver_message(id, room, false).await;
            }
            Event::Updated { id, room } => self.deliver_message(id, room, true).await,
            Event::Members { room, users } => {
                self.hub.forget_room(room);
                let targets = self.hub.connected(&users);
                if !targets.is_empty() {
                    self.hub
                        .send_frame(&targets, &ServerFrame::RoomsChanged { room_id: room });
                }
            }
            Event::RoomDeleted { room, users } => {
                let mut all: HashSet<i64> = users.into_iter().collect();
                if let Some(cached) = self.hub.forget_room(room) {
                    all.extend(cached.iter().copied());
                }
                let targets = self.hub.connected(&all);
                if !targets.is_empty() {
                    self.hub
                        .send_frame(&targets, &ServerFrame::RoomsChanged { room_id: room });
                }
            }
            Event::Typing {
                room,
                user,
                username,
            } => {
                let Ok(members) = self.hub.members_of(room).await else {
                    return;
                };
                let targets: Vec<i64> = self.hub.connected(members.iter().filter(|m| **m != user));
                if !targets.is_empty() {
                    self.hub.send_frame(
                        &targets,
                        &ServerFrame::Typing {
                            room_id: room,
                            user_id: user,
                            username,
                        },
                    );
                }
            }
            Event::Read {
                room,
                user,
                upto,
                direct,
            } => {
                self.hub.send_frame(
                    &[user],
                    &ServerFrame::Read {
                        room_id: room,
                        last_read_message_id: upto,
                    },
                );
                // Read ticks: the other person of a direct room learns how far this one read.
                if direct {
                    let Ok(members) = self.hub.members_of(room).await else {
                        return;
                    };
                    let targets: Vec<i64> =
                        self.hub.connected(members.iter().filter(|m| **m != user));
                    if !targets.is_empty() {
                        self.hub.send_frame(
                            &targets,
                            &ServerFrame::PeerRead {
                                room_id: room,
                                user_id: user,
                                last_read_message_id: upto,
                            },
                        );
                    }
                }
            }
        }
    }

    async fn deliver_message(&mut self, id: i64, room: i64, updated: bool) {
        if !updated {
            self.last_dispatched = self.last_dispatched.max(id);
        }
        // Two attempts: a passing database error should not lose a live message.
        for attempt in 0..2 {
            match self.try_deliver(id, room, updated).await {
                Ok(()) => return,
                Err(err) if attempt == 0 => {
                    tracing::debug!(error = %err, id, "chat: delivery failed; retrying");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(err) => tracing::warn!(error = %err, id, "chat: could not deliver a message"),
            }
        }
    }

    async fn try_deliver(&self, id: i64, room: i64, updated: bool) -> ApiResult<()> {
        let members = self.hub.members_of(room).await?;
        let targets = self.hub.connected(members.iter());
        if targets.is_empty() {
            return Ok(());
        }
        let Some(message) = svc::message_by_id(&self.hub.db, id).await? else {
            return Ok(());
        };
        let frame = if updated {
            ServerFrame::MessageUpdated(message)
        } else {
            ServerFrame::Message(message)
        };
        self.hub.send_frame(&targets, &frame);
        Ok(())
    }
}
