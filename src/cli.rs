//! The command-line tool, for the practice's IT helper and for scripted backups.
//!
//! The app's binary runs it when its first argument is a command (`kap-practice backup
//! ...`); with no argument the binary opens the window. It uses the same core as the app,
//! so it keeps the same rules and writes the same audit rows. It prints no PHI: paths the
//! user gave, counts, sizes, times and the core's plain messages.
//!
//! Passphrases are read without echo from the terminal, or, with `--passphrase-stdin`,
//! one per line from standard input (for scripts). Without either, commands that open the
//! practice try this computer's keychain first, as the app does.

use crate::backup::{self, BackupInfo};
use crate::folder::{KeychainOpen, Opened, PracticeFolder};
use crate::key::{Keychain, Passphrase};
use crate::{store, Error, Result};
use std::io::{BufRead, Write};
use std::path::PathBuf;

/// The app's identifier: its data folder is named after it, as the desktop app's is.
pub const APP_IDENTIFIER: &str = "org.kappractice.desktop";

/// Exit codes.
pub const EXIT_OK: i32 = 0;
pub const EXIT_FAILED: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

const COMMANDS: &[&str] = &[
    "backup",
    "restore",
    "verify",
    "export",
    "change-passphrase",
    "demo",
    "help",
    "--help",
    "-h",
    "--version",
];

const USAGE: &str = "\
KAP Practice command-line tool

Usage:
  kap-practice                        open the app
  kap-practice backup  --to <file or folder>
  kap-practice restore --from <backup file> [--yes] [--replace-other-practice]
  kap-practice verify  [--backup <backup file>]
  kap-practice export  --to <file.zip> [--client <id>]
  kap-practice change-passphrase
  kap-practice demo    --data-dir <new folder> [--size small|decade]

Options for every command:
  --data-dir <folder>    the practice folder (default: $KAP_DATA_DIR, else the app's)
  --passphrase-stdin     read passphrases from standard input, one per line

backup   writes an encrypted backup (the passphrase restores it on any computer).
restore  checks a backup completely, keeps a safety copy of the current practice,
         then restores; asks for confirmation unless --yes. A backup of another
         practice also needs --replace-other-practice (or typing replace).
verify   checks the practice (or a backup): every page's authentication, the
         database structure, the audit chain and its anchor (this computer's
         keychain, or the backup's header), the schema, and that every record
         is as its latest audit entry recorded it. Exits 1 naming what it found.
export   writes one client (--client) or the whole practice as JSON and CSV in a
         zip. The zip is NOT encrypted; it is recorded in the audit log.
demo     creates a new practice in an empty folder, filled with made-up clients,
         appointments, notes and invoices to try the app on (small: 40 clients
         over a year; decade: 5,000 clients and 60,000 appointments). Asks for the
         new practice's passphrase and keeps its key in this computer's keychain,
         as creating a practice in the app does. Refuses a folder with a practice.
";

/// True when `args` (without the program name) ask for the command-line tool rather
/// than the window.
pub fn is_command(args: &[String]) -> bool {
    args.first().is_some_and(|a| COMMANDS.contains(&a.as_str()))
}

/// Where the tool reads and writes.
pub struct Io<'a> {
    pub stdin: &'a mut dyn BufRead,
    pub stdout: &'a mut dyn Write,
    pub stderr: &'a mut dyn Write,
    /// True when standard input is a terminal: passphrases are then read without echo.
    pub terminal: bool,
}

/// The app's data folder on this computer, the same one the desktop app uses:
/// `$KAP_DATA_DIR` when set, else the platform's per-user data folder.
pub fn default_data_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("KAP_DATA_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let base = if cfg!(target_os = "macos") {
        env("HOME").map(|h| h.join("Library/Application Support"))
    } else if cfg!(windows) {
        env("APPDATA")
    } else {
        env("XDG_DATA_HOME").or_else(|| env("HOME").map(|h| h.join(".local/share")))
    };
    base.map(|b| b.join(APP_IDENTIFIER))
}

struct Args {
    command: String,
    data_dir: Option<PathBuf>,
    to: Option<PathBuf>,
    from: Option<PathBuf>,
    backup: Option<PathBuf>,
    client: Option<i64>,
    yes: bool,
    replace_other_practice: bool,
    passphrase_stdin: bool,
    size: Option<String>,
}

fn parse(args: &[String]) -> std::result::Result<Args, String> {
    let mut it = args.iter();
    let command = it.next().cloned().unwrap_or_default();
    let mut a = Args {
        command,
        data_dir: None,
        to: None,
        from: None,
        backup: None,
        client: None,
        yes: false,
        replace_other_practice: false,
        passphrase_stdin: false,
        size: None,
    };
    while let Some(flag) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .filter(|v| !v.is_empty())
                .cloned()
                .ok_or_else(|| format!("{name} needs a value."))
        };
        match flag.as_str() {
            "--data-dir" => a.data_dir = Some(value("--data-dir")?.into()),
            "--to" => a.to = Some(value("--to")?.into()),
            "--from" => a.from = Some(value("--from")?.into()),
            "--backup" => a.backup = Some(value("--backup")?.into()),
            "--client" => {
                let v = value("--client")?;
                a.client = Some(
                    v.parse::<i64>()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or("--client needs a client number, such as 42.")?,
                )
            }
            "--size" => a.size = Some(value("--size")?),
            "--yes" => a.yes = true,
            "--replace-other-practice" => a.replace_other_practice = true,
            "--passphrase-stdin" => a.passphrase_stdin = true,
            other => {
                // Never echo the argument back: it could be anything a user typed.
                let _ = other;
                return Err("Unknown option. Run `kap-practice help`.".into());
            }
        }
    }
    Ok(a)
}

/// Runs one command. Returns the process exit code.
pub fn run(args: &[String], io: &mut Io<'_>, keychain: &Keychain) -> i32 {
    let parsed = match parse(args) {
        Ok(a) => a,
        Err(msg) => {
            let _ = writeln!(io.stderr, "{msg}");
            return EXIT_USAGE;
        }
    };
    let result = match parsed.command.as_str() {
        "help" | "--help" | "-h" => {
            let _ = write!(io.stdout, "{USAGE}");
            return EXIT_OK;
        }
        "--version" => {
            let _ = writeln!(io.stdout, "kap-practice {}", env!("CARGO_PKG_VERSION"));
            return EXIT_OK;
        }
        "backup" => cmd_backup(&parsed, io, keychain),
        "restore" => cmd_restore(&parsed, io, keychain),
        "verify" => cmd_verify(&parsed, io, keychain),
        "export" => cmd_export(&parsed, io, keychain),
        "change-passphrase" => cmd_change_passphrase(&parsed, io, keychain),
        "demo" => cmd_demo(&parsed, io, keychain),
        _ => {
            let _ = write!(io.stderr, "{USAGE}");
            return EXIT_USAGE;
        }
    };
    match result {
        Ok(()) => EXIT_OK,
        Err(Failure::Usage(msg)) => {
            let _ = writeln!(io.stderr, "{msg}");
            EXIT_USAGE
        }
        Err(Failure::Unsound(findings)) => {
            let _ = writeln!(
                io.stderr,
                "Error: verify found {} problem{}:",
                findings.len(),
                if findings.len() == 1 { "" } else { "s" }
            );
            for f in &findings {
                let _ = writeln!(io.stderr, "  - {f}");
            }
            EXIT_FAILED
        }
        Err(Failure::Core(e)) => {
            let _ = writeln!(io.stderr, "Error: {e}");
            if let Error::Invalid(fields) = &e {
                for f in &fields.0 {
                    let _ = writeln!(io.stderr, "  {}: {}", f.field, f.message);
                }
            }
            EXIT_FAILED
        }
    }
}

enum Failure {
    Usage(String),
    Core(Error),
    /// `verify` found the practice or backup altered: what it found.
    Unsound(Vec<crate::audit::Finding>),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Core(e)
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Core(e.into())
    }
}

type CliResult = std::result::Result<(), Failure>;

fn folder(a: &Args) -> std::result::Result<PracticeFolder, Failure> {
    a.data_dir
        .clone()
        .or_else(default_data_dir)
        .map(PracticeFolder::new)
        .ok_or_else(|| Failure::Usage("No practice folder: pass --data-dir.".into()))
}

/// Reads one passphrase: a line of standard input with `--passphrase-stdin`, else from the
/// terminal without echo.
fn read_passphrase(a: &Args, io: &mut Io<'_>, prompt: &str) -> Result<String> {
    if !a.passphrase_stdin && io.terminal {
        let _ = io.stderr.flush();
        return rpassword::prompt_password(prompt).map_err(Error::from);
    }
    if !a.passphrase_stdin {
        return Err(Error::invalid(
            "passphrase",
            "A passphrase is needed: run in a terminal, or pass --passphrase-stdin.",
        ));
    }
    let mut line = zeroize::Zeroizing::new(String::new());
    io.stdin.read_line(&mut line)?;
    let trimmed = line.trim_end_matches(['\r', '\n']);
    Ok(trimmed.to_owned())
}

/// How a command may open the practice.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Unlock {
    /// This computer's keychain first (as the app does), then the passphrase.
    KeychainFirst,
    /// Always the passphrase: for commands that disclose or replace the whole practice.
    Passphrase,
}

/// Opens the practice. The tool never puts the key into the keychain: only the app's
/// passphrase unlock does, so running the tool after a lock leaves the practice locked.
fn open(
    a: &Args,
    io: &mut Io<'_>,
    keychain: &Keychain,
    how: Unlock,
) -> std::result::Result<(PracticeFolder, Opened), Failure> {
    let folder = folder(a)?;
    if !folder.exists() {
        return Err(Error::NoPractice.into());
    }
    if how == Unlock::KeychainFirst && !a.passphrase_stdin {
        if let KeychainOpen::Opened(o) = folder.open_with_keychain(keychain)? {
            o.store.set_source(crate::audit::Source::Cli);
            return Ok((folder, *o));
        }
    }
    let pass = Passphrase::for_unlock(read_passphrase(a, io, "Practice passphrase: ")?);
    let opened = folder.open_with_passphrase(&pass, &Keychain::none())?;
    opened.store.set_source(crate::audit::Source::Cli);
    Ok((folder, opened))
}

fn describe(info: &BackupInfo) -> String {
    format!(
        "taken {} UTC, schema version {}, {} audit entries, {:.1} MB",
        info.created_at.format("%Y-%m-%d %H:%M:%S"),
        info.schema_version,
        info.audit_rows,
        info.db_bytes as f64 / 1_000_000.0
    )
}

fn cmd_backup(a: &Args, io: &mut Io<'_>, keychain: &Keychain) -> CliResult {
    let to =
        a.to.clone()
            .ok_or_else(|| Failure::Usage("backup needs --to <file or folder>.".into()))?;
    let (folder, opened) = open(a, io, keychain, Unlock::KeychainFirst)?;
    let dest = if to.is_dir() {
        to.join(backup::suggested_file_name(chrono::Utc::now()))
    } else {
        to
    };
    let info = backup::create(&folder, &opened.store, &dest)?;
    // The chain's head, as backed up, is also anchored in this computer's keychain.
    crate::audit::AnchorSchedule::new().keep(
        &opened.store,
        keychain,
        &opened.practice_id,
        chrono::Utc::now(),
        true,
    )?;
    writeln!(io.stdout, "Backed up to {}", dest.display())?;
    writeln!(io.stdout, "  {}", describe(&info))?;
    Ok(())
}

fn cmd_restore(a: &Args, io: &mut Io<'_>, keychain: &Keychain) -> CliResult {
    let from = a
        .from
        .clone()
        .ok_or_else(|| Failure::Usage("restore needs --from <backup file>.".into()))?;
    let folder = folder(a)?;
    let info = backup::read_info(&from)?;
    writeln!(io.stdout, "Backup: {}", describe(&info))?;
    let mut foreign = if a.replace_other_practice {
        backup::ForeignPractice::Replace
    } else {
        backup::ForeignPractice::Refuse
    };
    if let Err(e @ Error::OtherPractice { .. }) = backup::check_practice(&folder, &info, foreign) {
        if a.passphrase_stdin || !io.terminal {
            return Err(Failure::Usage(format!(
                "{e} Pass --replace-other-practice to do so (a safety copy is kept)."
            )));
        }
        write!(io.stderr, "{e} Type replace to go on: ")?;
        io.stderr.flush()?;
        let mut answer = String::new();
        io.stdin.read_line(&mut answer)?;
        if answer.trim() != "replace" {
            writeln!(io.stdout, "Nothing was restored.")?;
            return Ok(());
        }
        foreign = backup::ForeignPractice::Replace;
    }
    if folder.exists() && !a.yes {
        if a.passphrase_stdin || !io.terminal {
            return Err(Failure::Usage(
                "A practice is already in this folder: pass --yes to replace it (a safety copy is kept)."
                    .into(),
            ));
        }
        write!(
            io.stderr,
            "This replaces the practice in {} (a safety copy is kept). Type yes to go on: ",
            folder.dir().display()
        )?;
        io.stderr.flush()?;
        let mut answer = String::new();
        io.stdin.read_line(&mut answer)?;
        if answer.trim() != "yes" {
            writeln!(io.stdout, "Nothing was restored.")?;
            return Ok(());
        }
    }
    let pass = Passphrase::for_unlock(read_passphrase(
        a,
        io,
        "Passphrase the practice had when the backup was made: ",
    )?);
    let options = backup::RestoreOptions {
        foreign,
        source: crate::audit::Source::Cli,
    };
    let restored = backup::restore_with(&folder, &from, &pass, keychain, options)?;
    writeln!(io.stdout, "Restored into {}", folder.dir().display())?;
    if !restored.header_checked {
        writeln!(
            io.stdout,
            "  The backup was made by an older version: its header cannot be checked (the records in it were)."
        )?;
    }
    if let Some(s) = &restored.safety_copy {
        writeln!(
            io.stdout,
            "  The practice it replaced is kept in {}",
            s.display()
        )?;
    }
    Ok(())
}

fn cmd_verify(a: &Args, io: &mut Io<'_>, keychain: &Keychain) -> CliResult {
    if let Some(file) = &a.backup {
        let pass = Passphrase::for_unlock(read_passphrase(a, io, "Backup's passphrase: ")?);
        let scratch = std::env::temp_dir();
        let v = backup::verify(file, &pass, &scratch)?;
        if !v.check.findings.is_empty() {
            return Err(Failure::Unsound(v.check.findings));
        }
        writeln!(io.stdout, "Backup is sound: {}", describe(&v.info))?;
        writeln!(
            io.stdout,
            "  every page authenticated, structure ok, schema as made, records as audited, audit chain whole ({} entries, head {})",
            v.check.audit.rows,
            &v.check.audit.head[..16]
        )?;
        if !v.header_checked {
            writeln!(
                io.stdout,
                "  made by an older version: its header cannot be checked"
            )?;
        }
        return Ok(());
    }
    let (folder, opened) = open(a, io, keychain, Unlock::KeychainFirst)?;
    let anchor = keychain.load_anchor(&opened.practice_id).ok();
    let anchors: Vec<(&str, &crate::audit::Anchor)> = anchor
        .iter()
        .map(|x| ("this computer's keychain", x))
        .collect();
    let check = match store::verify_file_against(&folder.db_path(), opened.store.key(), &anchors) {
        Ok(c) => c,
        Err(Error::AuditBroken(seq)) => {
            return Err(Failure::Unsound(vec![crate::audit::Finding::ChainBroken {
                seq,
            }]))
        }
        Err(e) => return Err(e.into()),
    };
    if !check.findings.is_empty() {
        return Err(Failure::Unsound(check.findings));
    }
    writeln!(
        io.stdout,
        "Practice is sound: schema version {}, {} pages, every page authenticated, structure ok, schema as made, records as audited, audit chain whole ({} entries, head {})",
        check.schema_version,
        check.pages,
        check.audit.rows,
        &check.audit.head[..16]
    )?;
    match &anchor {
        Some(x) => writeln!(
            io.stdout,
            "  the chain holds the {} entries anchored in this computer's keychain at {}",
            x.rows,
            x.at.format("%Y-%m-%d %H:%M:%S UTC")
        )?,
        None => writeln!(
            io.stdout,
            "  no anchor in this computer's keychain: a chain cut short or re-hashed cannot be ruled out"
        )?,
    }
    Ok(())
}

fn cmd_export(a: &Args, io: &mut Io<'_>, keychain: &Keychain) -> CliResult {
    let to =
        a.to.clone()
            .ok_or_else(|| Failure::Usage("export needs --to <file.zip>.".into()))?;
    let (_folder, opened) = open(a, io, keychain, Unlock::Passphrase)?;
    let manifest = match a.client {
        Some(id) => crate::export::client_zip(&opened.store, id, &to, None)?,
        None => crate::export::practice_zip(&opened.store, &to)?,
    };
    writeln!(io.stdout, "Exported to {}", to.display())?;
    for c in manifest.counts() {
        writeln!(io.stdout, "  {:>8}  {}", c.rows, c.name)?;
    }
    writeln!(
        io.stdout,
        "The zip is NOT encrypted and holds protected health information: keep it safe."
    )?;
    Ok(())
}

fn cmd_change_passphrase(a: &Args, io: &mut Io<'_>, keychain: &Keychain) -> CliResult {
    let folder = folder(a)?;
    let current = Passphrase::for_unlock(read_passphrase(a, io, "Current passphrase: ")?);
    let opened = folder.open_with_passphrase(&current, &Keychain::none())?;
    let new = read_passphrase(a, io, "New passphrase (12 characters or more): ")?;
    let again = zeroize::Zeroizing::new(read_passphrase(a, io, "New passphrase again: ")?);
    if *again != new {
        return Err(Error::invalid("new_again", "The two passphrases do not match.").into());
    }
    let new = Passphrase::new(new)?;
    // The keychain is updated only when it held this practice's key (the practice was
    // left unlocked in the app); otherwise it stays empty and the app asks as before.
    let had_key = keychain
        .load(&opened.practice_id)
        .is_ok_and(|k| k.as_bytes() == opened.store.key().as_bytes());
    let kc = if had_key {
        keychain.clone()
    } else {
        Keychain::none()
    };
    writeln!(io.stdout, "Re-encrypting the practice under a new key…")?;
    let rekeyed = folder.change_passphrase(opened.store, &current, &new, &kc);
    rekeyed.changed?;
    writeln!(
        io.stdout,
        "Passphrase changed, and the practice re-encrypted under a new key. Backups made before today still need the old passphrase."
    )?;
    Ok(())
}

/// The demo practice's names; the passphrase may not be made of them.
fn demo_practice() -> crate::practice::NewPractice {
    crate::practice::NewPractice {
        practice_name: "Union Square KAP (demo)".into(),
        therapist_name: "Dana Whitfield".into(),
        credentials: "LCSW".into(),
    }
}

fn cmd_demo(a: &Args, io: &mut Io<'_>, keychain: &Keychain) -> CliResult {
    use crate::demo::{DemoOptions, DemoSize};
    let size = match a.size.as_deref() {
        None => DemoSize::Small,
        Some(s) => {
            DemoSize::parse(s).ok_or_else(|| Failure::Usage("--size is small or decade.".into()))?
        }
    };
    // Never the app's own folder by default: a demo goes where it is asked to.
    let dir = a.data_dir.clone().ok_or_else(|| {
        Failure::Usage("demo needs --data-dir <folder> for the new practice.".into())
    })?;
    let folder = PracticeFolder::new(dir);
    if folder.exists() {
        return Err(Error::PracticeExists.into());
    }
    let new = demo_practice();
    let pass = zeroize::Zeroizing::new(read_passphrase(
        a,
        io,
        "Passphrase for the demo practice (12 characters or more): ",
    )?);
    if !a.passphrase_stdin && io.terminal {
        let again = zeroize::Zeroizing::new(read_passphrase(a, io, "The passphrase again: ")?);
        if *again != *pass {
            return Err(
                Error::invalid("passphrase_again", "The two passphrases do not match.").into(),
            );
        }
    }
    let pass = Passphrase::new_with_context(pass.to_string(), &new.guessable_words())?;
    let opened = folder.create(&new, &pass, keychain)?;
    opened.store.set_source(crate::audit::Source::Cli);
    writeln!(
        io.stdout,
        "Created a practice in {}",
        folder.dir().display()
    )?;
    let started = std::time::Instant::now();
    let today = opened
        .store
        .read(|c| crate::practice::today(c, chrono::Utc::now()))?;
    let counts = opened
        .store
        .write(|w| crate::demo::fill(w, &DemoOptions::new(size, today)))?;
    writeln!(
        io.stdout,
        "Filled it with a made-up demo practice in {:.1} s:",
        started.elapsed().as_secs_f64()
    )?;
    for (name, n) in counts.rows() {
        writeln!(io.stdout, "  {n:>8}  {name}")?;
    }
    match opened.keychain {
        crate::folder::KeychainStatus::Saved => writeln!(
            io.stdout,
            "Its key is in this computer's keychain: the app opens it without the passphrase."
        )?,
        _ => writeln!(
            io.stdout,
            "This computer's keychain did not take its key: the app asks for the passphrase."
        )?,
    }
    Ok(())
}
