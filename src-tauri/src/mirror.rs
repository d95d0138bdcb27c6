//! The one split, held in place: every IPC command is registered, listed in `build.rs`'s
//! app manifest and granted by the capability file (the three lists name the same
//! commands); `commands/<area>.rs` and `ui/src/lib/api/<area>.ts` exist in pairs; and each
//! command `api/<area>.ts` calls is defined in `commands/<area>.rs`, and only called there.
//!
//! The registered list is [`crate::COMMANDS`], made by the same macro invocation that
//! hands the commands to Tauri, so it cannot drift from `register`.

use crate::COMMANDS;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// `src-tauri/`.
fn shell_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn ui_dir() -> PathBuf {
    shell_dir().join("../ui/src/lib")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn registered() -> BTreeSet<String> {
    let names: BTreeSet<String> = COMMANDS.iter().map(|(_, c)| (*c).to_owned()).collect();
    assert_eq!(names.len(), COMMANDS.len(), "a command is registered twice");
    names
}

/// The strings quoted inside `build.rs`'s `const COMMANDS: &[&str] = &[ ... ];`.
fn in_build_rs() -> BTreeSet<String> {
    const HEAD: &str = "const COMMANDS: &[&str] = &[";
    let text = read(&shell_dir().join("build.rs"));
    let start = text.find(HEAD).expect("build.rs declares COMMANDS") + HEAD.len();
    let list = &text[start..];
    let list = &list[..list.find("];").expect("COMMANDS ends")];
    list.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// The app's own permissions (`allow-<command>`) the main window's capability grants, as
/// command names; plugin and core permissions (`name:allow-…`) are not commands.
fn in_capability() -> BTreeSet<String> {
    let path = shell_dir().join("capabilities/main-window.json");
    let json: serde_json::Value = serde_json::from_str(&read(&path)).expect("capability JSON");
    json["permissions"]
        .as_array()
        .expect("a permissions list")
        .iter()
        .filter_map(|p| p.as_str())
        .filter(|p| !p.contains(':'))
        .map(|p| {
            p.strip_prefix("allow-")
                .unwrap_or_else(|| panic!("{p}: the app's permissions are allow-<command>"))
                .replace('-', "_")
        })
        .collect()
}

/// The file stems in `dir` ending in `.ext`, leaving out `skip`.
fn stems(dir: &Path, ext: &str, skip: &[&str]) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(&format!(".{ext}")).map(str::to_owned))
        .filter(|n| !n.ends_with(".test") && !skip.contains(&n.as_str()))
        .collect()
}

/// The commands a UI module calls through `ipc.ts`'s `call` (`call('name'` or
/// `call<Type>('name'`). A `call` whose command is not a string literal fails: the mirror
/// can only be checked when every call names its command.
fn calls_in(source: &str, file: &str) -> Vec<String> {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '.';
    let mut found = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find("call") {
        let before = rest[..at].chars().next_back();
        let after = &rest[at + 4..];
        rest = after;
        if before.is_some_and(is_ident) {
            continue;
        }
        let mut args = after;
        if let Some(generic) = args.strip_prefix('<') {
            // Skip the type argument, which may nest (`call<Array<Item>>`).
            let mut depth = 1;
            let end = generic.char_indices().find_map(|(i, c)| {
                match c {
                    '<' => depth += 1,
                    '>' => depth -= 1,
                    _ => {}
                }
                (depth == 0).then_some(i)
            });
            args = &generic[end.unwrap_or_else(|| panic!("{file}: unclosed call<")) + 1..];
        }
        let Some(args) = args.strip_prefix('(') else {
            continue; // `call` named, not called (the import).
        };
        let args = args.trim_start();
        let quote = args
            .chars()
            .next()
            .filter(|q| matches!(q, '\'' | '"' | '`'))
            .unwrap_or_else(|| panic!("{file}: a call whose command is not a string literal"));
        let name: String = args[1..].chars().take_while(|c| *c != quote).collect();
        found.push(name);
    }
    found
}

/// True when a module imports `call` from `ipc.ts` (`import { call, … } from '../ipc'`).
fn imports_call(source: &str) -> bool {
    source.match_indices("ipc'").any(|(at, _)| {
        let head = &source[..at];
        let statement = &head[head.rfind("import").unwrap_or(0)..];
        statement
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .any(|word| word == "call")
    })
}

#[test]
fn registered_commands_are_in_the_manifest_and_the_capability() {
    let registered = registered();
    assert_eq!(
        in_build_rs(),
        registered,
        "build.rs's COMMANDS (the app manifest) lists exactly the registered commands"
    );
    assert_eq!(
        in_capability(),
        registered,
        "the main window's capability grants exactly the registered commands"
    );
}

#[test]
fn each_command_area_has_its_ui_api_module_and_back() {
    let rust = stems(&shell_dir().join("src/commands"), "rs", &["mod"]);
    let ts = stems(&ui_dir().join("api"), "ts", &[]);
    assert_eq!(
        rust, ts,
        "commands/<area>.rs and ui/src/lib/api/<area>.ts come in pairs"
    );
    let areas: BTreeSet<String> = COMMANDS.iter().map(|(a, _)| (*a).to_owned()).collect();
    assert_eq!(
        areas, rust,
        "every area file registers at least one command, and only area files do"
    );
}

#[test]
fn each_ui_call_is_answered_by_its_own_area() {
    let area_of: BTreeMap<&str, &str> = COMMANDS.iter().map(|(a, c)| (*c, *a)).collect();
    let mut called = BTreeSet::new();
    for area in stems(&ui_dir().join("api"), "ts", &[]) {
        let file = format!("api/{area}.ts");
        for name in calls_in(&read(&ui_dir().join(&file)), &file) {
            match area_of.get(name.as_str()) {
                Some(a) => assert_eq!(
                    *a, area,
                    "{file} calls {name}, so commands/{area}.rs defines it (not commands/{a}.rs)"
                ),
                None => panic!("{file} calls {name}, which is no registered command"),
            }
            called.insert(name);
        }
    }
    let uncalled: Vec<_> = registered().difference(&called).cloned().collect();
    assert!(
        uncalled.is_empty(),
        "every command is there for the UI's api modules to call; none calls {uncalled:?}"
    );
}

#[test]
fn only_the_api_modules_call_the_shell() {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "ts" || e == "svelte") {
                out.push(path);
            }
        }
    }
    let lib = ui_dir();
    let mut files = Vec::new();
    walk(&lib.join(".."), &mut files);
    for path in files {
        let rel = path.strip_prefix(lib.join("..")).unwrap_or(&path);
        let rel = rel.to_string_lossy().replace('\\', "/");
        if rel == "lib/ipc.ts" || rel.starts_with("lib/api/") || rel.starts_with("lib/bindings/") {
            continue;
        }
        let text = read(&path);
        assert!(
            !text.contains("@tauri-apps/api/core"),
            "{rel}: only lib/ipc.ts imports invoke"
        );
        assert!(
            !imports_call(&text),
            "{rel}: commands are called from lib/api/<area>.ts only, so each has one area"
        );
    }
}

#[test]
fn the_import_scanner_tells_call_from_the_rest() {
    assert!(imports_call("import { call } from '../ipc'\n"));
    assert!(imports_call(
        "import {\n  toAppError,\n  call,\n} from './ipc'\n"
    ));
    assert!(!imports_call(
        "import { toAppError } from '../ipc'\nconst call = 1\n"
    ));
    assert!(!imports_call("import type { AppError } from '../ipc'\n"));
}

#[test]
fn the_call_scanner_reads_what_the_api_modules_write() {
    let source = "import { call } from '../ipc'\n\
        export const a = () => call<Draft | null>('get_draft', req)\n\
        export const b = (req: X) =>\n  call<Array<Item>>(\n    'list_items', req)\n\
        export const c = () => call('lock')\n\
        const recall = (x: number) => x.call(this)\n";
    assert_eq!(
        calls_in(source, "example.ts"),
        ["get_draft", "list_items", "lock"],
        "generic, nested generic, wrapped and bare calls are found; `x.call(` and `recall` are not"
    );
}
