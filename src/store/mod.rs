//! The encrypted store: one SQLCipher database per practice.
//!
//! [`Store::open`] owns encryption and set-up: it applies the raw key, proves it by reading,
//! sets the pragmas, and runs the numbered migrations in one transaction. A write runs in
//! one transaction, must append at least one audit row in it, and commits only when its
//! closure returns `Ok`.
//!
//! # Two connections, and which one reads
//!
//! The store holds two connections to the file, each behind its own mutex: the *writer*
//! and the *reader*. Every write uses the writer. A read ([`Store::read`]) uses the writer
//! when it is idle, and the reader only while the writer is busy (a write on another
//! thread, a whole-practice export, which streams inside its audited transaction) or
//! while [`Store::snapshot_to`] is copying on the reader. So reads never wait for a write,
//! writes never wait for a snapshot, and a long export leaves the app answering.
//!
//! Why reads prefer the writer: SQLite keeps a page cache per connection, and a connection
//! throws its whole cache away when it sees that *another* connection changed the file.
//! Under SQLCipher a page read again is a page decrypted and authenticated again, so a
//! read connection beside a writer paid 1.4 to 5.6 times the plaintext cost for the reads
//! that follow a write (opening a client writes its `view` audit row and then loads its
//! sections). The connection that made a change keeps its cache, so reads on the writer
//! cost what they cost in plaintext, within a few per cent (`benches/cipher.rs`).
//!
//! What a read may do is the same on either connection: both are `query_only` except
//! inside [`Store::write`] and the copy of [`Store::copy_rekeyed`], which lift the guard on
//! the writer for their own statements and put it back when they end, however they end
//! (if it cannot be put back, reads stay off the writer). A read that leaves a transaction
//! open has it rolled back. A read sees the last commit, never a write in progress; a read
//! on the thread that is writing (inside a [`Store::write`] closure) is served by the
//! reader and so also sees the last commit. A write from inside a read closure on the
//! writer would wait for itself: it is refused with [`Error::Internal`] instead. Long
//! checks ([`Store::verify_audit`], [`Store::inspect_audit`]) prefer the reader, so
//! they do not hold up writes.
//!
//! Invariants: the database is never opened without a key, so it is never written in the
//! clear; a missing or empty file is never silently turned into a new database.

mod migrations;

pub(crate) use migrations::expected_schema;
pub use migrations::SCHEMA_VERSION;

use crate::audit::{self, Action, EntityKind, Source};
use crate::key::DataKey;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{OpenFlags, Transaction, TransactionBehavior};
use std::cell::Cell;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, TryLockError};
use std::time::Duration;

/// How long a connection waits for another's lock before reporting [`Error::Busy`].
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The connection [`Store::read`] and [`Writer::conn`] hand out, named here so that callers
/// (the shell) need not depend on rusqlite to write a closure's type.
pub use rusqlite::Connection;

type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// How long a read waits before it looks again for an idle connection, when both are busy.
const BOTH_BUSY_WAIT: Duration = Duration::from_micros(500);

thread_local! {
    /// The store (by address) whose writer this thread is reading on, or 0: a write from
    /// inside that read would wait for itself.
    static READING_ON_WRITER: Cell<usize> = const { Cell::new(0) };
}

/// An open practice database. Dropping it closes both connections; SQLCipher wipes the key
/// from memory when a connection closes. See the module's notes on the two connections.
pub struct Store {
    /// Reads while the writer is busy, and snapshots. `query_only`.
    read: Mutex<Connection>,
    /// Every write, and reads while it is idle. `query_only` outside writes.
    write: Mutex<Connection>,
    /// True while the writer's `query_only` guard is on outside writes, as it should be:
    /// only then may reads use it.
    writer_guarded: AtomicBool,
    clock: Clock,
    path: PathBuf,
    /// Kept to open copies of this database (backups, restores) for verification; the same
    /// key SQLCipher holds for the open connections. Zeroed on drop, never written.
    key: DataKey,
    /// Held for the store's lifetime: a second opener gets [`Error::InUse`].
    _lock: File,
    /// Where this store's writes come from, recorded in their audit rows.
    source: Mutex<Source>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").finish_non_exhaustive()
    }
}

/// The open write transaction handed to a [`Store::write`] closure.
pub struct Writer<'a> {
    tx: Transaction<'a>,
    now: DateTime<Utc>,
    source: Source,
    /// Audit rows of this write, appended when the closure returns `Ok`: each then
    /// records the content its entity has at commit.
    pending: Vec<(Action, EntityKind, i64, Source)>,
    /// Writes whose audit row is an earlier one (see [`Writer::audit_coalesced`]), or was
    /// appended at once ([`Writer::audit_disclosure`]).
    coalesced: usize,
}

impl Writer<'_> {
    /// The connection inside the transaction.
    pub fn conn(&self) -> &Connection {
        &self.tx
    }

    /// The time of this write, in UTC. One value for the whole transaction.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// Says where the rest of this write comes from, overriding the store's default (the
    /// automatic backup's rows say `automatic_backup`).
    pub fn set_source(&mut self, source: Source) {
        self.source = source;
    }

    /// Records a hash-chained audit row in this transaction. The row is appended when the
    /// write commits, with the content hash of the entity as the write leaves it.
    pub fn audit(&mut self, action: Action, kind: EntityKind, id: i64) -> Result<()> {
        self.pending.push((action, kind, id, self.source));
        Ok(())
    }

    /// Appends the audit row of a disclosure (a document saved or printed, a backup) at
    /// once rather than at commit, and returns its sequence number, for the record that
    /// points at it (`disclosure.audit_seq`). A disclosure changes no audited record, so
    /// its row has no content to wait for.
    pub fn audit_disclosure(&mut self, action: Action, kind: EntityKind, id: i64) -> Result<i64> {
        if !matches!(action, Action::Export | Action::Backup | Action::View) {
            return Err(Error::Internal("only disclosures are audited at once"));
        }
        audit::append(&self.tx, self.now, action, kind, id, Some(self.source))?;
        self.coalesced += 1;
        Ok(self
            .tx
            .query_row("SELECT max(seq) FROM audit_log", [], |r| r.get(0))?)
    }

    /// Like [`Writer::audit`], but when the chain's newest row already records this same
    /// action on this same entity, that row stands for this write too and nothing is
    /// appended. Only for changes that repeat in bursts and are not part of the clinical
    /// record (a form draft saved as the therapist types).
    pub fn audit_coalesced(&mut self, action: Action, kind: EntityKind, id: i64) -> Result<()> {
        let repeats = match self.pending.last() {
            Some(&(a, k, i, _)) => a == action && k == kind && i == id,
            None => audit::head_is(&self.tx, action, kind, id)?,
        };
        if repeats {
            self.coalesced += 1;
            return Ok(());
        }
        self.audit(action, kind, id)
    }

    fn commit(self) -> Result<()> {
        for (action, kind, id, source) in &self.pending {
            audit::append(&self.tx, self.now, *action, *kind, *id, Some(*source))?;
        }
        self.tx.commit()?;
        Ok(())
    }
}

/// The writer, locked, with its `query_only` guard lifted for a write. Dropping it rolls
/// back a transaction left open (a panic, an error before the commit) and puts the guard
/// back; only when that worked may reads use the writer again.
struct Unguarded<'a> {
    conn: MutexGuard<'a, Connection>,
    flag: &'a AtomicBool,
}

impl Drop for Unguarded<'_> {
    fn drop(&mut self) {
        if !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        if self.conn.pragma_update(None, "query_only", "ON").is_ok() {
            self.flag.store(true, Ordering::Release);
        }
    }
}

fn lock_path(db: &Path) -> PathBuf {
    crate::files::with_suffix(db, ".lock")
}

/// How long a lock that looks held is tried again before it is reported held.
const LOCK_SETTLE: std::time::Duration = std::time::Duration::from_millis(500);

/// Takes the practice's advisory lock, or reports that someone else holds it.
///
/// A lock this process has just released can look held for a moment: a child process
/// being started (a print job, a PDF tool) holds a copy of every descriptor from its fork
/// until its exec closes them. So a held lock is tried again for [`LOCK_SETTLE`] before
/// the answer is [`Error::InUse`].
fn take_lock(db: &Path) -> Result<File> {
    // Owner-only, whatever the umask; an existing lock file's mode is tightened.
    let file = crate::files::open_private(&lock_path(db))?;
    let deadline = std::time::Instant::now() + LOCK_SETTLE;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            Err(std::fs::TryLockError::WouldBlock) => return Err(Error::InUse),
            Err(std::fs::TryLockError::Error(e)) => return Err(e.into()),
        }
    }
}

/// Checks what can be known about a database file without its key.
fn precheck(path: &Path) -> Result<()> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Error::NoPractice),
        Err(e) => return Err(e.into()),
    };
    let len = file.metadata()?.len();
    // SQLCipher 4 writes whole 4096-byte pages; anything else is a damaged file.
    if len == 0 || !len.is_multiple_of(4096) {
        return Err(Error::Corrupt);
    }
    let mut head = [0u8; 16];
    file.read_exact(&mut head)?;
    if &head == b"SQLite format 3\0" {
        // A plaintext database is never ours: ours are encrypted from the first byte.
        return Err(Error::Corrupt);
    }
    Ok(())
}

/// Keys a new connection (`PRAGMA key`). One at a time in the process: SQLCipher sets up
/// its OpenSSL cipher context as it keys, and two connections keyed at the same moment
/// have been seen to fail ("An error occurred with PRAGMA key or rekey", once in a CI
/// run of parallel tests). Keying takes microseconds (the key is raw, never derived), and
/// happens only when a practice opens.
fn apply_key(conn: &Connection, key: &DataKey) -> rusqlite::Result<()> {
    let _one = keying();
    conn.pragma_update(None, "key", &*key.sqlcipher_literal())
}

/// Held while a connection is keyed, or a keyed database attached ([`apply_key`]).
fn keying() -> std::sync::MutexGuard<'static, ()> {
    static KEYING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    KEYING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn connect(path: &Path, key: &DataKey, flags: OpenFlags) -> Result<Connection> {
    connect_with(path, Some(key), flags)
}

/// [`connect`]; without a key only for [`testing::open_plaintext_copy`].
fn connect_with(path: &Path, key: Option<&DataKey>, flags: OpenFlags) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, flags)?;
    // SQLCipher logs HMAC failures to stderr by default; nothing may reach a terminal.
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")
        .or_else(|_| Ok::<(), rusqlite::Error>(()))?;
    if let Some(key) = key {
        apply_key(&conn, key)?;
    }
    // The key is only checked on the first read.
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(_) => {}
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {
            return Err(Error::WrongKey)
        }
        Err(e) => return Err(e.into()),
    }
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    // 16 MiB of decrypted pages per connection: a decade of records stays mostly in
    // memory, so lists do not decrypt the same pages again and again.
    conn.pragma_update(None, "cache_size", -16_000)?;
    Ok(conn)
}

impl Store {
    /// Creates a new, empty practice database at `path`, encrypted under `key`, and brings
    /// it to the current schema. Refuses if a file is already there.
    pub fn create(path: &Path, key: &DataKey) -> Result<Store> {
        if path.exists() {
            return Err(Error::PracticeExists);
        }
        let lock = take_lock(path)?;
        // SQLite would create the file 0644; created here first, owner-only, it keeps
        // that mode, and SQLite gives the WAL and shared-memory files the same one.
        crate::files::create_private(path)?;
        {
            let conn = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_WRITE
                    | OpenFlags::SQLITE_OPEN_CREATE
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            conn.execute_batch("PRAGMA cipher_log_level = NONE;")
                .or_else(|_| Ok::<(), rusqlite::Error>(()))?;
            apply_key(&conn, key)?;
            // Writing the header now makes the file a keyed, encrypted database at once.
            conn.pragma_update(None, "journal_mode", "WAL")?;
        }
        Self::finish_open(path, Some(key), lock, Arc::new(Utc::now))
    }

    /// Opens an existing practice database with its data key.
    ///
    /// Errors: [`Error::NoPractice`] when there is no file; [`Error::Corrupt`] when the file
    /// cannot be an encrypted practice database (empty, truncated, plaintext) or breaks
    /// while reading; [`Error::WrongKey`] when the key does not open it (when the key is
    /// known to be right, e.g. its key file vouches for it, that also means damage);
    /// [`Error::InUse`] when another opener holds it. The file is never modified on error.
    pub fn open(path: &Path, key: &DataKey) -> Result<Store> {
        Self::open_with_clock(path, key, Arc::new(Utc::now))
    }

    /// [`Store::open`] with a clock for audit times, for tests that need fixed times.
    pub fn open_with_clock(path: &Path, key: &DataKey, clock: Clock) -> Result<Store> {
        precheck(path)?;
        let lock = take_lock(path)?;
        Self::finish_open(path, Some(key), lock, clock)
    }

    /// Opens the connections; `key` is `None` only for [`testing::open_plaintext_copy`].
    fn finish_open(path: &Path, key: Option<&DataKey>, lock: File, clock: Clock) -> Result<Store> {
        let rw = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut write = connect_with(path, key, rw)?;
        // Read before anything is written: a practice from a newer app is left as it is.
        let found: i64 = write.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if found > SCHEMA_VERSION {
            return Err(migrations::newer_practice());
        }
        let mode: String = write.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::Internal("WAL mode could not be set"));
        }
        if found > 0 && found < SCHEMA_VERSION {
            keep_before_upgrade(&write, path, found, clock())?;
        }
        migrations::run(&mut write, clock())?;
        let read = connect_with(path, key, rw)?;
        read.pragma_update(None, "query_only", "ON")?;
        // From now on the writer writes only inside `Store::write` (see `Unguarded`).
        write.pragma_update(None, "query_only", "ON")?;
        // A practice made by an older version (or copied in) may have looser modes.
        for suffix in ["", "-wal", "-shm"] {
            match crate::files::tighten(
                &crate::files::with_suffix(path, suffix),
                crate::files::FILE_MODE,
            ) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
                _ => {}
            }
        }
        Ok(Store {
            read: Mutex::new(read),
            write: Mutex::new(write),
            writer_guarded: AtomicBool::new(true),
            clock,
            path: path.to_owned(),
            key: match key {
                Some(k) => k.clone(),
                // A plaintext copy has no key; copies of it are never checked.
                None => DataKey::generate()?,
            },
            _lock: lock,
            source: Mutex::new(Source::Window),
        })
    }

    /// Says where this store's writes come from from now on: the app's window (the
    /// default) or the command-line tool. A write can override it
    /// ([`Writer::set_source`]).
    pub fn set_source(&self, source: Source) {
        *self.source.lock().unwrap_or_else(|p| p.into_inner()) = source;
    }

    /// Where this store's writes come from.
    pub fn source(&self) -> Source {
        *self.source.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The time by this store's clock: what the next write records as its time
    /// ([`Writer::now`]), for a read that needs the same time (the practice's today).
    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// The database file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn guard(m: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves no half-done transaction (rusqlite rolls
        // back on drop), so the connection is still sound.
        m.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn try_guard(m: &Mutex<Connection>) -> Option<MutexGuard<'_, Connection>> {
        match m.try_lock() {
            Ok(g) => Some(g),
            Err(TryLockError::Poisoned(p)) => Some(p.into_inner()),
            Err(TryLockError::WouldBlock) => None,
        }
    }

    /// An idle connection to read on: the writer first (its page cache survives its own
    /// writes) unless `prefer_reader`, then the other; when both are busy, waits for
    /// whichever is free first. Says whether it is the writer.
    fn idle(&self, prefer_reader: bool) -> (MutexGuard<'_, Connection>, bool) {
        loop {
            let writer_ok = self.writer_guarded.load(Ordering::Acquire);
            if prefer_reader {
                if let Some(g) = Self::try_guard(&self.read) {
                    return (g, false);
                }
            }
            if writer_ok {
                if let Some(g) = Self::try_guard(&self.write) {
                    // Checked again under the lock: a write that failed to put the guard
                    // back has cleared the flag before releasing the writer.
                    if self.writer_guarded.load(Ordering::Acquire) {
                        return (g, true);
                    }
                }
            } else {
                return (Self::guard(&self.read), false);
            }
            if let Some(g) = Self::try_guard(&self.read) {
                return (g, false);
            }
            std::thread::sleep(BOTH_BUSY_WAIT);
        }
    }

    /// Runs `f` on an idle connection that cannot write (see the module's notes): it
    /// sees the last commit.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        self.read_on(false, f)
    }

    fn read_on<T>(
        &self,
        prefer_reader: bool,
        f: impl FnOnce(&Connection) -> Result<T>,
    ) -> Result<T> {
        let (conn, on_writer) = self.idle(prefer_reader);
        // Marked for the read's length, cleared however it ends.
        struct Mark(usize);
        impl Drop for Mark {
            fn drop(&mut self) {
                READING_ON_WRITER.with(|r| r.set(self.0));
            }
        }
        let _mark = on_writer.then(|| {
            let outer = READING_ON_WRITER.with(|r| r.replace(self.id()));
            Mark(outer)
        });
        let value = f(&conn);
        if !conn.is_autocommit() {
            // A read closure that began a transaction and left it open: its snapshot
            // would pin the reader, and on the writer it would refuse the next write.
            let _ = conn.execute_batch("ROLLBACK");
        }
        value
    }

    /// This store's identity for [`READING_ON_WRITER`].
    fn id(&self) -> usize {
        std::ptr::from_ref(self) as usize
    }

    /// The writer with its `query_only` guard lifted, for a write.
    fn unguarded(&self) -> Result<Unguarded<'_>> {
        if READING_ON_WRITER.with(Cell::get) == self.id() {
            return Err(Error::Internal("a write from inside a read"));
        }
        let conn = Self::guard(&self.write);
        self.writer_guarded.store(false, Ordering::Release);
        let lifted = Unguarded {
            conn,
            flag: &self.writer_guarded,
        };
        lifted.conn.pragma_update(None, "query_only", "OFF")?;
        Ok(lifted)
    }

    /// Runs `f` in one write transaction, committed only when `f` returns `Ok` having
    /// appended at least one audit row. Anything else rolls back and changes nothing.
    pub fn write<T>(&self, f: impl FnOnce(&mut Writer<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.unguarded()?;
        let tx = conn
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut w = self.writer(tx);
        let value = f(&mut w)?;
        if w.pending.is_empty() && w.coalesced == 0 {
            return Err(Error::Internal("a write must append an audit row"));
        }
        w.commit()?;
        Ok(value)
    }

    /// A writer over `tx` at this store's time and source.
    fn writer<'t>(&self, tx: Transaction<'t>) -> Writer<'t> {
        Writer {
            tx,
            now: (self.clock)(),
            source: self.source(),
            pending: Vec::new(),
            coalesced: 0,
        }
    }

    /// Walks the audit chain; see [`audit::verify`].
    pub fn verify_audit(&self) -> Result<audit::AuditSummary> {
        self.read_on(true, audit::verify)
    }

    /// Checks the chain, the schema and every entity's latest audited content; see
    /// [`audit::inspect`]. No anchors: [`verify_file_against`] takes them.
    pub fn inspect_audit(&self) -> Result<audit::integrity::Inspection> {
        self.read_on(true, |c| audit::inspect(c, &[]))
    }

    /// The whole check `kap-practice verify` makes, on this open practice: every page's
    /// authentication, the structure, the chain (against `anchors` kept outside the
    /// database), the schema, and every entity's latest audited content. Reads only.
    pub fn verify_against(&self, anchors: &[(&str, &audit::Anchor)]) -> Result<FileCheck> {
        verify_file_against(&self.path, &self.key, anchors)
    }

    /// The schema version the database is at.
    pub fn schema_version(&self) -> Result<i64> {
        self.read(|c| Ok(c.query_row("PRAGMA user_version", [], |r| r.get(0))?))
    }

    /// The data key, for opening copies of this database.
    pub(crate) fn key(&self) -> &DataKey {
        &self.key
    }

    /// Writes a consistent, encrypted copy of the database to `dest` (which must not exist)
    /// with `VACUUM INTO`, under the same key, then opens the copy and checks it. Writers
    /// are not blocked: the copy is a snapshot of the last commit.
    pub fn snapshot_to(&self, dest: &Path) -> Result<FileCheck> {
        self.snapshot_to_with(dest, &mut |_, _| true)
    }

    /// [`Store::snapshot_to`], telling `progress` every tenth of a second how many bytes
    /// of the copy are written of about how many (the database's size); when it returns
    /// false the copy stops, is removed, and this returns [`Error::Cancelled`].
    pub fn snapshot_to_with(
        &self,
        dest: &Path,
        progress: &mut (dyn FnMut(u64, u64) -> bool + Send),
    ) -> Result<FileCheck> {
        use std::sync::atomic::{AtomicBool, Ordering};
        let dest_str = dest
            .to_str()
            .ok_or_else(|| Error::invalid("path", "Choose a folder whose name is plain text."))?;
        // VACUUM INTO accepts an empty file: created here, new and owner-only, the copy
        // never has SQLite's default 0644.
        match crate::files::create_private(dest) {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(Error::Internal("snapshot target exists"))
            }
            other => drop(other?),
        }
        let total = std::fs::metadata(&self.path).map(|m| m.len()).unwrap_or(0);
        let stop = Arc::new(AtomicBool::new(false));
        let done = AtomicBool::new(false);
        let copied = std::thread::scope(|scope| {
            // A watcher reports the copy's size as it grows and passes a cancel on.
            scope.spawn(|| {
                while !done.load(Ordering::SeqCst) {
                    let now = std::fs::metadata(dest).map(|m| m.len()).unwrap_or(0);
                    if !progress(now.min(total), total) {
                        stop.store(true, Ordering::SeqCst);
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
            });
            let mut conn = Self::guard(&self.read);
            let flag = Arc::clone(&stop);
            // SQLite asks every few thousand steps whether to stop the statement.
            let watched = conn.progress_handler(10_000, Some(move || flag.load(Ordering::SeqCst)));
            // VACUUM INTO reads only; the read connection's guard against writes is lifted
            // for this one statement because SQLite counts VACUUM as a write statement.
            let result = watched
                .and_then(|()| conn.pragma_update(None, "query_only", "OFF"))
                .and_then(|()| conn.execute("VACUUM INTO ?1", [dest_str]).map(drop));
            let unwatched = conn.progress_handler(0, None::<fn() -> bool>);
            let reset = conn.pragma_update(None, "query_only", "ON");
            done.store(true, Ordering::SeqCst);
            result.and(reset).and(unwatched)
        });
        if let Err(e) = copied {
            let _ = std::fs::remove_file(dest);
            if stop.load(Ordering::SeqCst) {
                return Err(Error::Cancelled);
            }
            return Err(e.into());
        }
        // The copy is whole: said once more, which is also the last chance to cancel.
        if stop.load(Ordering::SeqCst) || !progress(total, total) {
            let _ = std::fs::remove_file(dest);
            return Err(Error::Cancelled);
        }
        match check_file(dest, &self.key, &[], false) {
            Ok(check) => Ok(check),
            Err(e) => {
                let _ = std::fs::remove_file(dest);
                Err(e)
            }
        }
    }
}

impl Store {
    /// Writes a copy of the database to `dest` (which must not exist) encrypted under
    /// `new_key`, with one more audit row (`action` on `kind` `id`) appended in the copy
    /// only, then checks the copy: every page, the structure, the audit chain. This store
    /// is not changed. Writes from this process wait until the copy is made (the write
    /// connection is held), and no other process has the practice open (the lock), so
    /// the copy holds every commit.
    ///
    /// This is the first half of changing the key; [`crate::folder`] switches the copy in.
    pub(crate) fn copy_rekeyed(
        &self,
        dest: &Path,
        new_key: &DataKey,
        action: Action,
        kind: EntityKind,
        id: i64,
    ) -> Result<FileCheck> {
        if dest.exists() {
            return Err(Error::Internal("rekey target exists"));
        }
        let dest_str = dest
            .to_str()
            .ok_or_else(|| Error::invalid("path", "Choose a folder whose name is plain text."))?;
        let result = (|| -> Result<()> {
            // The export writes into the attached copy: the writer's guard is lifted.
            let lifted = self.unguarded()?;
            let conn = &lifted.conn;
            // The connections open without SQLITE_OPEN_CREATE, and so would the attached
            // copy: it is created empty first.
            crate::files::create_private(dest)?;
            {
                let _one = keying();
                conn.execute(
                    "ATTACH DATABASE ?1 AS rekeyed KEY ?2",
                    rusqlite::params![dest_str, &*new_key.sqlcipher_literal()],
                )?;
            }
            let exported = (|| -> Result<()> {
                conn.query_row("SELECT sqlcipher_export('rekeyed')", [], |_| Ok(()))
                    .map_err(|e| match &e {
                        // sqlcipher_export reports its inner statements' failures as a
                        // plain error whose message names the cause.
                        rusqlite::Error::SqliteFailure(_, Some(m))
                            if m.contains("database or disk is full") =>
                        {
                            Error::DiskFull
                        }
                        _ => Error::from(e),
                    })?;
                let version: i64 = conn.query_row("PRAGMA main.user_version", [], |r| r.get(0))?;
                conn.pragma_update(Some("rekeyed"), "user_version", version)?;
                Ok(())
            })();
            let detached = conn.execute("DETACH DATABASE rekeyed", []);
            exported?;
            detached?;
            drop(lifted);
            // The change is recorded in the copy: the old file never says it happened.
            let mut copy = connect(
                dest,
                new_key,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            {
                let tx = copy.transaction_with_behavior(TransactionBehavior::Immediate)?;
                let mut w = self.writer(tx);
                w.audit(action, kind, id)?;
                w.commit()?;
            }
            copy.pragma_update(None, "journal_mode", "DELETE")?;
            drop(copy);
            File::open(dest)?.sync_all()?;
            Ok(())
        })();
        let checked = result.and_then(|()| verify_file(dest, new_key));
        if checked.is_err() {
            crate::files::remove_database_files(dest);
        }
        checked
    }
}

/// What [`verify_file`] found in a sound database file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileCheck {
    pub schema_version: i64,
    /// The audit chain, walked from the first row to its head.
    pub audit: audit::AuditSummary,
    /// Size of the database in 4096-byte pages.
    pub pages: i64,
    /// What the chain alone cannot show: rows changed outside the app, a schema that is
    /// not the migrations', a chain shorter or other than its anchors say. Empty when
    /// sound. See [`audit::inspect`].
    pub findings: Vec<audit::Finding>,
}

/// Checks a practice database file without migrating or locking it: SQLCipher's
/// per-page authentication over every page (`cipher_integrity_check`), SQLite's
/// structural `integrity_check`, the audit chain, and then the schema and every entity's
/// latest audited content (reported in [`FileCheck::findings`]). A damaged file is
/// [`Error::Corrupt`], a broken chain [`Error::AuditBroken`]; a key that does not open
/// the file is [`Error::WrongKey`].
pub fn verify_file(path: &Path, key: &DataKey) -> Result<FileCheck> {
    verify_file_against(path, key, &[])
}

/// [`verify_file`], also checking the chain against anchors kept outside the database
/// (the keychain's, a backup header's), each named for the findings.
pub fn verify_file_against(
    path: &Path,
    key: &DataKey,
    anchors: &[(&str, &audit::Anchor)],
) -> Result<FileCheck> {
    check_file(path, key, anchors, true)
}

/// The file checks of [`verify_file`] and the chain walk, without the schema and content
/// checks (`deep` false): what a backup checks its fresh copy with, and a restore its
/// unpacked copy, so that neither pays for them (about 0.7 s at a decade of records);
/// `verify` makes them all.
pub(crate) fn check_file(
    path: &Path,
    key: &DataKey,
    anchors: &[(&str, &audit::Anchor)],
    deep: bool,
) -> Result<FileCheck> {
    precheck(path)?;
    let conn = connect(
        path,
        key,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.pragma_update(None, "query_only", "ON")?;
    let cipher_errors = {
        let mut stmt = conn.prepare("PRAGMA cipher_integrity_check")?;
        let mut rows = stmt.query([])?;
        let mut n = 0usize;
        while rows.next()?.is_some() {
            n += 1;
        }
        n
    };
    if cipher_errors > 0 {
        return Err(Error::Corrupt);
    }
    let structure: String = conn.query_row("PRAGMA integrity_check(1)", [], |r| r.get(0))?;
    if structure != "ok" {
        return Err(Error::Corrupt);
    }
    let schema_version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let pages: i64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
    if !deep {
        return Ok(FileCheck {
            schema_version,
            audit: audit::verify(&conn)?,
            pages,
            findings: Vec::new(),
        });
    }
    let inspection = audit::inspect(&conn, anchors)?;
    let audit = match inspection.chain {
        Some(a) => a,
        None => {
            let seq = inspection.findings.iter().find_map(|f| match f {
                audit::Finding::ChainBroken { seq } => Some(*seq),
                _ => None,
            });
            return Err(Error::AuditBroken(seq.unwrap_or(0)));
        }
    };
    Ok(FileCheck {
        schema_version,
        audit,
        pages,
        findings: inspection.findings,
    })
}

/// The practice's advisory lock, held without opening the database: restores take it so
/// that no app or tool has the practice open while its files are replaced.
#[derive(Debug)]
pub struct PracticeLock(#[allow(dead_code)] File);

impl PracticeLock {
    /// Takes the lock beside `db`, or [`Error::InUse`] when someone holds it.
    pub fn take(db: &Path) -> Result<PracticeLock> {
        take_lock(db).map(PracticeLock)
    }
}

#[doc(hidden)]
/// The folder, beside the database, where copies kept before a risky step go.
pub const SAFETY_DIR: &str = "safety";

/// Before a newer app upgrades an older practice's schema: an encrypted copy of the
/// database as it is (`VACUUM INTO`, under the same key) and of its key file, in a new
/// owner-only folder `safety/before-upgrade-from-v<N>-<time>/`, so the practice as the
/// older app left it can always be put back. The upgrade does not start unless the copy
/// was made. The names hold a version and a time, never PHI.
fn keep_before_upgrade(
    conn: &Connection,
    path: &Path,
    version: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    let folder = path
        .parent()
        .ok_or(Error::Internal("the practice folder is unknown"))?;
    let safety = folder.join(SAFETY_DIR);
    if !safety.is_dir() {
        crate::files::create_private_dir(&safety)?;
    }
    let stamp = now.format("%Y%m%d-%H%M%S%.6fZ");
    let dir = safety.join(format!("before-upgrade-from-v{version}-{stamp}"));
    crate::files::create_private_dir(&dir)?;
    let name = path
        .file_name()
        .ok_or(Error::Internal("the database has no name"))?;
    let dest = dir.join(name);
    let dest_str = dest.to_str().ok_or(Error::Internal(
        "the practice folder's name is not plain text",
    ))?;
    drop(crate::files::create_private(&dest)?);
    conn.execute("VACUUM INTO ?1", [dest_str])?;
    let key_file = folder.join(crate::folder::KEY_FILE);
    if key_file.is_file() {
        crate::files::copy_private(&key_file, &dir.join(crate::folder::KEY_FILE))?;
    }
    crate::files::sync_dir(&dir);
    Ok(())
}

pub mod testing {
    //! Hooks for tests and benches: build a database at an old schema version (the
    //! schema-upgrade test); open a plaintext copy, size the page caches and read on the
    //! read connection (`benches/cipher.rs`). The app never calls them.

    use super::*;

    /// Creates an encrypted database at `path` with only the first `version` migrations
    /// applied. For fixtures only.
    pub fn create_at_version(path: &Path, key: &DataKey, version: usize) -> Result<()> {
        let conn = Connection::open(path)?;
        apply_key(&conn, key)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        let mut conn = conn;
        migrations::run_to(&mut conn, Utc::now(), version)?;
        Ok(())
    }

    /// Opens a **plaintext** copy of a practice database (one made with
    /// `sqlcipher_export` into a database attached with `KEY ''`) as a [`Store`]: the same
    /// connections, pragmas and code paths as an encrypted practice, without the cipher.
    /// Only for `benches/cipher.rs`, which measures what encryption costs; the app never
    /// calls it, and such a copy must live only in a temporary folder.
    #[doc(hidden)]
    pub fn open_plaintext_copy(path: &Path) -> Result<Store> {
        if !path.is_file() {
            return Err(Error::NoPractice);
        }
        let lock = take_lock(path)?;
        Store::finish_open(path, None, lock, Arc::new(Utc::now))
    }

    /// Sets both connections' page cache to `pages` pages (negative: KiB), as
    /// `PRAGMA cache_size` does.
    #[doc(hidden)]
    pub fn set_cache_size(store: &Store, pages: i64) -> Result<()> {
        for m in [&store.write, &store.read] {
            Store::guard(m).pragma_update(None, "cache_size", pages)?;
        }
        Ok(())
    }

    /// [`Store::read`] on the read connection (when it is free): how every read ran
    /// before reads moved to the idle writer, for comparison.
    #[doc(hidden)]
    pub fn read_on_reader<T>(store: &Store, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        store.read_on(true, f)
    }
}

/// Column helpers shared by the domain modules.
pub(crate) mod col {
    use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

    /// A UTC time as stored: RFC 3339 with microseconds.
    pub fn stamp(t: DateTime<Utc>) -> String {
        t.to_rfc3339_opts(SecondsFormat::Micros, true)
    }

    pub fn bad(name: &'static str) -> rusqlite::Error {
        rusqlite::Error::InvalidColumnName(name.into())
    }

    pub fn time(s: &str) -> rusqlite::Result<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| bad("time"))
    }

    pub fn date(s: &str) -> rusqlite::Result<NaiveDate> {
        s.parse().map_err(|_| bad("date"))
    }
}

#[cfg(test)]
mod tests;
