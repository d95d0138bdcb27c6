//! The processes a test started, read from `/proc`, and ending them by id.
//!
//! The test process makes itself a child subreaper, so every process started under it
//! (tauri-driver, WebKitWebDriver, the app and WebKit's processes) stays its descendant
//! even when its parent dies first: "what this test started" is exactly its descendants.
//! A process is named by its pid and its start time, so a pid the system has since given
//! to another process is never signalled.

use rustix::process::{kill_process, set_child_subreaper, waitpid, Pid, Signal, WaitOptions};
use std::time::{Duration, Instant};

/// One process, as `/proc/<pid>/stat` describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proc {
    pub pid: i32,
    pub ppid: i32,
    /// The kernel's short name (at most 15 bytes), e.g. `WebKitWebDriver`.
    pub comm: String,
    pub zombie: bool,
    /// Clock ticks since boot when it started: with the pid, its identity.
    pub start: u64,
}

/// Parses `/proc/<pid>/stat`. The name sits in parentheses and may hold any byte, so
/// the fields are read after its last `)`.
pub fn parse_stat(stat: &str) -> Option<Proc> {
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let pid = stat.get(..open)?.trim().parse().ok()?;
    let comm = stat.get(open + 1..close)?.to_owned();
    let rest: Vec<&str> = stat.get(close + 1..)?.split_whitespace().collect();
    // rest[0] is field 3 (state), rest[1] field 4 (ppid), rest[19] field 22 (starttime).
    Some(Proc {
        pid,
        ppid: rest.get(1)?.parse().ok()?,
        zombie: matches!(rest.first(), Some(&"Z") | Some(&"X")),
        comm,
        start: rest.get(19)?.parse().ok()?,
    })
}

fn read(pid: i32) -> Option<Proc> {
    parse_stat(&std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?)
}

/// Every process on the system, as far as it can be read.
pub fn all() -> Vec<Proc> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .filter_map(read)
        .collect()
}

/// Every descendant of `root` (children, their children, ...), zombies included.
pub fn descendants(root: i32) -> Vec<Proc> {
    let procs = all();
    let mut out: Vec<Proc> = Vec::new();
    let mut frontier = vec![root];
    while let Some(parent) = frontier.pop() {
        for p in procs.iter().filter(|p| p.ppid == parent) {
            if !out.iter().any(|q| q.pid == p.pid) {
                frontier.push(p.pid);
                out.push(p.clone());
            }
        }
    }
    out
}

/// This test process's pid.
pub fn me() -> i32 {
    i32::try_from(std::process::id()).unwrap_or(i32::MAX)
}

/// Makes this process the reaper of every orphan below it, so nothing it starts can
/// escape from its tree. Idempotent.
pub fn adopt_orphans() -> std::io::Result<()> {
    set_child_subreaper(Pid::from_raw(me()))?;
    Ok(())
}

/// Whether `p` is still that same process and has not exited.
pub fn alive(p: &Proc) -> bool {
    matches!(read(p.pid), Some(now) if now.start == p.start && !now.zombie)
}

/// What `p`'s threads are doing, for a test's failure message: each thread's name,
/// state, where it waits in the kernel (`wchan`), the system call it is in (its number
/// and first argument, from `/proc/<pid>/task/<tid>/syscall`) and its kernel stack
/// where it can be read. Holds no data of the app's: names and kernel addresses only.
pub fn describe(p: &Proc) -> String {
    let read = |path: String| {
        std::fs::read_to_string(path)
            .map(|s| s.trim().to_owned())
            .unwrap_or_else(|_| "?".into())
    };
    let mut out = format!("{} {}:", p.pid, p.comm);
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{}/task", p.pid)) else {
        return out + " gone";
    };
    let mut tids: Vec<i32> = tasks
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .collect();
    tids.sort_unstable();
    for tid in tids {
        let base = format!("/proc/{}/task/{tid}", p.pid);
        let state = read(format!("{base}/stat"))
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next().map(str::to_owned))
            .unwrap_or_else(|| "?".into());
        let syscall: Vec<String> = read(format!("{base}/syscall"))
            .split_whitespace()
            .take(2)
            .map(str::to_owned)
            .collect();
        let stack: Vec<String> = read(format!("{base}/stack"))
            .lines()
            .take(6)
            .map(|l| l.split_whitespace().last().unwrap_or("").to_owned())
            .collect();
        out.push_str(&format!(
            "\n  {tid} {} {state} wchan={} syscall={} stack={}",
            read(format!("{base}/comm")),
            read(format!("{base}/wchan")),
            syscall.join(","),
            stack.join("<"),
        ));
    }
    out
}

/// Sends `sig` to `p` if it is still that same process.
pub fn signal(p: &Proc, sig: Signal) {
    if !alive(p) {
        return;
    }
    if let Some(pid) = Pid::from_raw(p.pid) {
        let _ = kill_process(pid, sig);
    }
}

/// Collects the exit status of orphans that died as this process's children (it is
/// their subreaper), except `keep` (children a `Child` handle will wait for itself).
pub fn reap_zombies(keep: &[i32]) {
    for p in descendants(me()) {
        if p.zombie && p.ppid == me() && !keep.contains(&p.pid) {
            if let Some(pid) = Pid::from_raw(p.pid) {
                let _ = waitpid(Some(pid), WaitOptions::NOHANG);
            }
        }
    }
}

/// Waits until none of `procs` is running, up to `limit`; returns those still running.
pub fn wait_gone(procs: &[Proc], limit: Duration) -> Vec<Proc> {
    let deadline = Instant::now() + limit;
    loop {
        let left: Vec<Proc> = procs.iter().filter(|p| alive(p)).cloned().collect();
        if left.is_empty() || Instant::now() >= deadline {
            return left;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Ends `procs`: SIGTERM, then after `grace` SIGKILL to whatever still runs. Returns
/// those that had to be killed.
pub fn terminate(procs: &[Proc], grace: Duration) -> Vec<Proc> {
    for p in procs {
        signal(p, Signal::TERM);
    }
    let stubborn = wait_gone(procs, grace);
    for p in &stubborn {
        signal(p, Signal::KILL);
    }
    let _ = wait_gone(&stubborn, Duration::from_secs(5));
    stubborn
}

/// Whether nothing listens on 127.0.0.1:`port` (it can be bound).
pub fn port_free(port: u16) -> bool {
    std::net::TcpListener::bind(("127.0.0.1", port)).is_ok()
}

/// Waits until every port can be bound, up to `limit`; returns those still taken.
pub fn wait_ports_free(ports: &[u16], limit: Duration) -> Vec<u16> {
    let deadline = Instant::now() + limit;
    loop {
        let taken: Vec<u16> = ports.iter().copied().filter(|p| !port_free(*p)).collect();
        if taken.is_empty() || Instant::now() >= deadline {
            return taken;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn stat_with_a_name_holding_parentheses_and_spaces() {
        let stat = "4242 (Web (Content) x) S 17 4242 4242 0 -1 4194560 1 0 0 0 3 1 0 0 20 0 \
                    9 0 123456 1000 10 18446744073709551615";
        let p = parse_stat(stat).unwrap();
        assert_eq!(p.pid, 4242);
        assert_eq!(p.ppid, 17);
        assert_eq!(p.comm, "Web (Content) x");
        assert!(!p.zombie);
        assert_eq!(p.start, 123456);
    }

    #[test]
    fn this_process_is_alive_and_its_own_stat_parses() {
        let p = read(me()).unwrap();
        assert_eq!(p.pid, me());
        assert!(alive(&p));
        let gone = Proc {
            start: p.start + 1,
            ..p
        };
        assert!(
            !alive(&gone),
            "the same pid with another start time is another process"
        );
    }
}
