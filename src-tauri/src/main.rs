//! KAP Practice desktop app: the Tauri shell over the core.
//!
//! The shell owns the window, the IPC commands and the session; everything else is the
//! core's. The practice lives in the OS's app-data folder, or in `KAP_DATA_DIR` when set.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use kap_practice::folder::PracticeFolder;
use kap_practice::key::Keychain;
use kap_practice_app::AppState;
use std::path::PathBuf;
use std::time::Duration;
use tauri::{Emitter, Manager};

/// How often the idle check runs; the lock happens within this much of the limit.
const IDLE_CHECK: Duration = Duration::from_secs(15);
/// Every this many idle checks (about ten minutes), see whether a daily backup is due.
const BACKUP_EVERY_CHECKS: u32 = 40;

fn data_dir(app: &tauri::App) -> Result<PathBuf, Box<dyn std::error::Error>> {
    match std::env::var_os("KAP_DATA_DIR") {
        Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir)),
        _ => Ok(app.path().app_data_dir()?),
    }
}

/// Runs the command-line tool (`kap-practice backup ...`) when asked for; see
/// `kap_practice::cli`.
fn run_cli(args: &[String]) -> i32 {
    use std::io::IsTerminal;
    let stdin = std::io::stdin();
    let terminal = stdin.is_terminal();
    let mut input = stdin.lock();
    let (mut out, mut err) = (std::io::stdout(), std::io::stderr());
    let mut io = kap_practice::cli::Io {
        stdin: &mut input,
        stdout: &mut out,
        stderr: &mut err,
        terminal,
    };
    kap_practice::cli::run(args, &mut io, &Keychain::platform())
}

fn main() {
    // Before any key or record is in memory: no core file, no reading it from outside.
    let _ = kap_practice::process::keep_memory_private();
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    if kap_practice::cli::is_command(&args) {
        std::process::exit(run_cli(&args));
    }
    kap_practice_app::register(tauri::Builder::default())
        // First: a second launch focuses the running window instead of opening the
        // database twice.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(w) = app.get_webview_window("main") {
                let _ = w.unminimize();
                let _ = w.show();
                let _ = w.set_focus();
            }
        }))
        // No navigation away from the app's own pages: the CSP does not cover it.
        .plugin(kap_practice_app::navigation_guard())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .setup(|app| {
            let folder = PracticeFolder::new(data_dir(app)?);
            app.manage(AppState::launch(folder, Keychain::platform()));
            let handle = app.handle().clone();
            std::thread::spawn(move || {
                // The first check comes soon after launch, then about every ten minutes.
                let mut checks = BACKUP_EVERY_CHECKS - 1;
                loop {
                    std::thread::sleep(IDLE_CHECK);
                    let state = handle.state::<AppState>();
                    if state.lock_if_idle() {
                        let _ = handle.emit("locked", ());
                    }
                    checks += 1;
                    if checks >= BACKUP_EVERY_CHECKS {
                        checks = 0;
                        if state.run_due_backup() {
                            let _ = handle.emit("backed-up", ());
                        }
                    }
                }
            });
            Ok(())
        })
        .build(tauri::generate_context!("../tauri.conf.json"))
        .unwrap_or_else(|_| std::process::exit(1))
        .run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                quit_watchdog();
                anchor_at_quit(app);
            }
        });
}

/// How long the audit anchor's keychain write may hold up quitting.
const ANCHOR_AT_QUIT: Duration = Duration::from_secs(4);
/// How long quitting may take in all once the window has closed: the anchor, then the
/// shell's cleanup (the single-instance name is given back to the session bus). Both talk
/// to other processes over D-Bus; a keychain or bus that does not answer must not keep
/// the app running with no window. Every write is committed when it is made, so nothing
/// is lost by not waiting longer.
const QUIT_LIMIT: Duration = Duration::from_secs(10);

/// At quit the audit chain's head is anchored in the keychain, waiting at most
/// [`ANCHOR_AT_QUIT`]: a keychain that does not answer leaves the anchor to the next
/// lock or backup, as any failed anchor does (silently: the app writes no logs).
fn anchor_at_quit(app: &tauri::AppHandle) {
    let handle = app.clone();
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        handle.state::<AppState>().anchor_now();
        let _ = done.send(());
    });
    let _ = finished.recv_timeout(ANCHOR_AT_QUIT);
}

/// Ends the process if quitting has not finished within [`QUIT_LIMIT`]. The end-to-end
/// harness records what a slow quit's threads were waiting in (`quit.txt` beside the
/// screenshots); the app itself prints nothing.
fn quit_watchdog() {
    std::thread::spawn(|| {
        std::thread::sleep(QUIT_LIMIT);
        std::process::exit(0);
    });
}
