//! A bare Tauri 2 window showing one static page: what `scripts/bench-start` compares
//! the app's launch with. The same Tauri version, window size and release profile as the
//! app, and nothing else.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    tauri::Builder::default()
        .run(tauri::generate_context!())
        .unwrap_or_else(|_| std::process::exit(1));
}
