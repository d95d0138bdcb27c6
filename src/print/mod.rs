//! Printing a document's PDF on a printer the operating system knows.
//!
//! On Linux and macOS the printing system is CUPS, reached through its own command-line
//! clients: `lpstat` lists the destinations and the default one, and `lp` submits a job.
//! The PDF goes to `lp` on its standard input, so no copy of the document is ever written
//! to disk by the app (CUPS keeps its spool file under its own access control and removes
//! it when the job is done). The clients talk to the scheduler over its Unix socket
//! (`/run/cups/cups.sock`), so printing needs no network even when the app runs without one.
//!
//! Nothing of the document is given to the printing system but its bytes: every job has
//! the same neutral title ([`JOB_TITLE`]), never a client's name or an invoice number, so
//! the printer's queue, its web page and CUPS's logs show nothing about whom it is for.
//! Errors name what failed, never the printer's output or anything from the document.
//!
//! Windows has no `lp`. Printing there needs the Win32 print spooler (`OpenPrinterW`,
//! `StartDocPrinterW` with the `XPS_PASS`/`RAW` data type, which most drivers do not
//! accept for PDF) or a PDF renderer that draws onto a printer device context (for
//! example PDFium's `FPDF_RenderPage` into `CreateDCW`). Until that is written,
//! [`Cups::system`] reports [`PrintError::NoPrintSystem`] on Windows and the app offers
//! "Save as PDF…", from which the PDF viewer prints.
//!
//! [`PrintDocument`] names the documents and is the one path that discloses one: it
//! renders inside a write with its `export` audit row ([`PrintDocument::disclose`]).
//!
//! The functions that build arguments and read the clients' output are pure and tested
//! without a printer; [`Cups`] names the two programs so tests can stand in for them.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod document;
#[cfg(test)]
mod tests;

pub use document::PrintDocument;

/// The title of every print job: neutral, the same for every document.
pub const JOB_TITLE: &str = "KAP Practice document";

/// The most copies one job may ask for.
pub const MAX_COPIES: u8 = 20;

/// How long a CUPS client may take before the app gives up on it.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(30);

/// A printer (a CUPS destination) the operating system knows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Printer {
    pub name: String,
    /// The system's (or the user's) default destination.
    pub is_default: bool,
}

/// A job the printing system accepted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct PrintJob {
    /// The printing system's job id (for example `Office-12`), when it said one.
    pub id: Option<String>,
    pub printer: String,
}

/// Why printing failed. Messages are for the therapist and carry no document content,
/// no printer output and no file paths.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrintError {
    /// There is no printing system to talk to (no CUPS clients, or Windows).
    #[error("This computer has no printing system the app can use. Save the document as a PDF and print it from there.")]
    NoPrintSystem,
    /// The printing system is installed but not running or not answering.
    #[error("The printing system is not answering. Check that printing is on, then try again.")]
    Unavailable,
    /// The chosen printer is not one the system knows (any more).
    #[error("That printer is not one this computer knows. Choose a printer from the list.")]
    UnknownPrinter,
    /// The number of copies is out of range.
    #[error("Copies must be between 1 and 20.")]
    BadCopies,
    /// The printing system refused the job.
    #[error("The printer did not accept the document. Check the printer, then try again.")]
    Refused,
    /// A client took longer than the app waits.
    #[error("The printing system took too long to answer. Check the printer, then try again.")]
    TimedOut,
}

impl From<PrintError> for crate::Error {
    fn from(e: PrintError) -> Self {
        match e {
            PrintError::UnknownPrinter => crate::Error::invalid("printer", &e.to_string()),
            PrintError::BadCopies => crate::Error::invalid("copies", &e.to_string()),
            other => crate::Error::Conflict(other.to_string()),
        }
    }
}

/// The CUPS command-line clients the app runs.
#[derive(Debug, Clone)]
pub struct Cups {
    lpstat: PathBuf,
    lp: PathBuf,
}

impl Cups {
    /// The system's clients, found on `PATH` (`/usr/bin` on Linux and macOS).
    pub fn system() -> Cups {
        Cups::with_programs("lpstat", "lp")
    }

    /// Other programs in their place (tests).
    pub fn with_programs(lpstat: impl Into<PathBuf>, lp: impl Into<PathBuf>) -> Cups {
        Cups {
            lpstat: lpstat.into(),
            lp: lp.into(),
        }
    }

    /// The printers the system knows, the default one marked. An empty list when there
    /// are none; an error when there is no printing system or it does not answer.
    pub fn printers(&self) -> Result<Vec<Printer>, PrintError> {
        if cfg!(windows) {
            return Err(PrintError::NoPrintSystem);
        }
        let names = run(&self.lpstat, &["-e"], None)?;
        let names = if names.status_ok {
            parse_destinations(&names.stdout)
        } else {
            Vec::new()
        };
        if names.is_empty() {
            // `lpstat -e` prints nothing both when there is no destination and when the
            // scheduler is not running (with or without an error status): only the
            // scheduler's own answer tells those apart.
            let running = run(&self.lpstat, &["-r"], None)?;
            return if running.status_ok && parse_scheduler_running(&running.stdout) {
                Ok(Vec::new())
            } else {
                Err(PrintError::Unavailable)
            };
        }
        let default = run(&self.lpstat, &["-d"], None)
            .ok()
            .filter(|o| o.status_ok)
            .and_then(|o| parse_default(&o.stdout));
        Ok(names
            .into_iter()
            .map(|name| Printer {
                is_default: default.as_deref() == Some(name.as_str()),
                name,
            })
            .collect())
    }

    /// Prints `pdf` on `printer`, which must be one of [`Cups::printers`]. The PDF goes
    /// to `lp` on its standard input; nothing is written to disk by the app.
    pub fn print_pdf(&self, printer: &str, copies: u8, pdf: &[u8]) -> Result<PrintJob, PrintError> {
        if !(1..=MAX_COPIES).contains(&copies) {
            return Err(PrintError::BadCopies);
        }
        if !is_plausible_printer_name(printer) {
            return Err(PrintError::UnknownPrinter);
        }
        if !self.printers()?.iter().any(|p| p.name == printer) {
            return Err(PrintError::UnknownPrinter);
        }
        let args = lp_args(printer, copies);
        let out = run(&self.lp, &args, Some(pdf))?;
        if !out.status_ok {
            return Err(PrintError::Refused);
        }
        Ok(PrintJob {
            id: parse_job_id(&out.stdout),
            printer: printer.to_owned(),
        })
    }
}

/// The arguments of `lp` for one job: the destination, the copies, the neutral title,
/// and `--` so nothing after it is read as an option, then `-` for standard input.
pub fn lp_args(printer: &str, copies: u8) -> Vec<OsString> {
    [
        "-d",
        printer,
        "-n",
        &copies.to_string(),
        "-t",
        JOB_TITLE,
        "-o",
        "job-sheets=none",
        "--",
        "-",
    ]
    .iter()
    .map(OsString::from)
    .collect()
}

/// A name CUPS could have given a destination (or `name/instance`): printable, no
/// spaces, no leading dash, at most 127 bytes. Anything else is refused before the
/// printing system is asked.
pub fn is_plausible_printer_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 127
        && !name.starts_with('-')
        && name.chars().all(|c| {
            !c.is_control() && !c.is_whitespace() && c != '\\' && c != '#' && c != '\'' && c != '"'
        })
}

/// The destinations `lpstat -e` prints, one a line.
pub fn parse_destinations(stdout: &str) -> Vec<String> {
    let mut names: Vec<String> = stdout
        .lines()
        .map(str::trim)
        .filter(|l| is_plausible_printer_name(l))
        .map(str::to_owned)
        .collect();
    names.dedup();
    names
}

/// The default destination from `lpstat -d` in the C locale
/// (`system default destination: NAME`), or `None`.
pub fn parse_default(stdout: &str) -> Option<String> {
    stdout.lines().find_map(|l| {
        l.trim()
            .strip_prefix("system default destination:")
            .map(str::trim)
            .filter(|n| is_plausible_printer_name(n))
            .map(str::to_owned)
    })
}

/// Whether `lpstat -r` says the scheduler runs (`scheduler is running`).
pub fn parse_scheduler_running(stdout: &str) -> bool {
    stdout.lines().any(|l| l.trim() == "scheduler is running")
}

/// The job id from `lp`'s answer (`request id is Office-12 (1 file(s))`).
pub fn parse_job_id(stdout: &str) -> Option<String> {
    stdout.lines().find_map(|l| {
        l.trim()
            .strip_prefix("request id is ")
            .and_then(|rest| rest.split_whitespace().next())
            .map(str::to_owned)
    })
}

struct Output {
    status_ok: bool,
    stdout: String,
}

/// Runs one client with the C locale (its messages are parsed), optionally feeding it
/// `input`, and waits at most [`CLIENT_TIMEOUT`]. Its standard error is discarded: the
/// app never shows or logs what a printing client says.
fn run<S: AsRef<std::ffi::OsStr>>(
    program: &PathBuf,
    args: &[S],
    input: Option<&[u8]>,
) -> Result<Output, PrintError> {
    let mut child = Command::new(program)
        .args(args)
        .env("LC_ALL", "C")
        .env("LANG", "C")
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied => {
                PrintError::NoPrintSystem
            }
            _ => PrintError::Unavailable,
        })?;

    // Standard input is written and standard output read on their own threads, so a
    // client that answers before it has read everything cannot block the other side.
    let writer = match (input, child.stdin.take()) {
        (Some(bytes), Some(mut stdin)) => {
            let bytes = bytes.to_vec();
            Some(std::thread::spawn(move || {
                let ok = stdin.write_all(&bytes).is_ok();
                drop(stdin);
                ok
            }))
        }
        _ => None,
    };
    let reader = child.stdout.take().map(|mut out| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            // At most 64 KiB of answer is kept; the rest is read and dropped.
            let mut chunk = [0u8; 8192];
            while let Ok(n) = out.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                if buf.len() < 64 * 1024 {
                    buf.extend_from_slice(&chunk[..n]);
                }
            }
            buf
        })
    });

    let deadline = Instant::now() + CLIENT_TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            Ok(None) | Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(PrintError::TimedOut);
            }
        }
    };
    let wrote = writer.map(|w| w.join().unwrap_or(false)).unwrap_or(true);
    let stdout = reader
        .map(|r| r.join().unwrap_or_default())
        .unwrap_or_default();
    Ok(Output {
        status_ok: status.success() && wrote,
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
    })
}
