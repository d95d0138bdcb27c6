//! axe-core is the end-to-end suite's, never the app's: the tests inject it into the
//! webview (`kap_e2e::axe`), and the UI neither depends on it nor imports it, so the
//! built UI that the app embeds (`ui/dist`, built by `scripts/build-app`) holds none of it.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use kap_e2e::axe::{holds_axe, source_path};
use std::path::{Path, PathBuf};

fn ui() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui")
}

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_owned()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}

#[test]
#[ignore = "reads the built UI; scripts/e2e runs it after scripts/build-app"]
fn the_built_ui_holds_no_axe() {
    let axe = std::fs::read_to_string(source_path()).expect("axe-core installed in ui/");
    assert!(
        holds_axe(&axe),
        "the signature the check looks for is axe-core's own"
    );

    let package: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(ui().join("package.json")).unwrap()).unwrap();
    assert!(
        package["devDependencies"]["axe-core"].is_string(),
        "axe-core is a devDependency of the UI"
    );
    assert!(
        package["dependencies"].get("axe-core").is_none(),
        "axe-core is not a dependency the app ships"
    );

    for file in files(&ui().join("src")) {
        let text = std::fs::read(&file).unwrap();
        assert!(
            !holds_axe(&String::from_utf8_lossy(&text)),
            "{} mentions axe-core: the UI must never import it",
            file.display()
        );
    }

    let dist = ui().join("dist");
    let built = files(&dist);
    assert!(
        built
            .iter()
            .any(|f| f.extension().is_some_and(|x| x == "js")),
        "{} holds the built UI (scripts/build-app)",
        dist.display()
    );
    for file in built {
        let text = std::fs::read(&file).unwrap();
        assert!(
            !holds_axe(&String::from_utf8_lossy(&text)),
            "{} holds axe-core: the app must not ship it",
            file.display()
        );
    }
}
