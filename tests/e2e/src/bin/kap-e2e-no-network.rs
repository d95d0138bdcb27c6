//! `kap-e2e-no-network <traces folder>`: checks the strace logs of every traced launch
//! of the app (see `kap_e2e::netcheck`), prints the figures, and fails on any use of
//! the network other than the WebDriver automation channel.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        let _ = writeln!(
            std::io::stderr(),
            "usage: kap-e2e-no-network <traces folder>"
        );
        return ExitCode::from(2);
    };
    match kap_e2e::netcheck::check_dir(&dir) {
        Ok(report) => {
            let _ = write!(std::io::stdout(), "{}", report.summary());
            if report.violations.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "reading {}: {e}", dir.display());
            ExitCode::from(2)
        }
    }
}
