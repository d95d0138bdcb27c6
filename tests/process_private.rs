//! The app's memory stays private (`kap_practice::process`): after the call `main` makes
//! first, this process may write no core file, neither may the processes it starts, the
//! limit cannot be raised again, and on Linux the process is not dumpable.
//!
//! Its own test binary: the limits it sets last for the whole process.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

use kap_practice::process::keep_memory_private;
use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};
use std::process::Command;

#[test]
fn no_core_files_here_or_in_children_and_not_dumpable() {
    let took = keep_memory_private();
    assert!(took.no_core_files, "{took:?}");
    let limit = getrlimit(Resource::Core);
    assert_eq!((limit.current, limit.maximum), (Some(0), Some(0)));

    // A process the app starts (WebKit's, a print job's) inherits the limit.
    let out = Command::new("sh")
        .args(["-c", "ulimit -c; ulimit -H -c"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "0\n0\n");

    // Raising the hard limit again needs a privilege a therapist's app does not have.
    // As root (CI) it would succeed, so it is only checked without CAP_SYS_RESOURCE.
    if !rustix::process::geteuid().is_root() {
        let raise = setrlimit(
            Resource::Core,
            Rlimit {
                current: Some(1 << 20),
                maximum: Some(1 << 20),
            },
        );
        assert!(raise.is_err(), "the hard limit of 0 was raised");
    }

    #[cfg(target_os = "linux")]
    {
        use rustix::process::{dumpable_behavior, DumpableBehavior};
        assert!(took.not_dumpable, "{took:?}");
        assert_eq!(dumpable_behavior().unwrap(), DumpableBehavior::NotDumpable);
    }

    // Calling it again changes nothing and still reports both.
    assert_eq!(keep_memory_private(), took);
}
