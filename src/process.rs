//! The process's own memory stays private: no core file, and no reading it from outside.
//!
//! While a practice is open the app's memory holds the data key and whatever the screen
//! shows. A crash must not write that memory to disk: a core file lands in the working
//! folder or a system crash store in plain text, outside the encrypted database and
//! whatever its owner-only modes promise. [`keep_memory_private`] runs first thing in
//! `main`, before any key exists:
//!
//! - **Unix:** the core-file size limit (soft and hard) becomes 0. The limit is inherited
//!   by every process the app starts (WebKit's web and network processes, a print job),
//!   and a hard limit of 0 cannot be raised again without privilege. systemd-coredump and
//!   apport also read it and keep no core.
//! - **Linux:** the process is marked not dumpable (`PR_SET_DUMPABLE` 0): the kernel writes
//!   no core for it whatever the limit, and another process of the same account can no
//!   longer attach to it or read its memory through `/proc`. The mark is reset by `exec`,
//!   which is why the limit above matters for the processes the app starts.
//!
//! On Windows the app's memory is left to the system's own crash reporting settings.

/// Which protections took effect; an error from either is reported, not fatal: the app
/// still runs where a sandbox refuses the calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryPrivacy {
    /// The core-file size limit is 0, soft and hard.
    pub no_core_files: bool,
    /// The process is marked not dumpable (Linux only).
    pub not_dumpable: bool,
}

/// Turns off core files for this process and the ones it starts, and on Linux marks it
/// not dumpable. Call it once, first thing in `main`.
pub fn keep_memory_private() -> MemoryPrivacy {
    MemoryPrivacy {
        no_core_files: no_core_files(),
        not_dumpable: not_dumpable(),
    }
}

#[cfg(unix)]
fn no_core_files() -> bool {
    use rustix::process::{setrlimit, Resource, Rlimit};
    setrlimit(
        Resource::Core,
        Rlimit {
            current: Some(0),
            maximum: Some(0),
        },
    )
    .is_ok()
}

#[cfg(not(unix))]
fn no_core_files() -> bool {
    false
}

#[cfg(target_os = "linux")]
fn not_dumpable() -> bool {
    use rustix::process::{set_dumpable_behavior, DumpableBehavior};
    set_dumpable_behavior(DumpableBehavior::NotDumpable).is_ok()
}

#[cfg(not(target_os = "linux"))]
fn not_dumpable() -> bool {
    false
}
