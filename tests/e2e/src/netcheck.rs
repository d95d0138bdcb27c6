//! The no-network check: reads the strace logs `tests/e2e/traced-app` wrote for each
//! launch of the app (one folder per launch, one `trace.<tid>` file per process or thread,
//! decoded with `-yy`, data left out with `-s 0`) and finds every use of the network.
//!
//! The app may use Unix sockets (D-Bus, the X display, its own WebKit processes) and
//! netlink (the kernel's routing table, which WebKit's network process watches). Of the
//! IP families it may use exactly one thing: the WebKit inspector server that
//! WebKitWebDriver asks for with `WEBKIT_INSPECTOR_SERVER=127.0.0.1:<port>` (the
//! automation channel WebDriver drives the window through). The app binds and listens
//! there, accepts WebKitWebDriver's connection, and its own processes connect to it to
//! register their pages. So, per launch, with `A` the recorded inspector address:
//!
//! 1. every `bind`, `connect`, `sendto`, `sendmsg` or `sendmmsg` that names an IPv4 or
//!    IPv6 address must name exactly `A`, and `A` must be a loopback address;
//! 2. every IP socket strace shows by its endpoints (`TCP:[l->r]`, `UDP:[l]`, ...) must be
//!    on loopback with `A` as one end;
//! 3. every IP socket created (`socket(AF_INET...)`, `socket(AF_INET6...)`) must be bound
//!    or connected to `A`; one that is not, or a failed attempt, is a violation;
//! 4. no other socket family is allowed (packet, Bluetooth, ...) besides Unix and netlink;
//! 5. a launch that recorded an inspector address must show the listener bound to it
//!    (proof the trace saw the launch's network calls), and there must be a launch.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

/// What the traces held, and every violation found.
#[derive(Debug, Default)]
pub struct Report {
    pub launches: usize,
    /// Processes: each launch's first, plus every fork, vfork or non-thread clone.
    pub processes: usize,
    pub threads: usize,
    /// Programs executed, by path, and how often.
    pub programs: BTreeMap<String, usize>,
    /// Recorded system calls (network, execve, fork and clone), by name.
    pub syscalls: BTreeMap<String, usize>,
    /// Sockets created (`socket`, `socketpair`, `accept`), by family or kind.
    pub sockets: BTreeMap<String, usize>,
    /// `connect` calls, by kind of peer.
    pub connects: BTreeMap<String, usize>,
    /// Inspector (automation) addresses, one per launch that had one.
    pub automation: BTreeSet<String>,
    pub violations: Vec<String>,
}

impl Report {
    pub fn total_syscalls(&self) -> usize {
        self.syscalls.values().sum()
    }

    /// IP-family sockets created (the only kind that could reach a network).
    pub fn ip_sockets(&self) -> usize {
        self.sockets
            .iter()
            .filter(|(k, _)| k.starts_with("AF_INET") || k.starts_with("accepted IP"))
            .map(|(_, n)| n)
            .sum()
    }

    /// The figures, for a person to read.
    pub fn summary(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "launches traced: {}; processes: {}; threads: {}; system calls recorded: {}",
            self.launches,
            self.processes,
            self.threads,
            self.total_syscalls()
        );
        let _ = writeln!(s, "programs run:");
        for (k, n) in &self.programs {
            let _ = writeln!(s, "  {n:6}  {k}");
        }
        let _ = writeln!(s, "system calls:");
        for (k, n) in &self.syscalls {
            let _ = writeln!(s, "  {n:6}  {k}");
        }
        let _ = writeln!(s, "sockets created, by family:");
        for (k, n) in &self.sockets {
            let _ = writeln!(s, "  {n:6}  {k}");
        }
        let _ = writeln!(s, "connect calls, by peer:");
        for (k, n) in &self.connects {
            let _ = writeln!(s, "  {n:6}  {k}");
        }
        let _ = writeln!(
            s,
            "automation (WebDriver inspector) addresses allowed: {}",
            self.automation.len()
        );
        if self.violations.is_empty() {
            let _ = writeln!(s, "network use: none (0 violations)");
        } else {
            let _ = writeln!(s, "VIOLATIONS: {}", self.violations.len());
            for v in self.violations.iter().take(50) {
                let _ = writeln!(s, "  {v}");
            }
        }
        s
    }
}

/// Checks every launch folder under `root`.
pub fn check_dir(root: &Path) -> std::io::Result<Report> {
    check_launches(root, "")
}

/// Checks the launch folders under `root` whose names start with `tag` (a test's
/// screenshot folder name, which the harness passes to tests/e2e/traced-app).
pub fn check_launches(root: &Path, tag: &str) -> std::io::Result<Report> {
    let mut report = Report::default();
    let mut launches: Vec<_> = std::fs::read_dir(root)?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(tag))
        })
        .collect();
    launches.sort();
    for dir in launches {
        let inspector = std::fs::read_to_string(dir.join("inspector-server")).unwrap_or_default();
        let mut files: Vec<(String, String)> = Vec::new();
        let mut names: Vec<_> = std::fs::read_dir(&dir)?
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("trace."))
            })
            .collect();
        names.sort();
        for p in names {
            let name = format!(
                "{}/{}",
                dir.file_name().and_then(|n| n.to_str()).unwrap_or("?"),
                p.file_name().and_then(|n| n.to_str()).unwrap_or("?")
            );
            files.push((name, std::fs::read_to_string(&p)?));
        }
        check_launch(&mut report, inspector.trim(), &files);
    }
    if report.launches == 0 {
        report
            .violations
            .push(format!("no traced launch under {}", root.display()));
    }
    Ok(report)
}

/// Checks one launch: `inspector` is the recorded `WEBKIT_INSPECTOR_SERVER` (empty when
/// none), `files` the trace files as (name, text).
pub fn check_launch(report: &mut Report, inspector: &str, files: &[(String, String)]) {
    report.launches += 1;
    report.processes += 1;
    let allowed = if inspector.is_empty() {
        None
    } else {
        match parse_endpoint(inspector) {
            Some(a) if is_loopback(&a) => {
                report.automation.insert(a.clone());
                Some(a)
            }
            _ => {
                report.violations.push(format!(
                    "the automation address {inspector:?} is not a loopback address"
                ));
                None
            }
        }
    };
    // IP sockets created, by inode, with where they were created; removed once bound or
    // connected to the automation address.
    let mut unexplained: BTreeMap<String, String> = BTreeMap::new();
    let mut explained: BTreeSet<String> = BTreeSet::new();
    let mut listener_seen = false;
    for (file, text) in files {
        for (n, call) in calls(text) {
            let at = format!("{file}:{n}");
            let name = call.split('(').next().unwrap_or("").to_owned();
            *report.syscalls.entry(name.clone()).or_default() += 1;
            let failed = returns_error(&call);
            match name.as_str() {
                "execve" if !failed => {
                    let prog = first_string(&call).unwrap_or_else(|| "?".into());
                    *report.programs.entry(prog).or_default() += 1;
                }
                "clone" | "clone3" | "fork" | "vfork" if !failed => {
                    if call.contains("CLONE_THREAD") {
                        report.threads += 1;
                    } else {
                        report.processes += 1;
                    }
                }
                "socket" | "socketpair" => {
                    let family = call
                        .split(['(', ','])
                        .nth(1)
                        .unwrap_or("?")
                        .trim()
                        .to_owned();
                    let kind = if name == "socketpair" {
                        format!("{family} (pair)")
                    } else if family == "AF_NETLINK" {
                        let proto = call.split(',').nth(2).unwrap_or("?");
                        format!(
                            "AF_NETLINK {}",
                            proto.split(')').next().unwrap_or("?").trim()
                        )
                    } else {
                        family.clone()
                    };
                    *report.sockets.entry(kind).or_default() += 1;
                    match family.as_str() {
                        "AF_UNIX" | "AF_LOCAL" | "AF_NETLINK" => {}
                        "AF_INET" | "AF_INET6" => {
                            if failed {
                                report
                                    .violations
                                    .push(format!("{at}: an IP socket was attempted: {call}"));
                            } else if let Some(inode) = returned_inode(&call) {
                                unexplained.insert(inode, format!("{at}: {call}"));
                            } else {
                                report.violations.push(format!(
                                    "{at}: an IP socket of unknown identity: {call}"
                                ));
                            }
                        }
                        _ => report
                            .violations
                            .push(format!("{at}: a socket of family {family}: {call}")),
                    }
                }
                "accept" | "accept4" if !failed => {
                    let kind = if call.contains("<TCP") || call.contains("<UDP") {
                        "accepted IP connection"
                    } else {
                        "accepted Unix connection"
                    };
                    *report.sockets.entry(kind.into()).or_default() += 1;
                }
                _ => {}
            }
            // Addresses the call names (not those it reports back).
            let names_address = matches!(
                name.as_str(),
                "bind" | "connect" | "sendto" | "sendmsg" | "sendmmsg"
            );
            let ip_addrs: Vec<String> = if names_address {
                sockaddrs(&call)
            } else {
                Vec::new()
            };
            if name == "connect" {
                let kind = connect_kind(&call, allowed.as_deref());
                *report.connects.entry(kind).or_default() += 1;
            }
            for a in &ip_addrs {
                if allowed.as_deref() == Some(a.as_str()) {
                    if let Some(inode) = first_fd_inode(&call) {
                        explained.insert(inode.clone());
                        unexplained.remove(&inode);
                    }
                    if name == "bind" && !failed {
                        listener_seen = true;
                    }
                } else {
                    report.violations.push(format!(
                        "{at}: {name} to {a}, not the automation address: {call}"
                    ));
                }
            }
            // Every IP socket shown by its endpoints, anywhere in the call.
            for (l, r) in ip_endpoints(&call) {
                let ends: Vec<&String> = std::iter::once(&l).chain(r.as_ref()).collect();
                let ok = allowed
                    .as_deref()
                    .is_some_and(|a| ends.iter().any(|e| e.as_str() == a))
                    && ends.iter().all(|e| is_loopback(e));
                if !ok {
                    report.violations.push(format!(
                        "{at}: an IP socket {} not on the automation address: {call}",
                        match &r {
                            Some(r) => format!("{l}->{r}"),
                            None => l.clone(),
                        }
                    ));
                }
            }
        }
    }
    for inode in explained {
        unexplained.remove(&inode);
    }
    for (_, at) in unexplained {
        report.violations.push(format!(
            "an IP socket never bound or connected to the automation address: {at}"
        ));
    }
    if let Some(a) = allowed {
        if !listener_seen {
            report.violations.push(format!(
                "the trace does not show the automation listener on {a}: did strace see this launch?"
            ));
        }
    }
}

/// The trace's system calls with their line numbers, an interrupted call joined with its
/// resumption; signals, exits and strace's own notes left out.
fn calls(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut pending: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        let n = i + 1;
        if line.is_empty() || line.starts_with("---") || line.starts_with("+++") {
            continue;
        }
        if let Some(rest) = line.strip_prefix("<... ") {
            // "<... connect resumed>, {...}, 16) = 0"
            let name = rest.split_whitespace().next().unwrap_or("").to_owned();
            let tail = rest.split_once("resumed>").map(|x| x.1).unwrap_or("");
            let (start, head) = pending.remove(&name).unwrap_or((n, format!("{name}(")));
            out.push((start, format!("{head}{tail}")));
            continue;
        }
        if !line.starts_with(|c: char| c.is_ascii_lowercase()) {
            continue;
        }
        if let Some(head) = line.strip_suffix("<unfinished ...>") {
            let name = head.split('(').next().unwrap_or("").to_owned();
            pending.insert(name, (n, head.trim_end().to_owned()));
            continue;
        }
        out.push((n, line.to_owned()));
    }
    // A call cut off for good (the process died in it) still counts.
    out.extend(pending.into_values());
    out
}

fn returns_error(call: &str) -> bool {
    call.rsplit_once(") = ")
        .is_some_and(|(_, r)| r.trim_start().starts_with('-'))
}

fn first_string(call: &str) -> Option<String> {
    let start = call.find('"')? + 1;
    let len = call.get(start..)?.find('"')?;
    Some(call.get(start..start + len)?.to_owned())
}

/// "18<TCP:[310558]>" after " = ": the inode of the socket a call returned.
fn returned_inode(call: &str) -> Option<String> {
    let (_, ret) = call.rsplit_once(") = ")?;
    inode_of(ret)
}

/// The inode of the call's first argument, when strace shows it by inode.
fn first_fd_inode(call: &str) -> Option<String> {
    let args = call.split_once('(')?.1;
    inode_of(args)
}

/// `12<TCP:[4567]>` → "4567" (only the unbound form, digits between the brackets).
fn inode_of(s: &str) -> Option<String> {
    let open = s.find(":[")? + 2;
    let close = open + s.get(open..)?.find(']')?;
    let inside = s.get(open..close)?;
    (inside.chars().all(|c| c.is_ascii_digit()) && !inside.is_empty()).then(|| inside.to_owned())
}

/// The IPv4 and IPv6 socket addresses written out in a call, as "host:port" or
/// "[host]:port".
fn sockaddrs(call: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = call;
    while let Some(i) = rest.find("sa_family=AF_INET") {
        let tail = rest.get(i..).unwrap_or("");
        let end = tail.find('}').unwrap_or(tail.len());
        let addr = tail.get(..end).unwrap_or("");
        let v6 = addr.starts_with("sa_family=AF_INET6");
        let port = between(addr, "port=htons(", ")").unwrap_or("?");
        let host = if v6 {
            between(addr, "AF_INET6, \"", "\"").map(|h| format!("[{h}]"))
        } else {
            between(addr, "inet_addr(\"", "\"").map(str::to_owned)
        };
        out.push(format!("{}:{port}", host.unwrap_or_else(|| "?".into())));
        rest = tail.get(end.max(1)..).unwrap_or("");
    }
    out
}

fn between<'a>(s: &'a str, a: &str, b: &str) -> Option<&'a str> {
    let start = s.find(a)? + a.len();
    let len = s.get(start..)?.find(b)?;
    s.get(start..start + len)
}

/// Every IP socket a call shows by its endpoints: `<TCP:[127.0.0.1:80->1.2.3.4:5]>`,
/// `<UDP:[0.0.0.0:40333]>`, `<TCPv6:[[::1]:80]>`. Sockets shown by inode only are not
/// bound or connected yet and carry no address.
fn ip_endpoints(call: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut rest = call;
    while let Some(i) = rest.find('<') {
        let tail = rest.get(i + 1..).unwrap_or("");
        rest = tail;
        let Some((proto, after)) = tail.split_once(":[") else {
            continue;
        };
        let ip = matches!(
            proto,
            "TCP"
                | "TCPv6"
                | "UDP"
                | "UDPv6"
                | "UDPLITE"
                | "UDPLITEv6"
                | "RAW"
                | "RAWv6"
                | "SCTP"
                | "SCTPv6"
                | "DCCP"
                | "DCCPv6"
                | "PING"
                | "PINGv6"
                | "MPTCP"
                | "MPTCPv6"
        );
        if !ip {
            continue;
        }
        // The endpoints end at "]>"; IPv6 hosts are themselves in brackets.
        let Some(end) = after.find("]>") else {
            continue;
        };
        let inside = after.get(..end).unwrap_or("");
        if inside.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        match inside.split_once("->") {
            Some((l, r)) => out.push((l.to_owned(), Some(r.to_owned()))),
            None => out.push((inside.to_owned(), None)),
        }
    }
    out
}

/// "127.0.0.1:5000" or "[::1]:5000", as the inspector server names it.
fn parse_endpoint(s: &str) -> Option<String> {
    let (host, port) = s.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let ip: std::net::IpAddr = host.parse().ok()?;
    Some(match ip {
        std::net::IpAddr::V4(v4) => format!("{v4}:{port}"),
        std::net::IpAddr::V6(v6) => format!("[{v6}]:{port}"),
    })
}

fn is_loopback(endpoint: &str) -> bool {
    let Some((host, _)) = endpoint.rsplit_once(':') else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

/// What a `connect` reached for, as a kind a person can read.
fn connect_kind(call: &str, automation: Option<&str>) -> String {
    if let Some(path) = between(call, "sun_path=", "}") {
        let p = path.trim_matches('"').trim_start_matches("@\"");
        let kind = if p.contains(".X11-unix") {
            "the X display"
        } else if p.contains("at-spi") {
            "the accessibility bus"
        } else if p.contains("dbus") || p.contains("bus") {
            "a D-Bus bus"
        } else if p.contains("nscd") {
            "nscd (glibc's name service cache)"
        } else {
            "other"
        };
        let p = if p.starts_with("/tmp/dbus-") {
            "/tmp/dbus-*"
        } else {
            p
        };
        return format!("AF_UNIX {kind}: {}", p.trim_end_matches('"'));
    }
    let addrs = sockaddrs(call);
    if let Some(a) = addrs.first() {
        if automation == Some(a.as_str()) {
            return "AF_INET the WebDriver automation address (inspector server)".into();
        }
        return format!("IP {a} (VIOLATION)");
    }
    match call.split("sa_family=").nth(1) {
        Some(f) => f.split([',', '}']).next().unwrap_or("?").to_owned(),
        None => "no address".into(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const INSPECTOR: &str = "127.0.0.1:59261";

    /// What a real launch looks like (lines taken from a trace of the app).
    const CLEAN: &str = r#"execve("/work/main/target/app/kap-practice", [""...], 0x7ffd /* 60 vars */) = 0
socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0) = 5<UNIX-STREAM:[310511]>
connect(5<UNIX-STREAM:[310511]>, {sa_family=AF_UNIX, sun_path="/tmp/dbus-MXrfgglNsi"}, 110) = 0
connect(7<UNIX-STREAM:[310520]>, {sa_family=AF_UNIX, sun_path=@"/tmp/.X11-unix/X99"}, 21) = 0
socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) = 5<NETLINK:[310593]>
bind(5<NETLINK:[310593]>, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=0x000440}, 12) = 0
clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD, child_tid=0x1}, 88) = 13822
clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 13864
socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 18<TCP:[310558]>
setsockopt(18<TCP:[310558]>, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
bind(18<TCP:[310558]>, {sa_family=AF_INET, sin_port=htons(59261), sin_addr=inet_addr("127.0.0.1")}, 16) = 0
listen(18<TCP:[127.0.0.1:59261]>, 10)   = 0
accept(18<TCP:[127.0.0.1:59261]>, NULL, NULL) = 26<TCP:[127.0.0.1:59261->127.0.0.1:54136]>
socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 28<TCP:[309559]>
connect(28<TCP:[309559]>, {sa_family=AF_INET, sin_port=htons(59261), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 EINPROGRESS (Operation now in progress)
sendto(28<TCP:[127.0.0.1:54148->127.0.0.1:59261]>, ""..., 55, MSG_NOSIGNAL, NULL, 0) = 55
recvfrom(26<TCP:[127.0.0.1:59261->127.0.0.1:54136]>, ""..., 4096, 0, NULL, NULL) = 69
+++ exited with 0 +++
"#;

    fn check(inspector: &str, trace: &str) -> Report {
        let mut r = Report::default();
        check_launch(&mut r, inspector, &[("t/trace.1".into(), trace.into())]);
        r
    }

    #[test]
    fn a_real_launch_is_clean_and_counted() {
        let r = check(INSPECTOR, CLEAN);
        assert!(r.violations.is_empty(), "{:#?}", r.violations);
        assert_eq!(r.processes, 2);
        assert_eq!(r.threads, 1);
        assert_eq!(r.ip_sockets(), 3, "{:?}", r.sockets);
        assert_eq!(
            r.connects
                .get("AF_INET the WebDriver automation address (inspector server)"),
            Some(&1)
        );
        assert_eq!(r.connects.get("AF_UNIX a D-Bus bus: /tmp/dbus-*"), Some(&1));
        assert_eq!(
            r.programs.get("/work/main/target/app/kap-practice"),
            Some(&1)
        );
    }

    /// The brief's own example: a connect to a public address must fail the check.
    #[test]
    fn a_connect_to_a_public_address_is_caught() {
        let trace = format!(
            "{CLEAN}socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK, IPPROTO_IP) = 40<TCP:[400001]>\n\
             connect(40<TCP:[400001]>, {{sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr(\"93.184.216.34\")}}, 16) = -1 ENETUNREACH (Network is unreachable)\n"
        );
        let r = check(INSPECTOR, &trace);
        assert!(!r.violations.is_empty());
        assert!(
            r.violations.iter().any(|v| v.contains("93.184.216.34:443")),
            "{:#?}",
            r.violations
        );
        assert!(r.summary().contains("VIOLATIONS"));
    }

    #[test]
    fn each_way_out_is_caught() {
        let cases = [
            // DNS over UDP without connect.
            "socket(AF_INET, SOCK_DGRAM|SOCK_CLOEXEC, IPPROTO_IP) = 9<UDP:[500]>\n\
             sendto(9<UDP:[500]>, \"\"..., 40, 0, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr(\"8.8.8.8\")}, 16) = 40\n",
            // sendmsg with a destination.
            "sendmsg(9<UDP:[0.0.0.0:4000]>, {msg_name={sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr(\"1.1.1.1\")}, msg_namelen=16}, 0) = 40\n",
            // IPv6.
            "socket(AF_INET6, SOCK_STREAM, IPPROTO_IP) = 9<TCPv6:[501]>\n\
             connect(9<TCPv6:[501]>, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"2606:2800:220:1::\", &sin6_addr), sin6_scope_id=0}, 28) = -1 ENETUNREACH (Network is unreachable)\n",
            // Loopback, but another port: a local proxy is a way out too.
            "socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 9<TCP:[502]>\n\
             connect(9<TCP:[502]>, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n",
            // The automation port on every interface instead of loopback.
            "socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 9<TCP:[503]>\n\
             bind(9<TCP:[503]>, {sa_family=AF_INET, sin_port=htons(59261), sin_addr=inet_addr(\"0.0.0.0\")}, 16) = 0\n",
            // An IP socket opened and never used for the automation address.
            "socket(AF_INET, SOCK_DGRAM|SOCK_CLOEXEC, IPPROTO_IP) = 9<UDP:[504]>\n",
            // A failed attempt still counts.
            "socket(AF_INET6, SOCK_DGRAM, IPPROTO_IP) = -1 EAFNOSUPPORT (Address family not supported by protocol)\n",
            // A connected socket handed in from elsewhere, used without connect.
            "write(3<TCP:[10.0.0.5:5000->93.184.216.34:80]>, \"\"..., 10) = 10\n",
            // Raw packets.
            "socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)) = 9<PACKET:[505]>\n",
            // An interrupted connect, resumed later.
            "connect(9<TCP:[506]>, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"203.0.113.1\")}, 16 <unfinished ...>\n\
             --- SIGALRM {si_signo=SIGALRM} ---\n\
             <... connect resumed>) = -1 EINTR (Interrupted system call)\n",
        ];
        for case in cases {
            let r = check(INSPECTOR, &format!("{CLEAN}{case}"));
            assert!(!r.violations.is_empty(), "not caught: {case}");
        }
    }

    #[test]
    fn the_automation_address_must_be_loopback_and_seen() {
        let r = check("10.0.0.5:59261", CLEAN);
        assert!(!r.violations.is_empty());
        // No inspector recorded: even the automation listener is a violation.
        let r = check("", CLEAN);
        assert!(!r.violations.is_empty());
        // An inspector recorded but its listener absent: the trace missed the launch.
        let r = check(
            INSPECTOR,
            "socket(AF_UNIX, SOCK_STREAM, 0) = 3<UNIX-STREAM:[1]>\n",
        );
        assert!(r
            .violations
            .iter()
            .any(|v| v.contains("does not show the automation listener")));
    }

    #[test]
    fn an_empty_folder_is_not_a_pass() {
        let dir = tempfile::tempdir().unwrap();
        let r = check_dir(dir.path()).unwrap();
        assert!(!r.violations.is_empty());
    }

    #[test]
    fn a_folder_with_a_violating_launch_fails() {
        let dir = tempfile::tempdir().unwrap();
        let launch = dir.path().join("billing.abc123");
        std::fs::create_dir(&launch).unwrap();
        std::fs::write(launch.join("inspector-server"), format!("{INSPECTOR}\n")).unwrap();
        std::fs::write(launch.join("trace.100"), CLEAN).unwrap();
        std::fs::write(
            launch.join("trace.101"),
            "connect(40<TCP:[400001]>, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"93.184.216.34\")}, 16) = -1 ENETUNREACH (Network is unreachable)\n",
        )
        .unwrap();
        let r = check_dir(dir.path()).unwrap();
        assert_eq!(r.launches, 1);
        assert!(
            r.violations
                .iter()
                .any(|v| v.contains("billing.abc123/trace.101:1")),
            "{:#?}",
            r.violations
        );
    }
}
