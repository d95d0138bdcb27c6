#![allow(clippy::unwrap_used)]

use super::*;

#[test]
fn lp_gets_the_printer_copies_a_neutral_title_and_standard_input() {
    let args: Vec<String> = lp_args("Office_Laser", 2)
        .into_iter()
        .map(|a| a.into_string().unwrap())
        .collect();
    assert_eq!(
        args,
        [
            "-d",
            "Office_Laser",
            "-n",
            "2",
            "-t",
            "KAP Practice document",
            "-o",
            "job-sheets=none",
            "--",
            "-"
        ],
        "the job names the printer and the neutral title; the PDF comes on standard input, never as a file"
    );
}

#[test]
fn printer_names_cups_could_have_made_and_nothing_else() {
    for ok in [
        "Office",
        "HP_LaserJet_4",
        "KAP-Virtual-PDF",
        "Office/duplex",
        "Büro",
    ] {
        assert!(is_plausible_printer_name(ok), "{ok}");
    }
    let long = "a".repeat(128);
    for bad in [
        "",
        "-oraw",
        "--help",
        "two words",
        "tab\there",
        "new\nline",
        "nul\0",
        "quote'",
        "dq\"",
        "hash#",
        "back\\slash",
        long.as_str(),
    ] {
        assert!(!is_plausible_printer_name(bad), "{bad:?} must be refused");
    }
}

#[test]
fn reads_lpstat_and_lp_answers() {
    assert_eq!(
        parse_destinations("Office\nKAP-Virtual-PDF\n\nOffice/duplex\n"),
        ["Office", "KAP-Virtual-PDF", "Office/duplex"]
    );
    assert_eq!(
        parse_default("system default destination: Office\n").as_deref(),
        Some("Office")
    );
    assert_eq!(parse_default("no system default destination\n"), None);
    assert!(parse_scheduler_running("scheduler is running\n"));
    assert!(!parse_scheduler_running("scheduler is not running\n"));
    assert_eq!(
        parse_job_id("request id is KAP-Virtual-PDF-12 (0 file(s))\n").as_deref(),
        Some("KAP-Virtual-PDF-12")
    );
    assert_eq!(parse_job_id(""), None);
}

#[test]
fn errors_say_what_failed_and_nothing_else() {
    let all = [
        PrintError::NoPrintSystem,
        PrintError::Unavailable,
        PrintError::UnknownPrinter,
        PrintError::BadCopies,
        PrintError::Refused,
        PrintError::TimedOut,
    ];
    for e in all {
        let core: crate::Error = e.clone().into();
        let text = format!("{e} {core} {core:?}");
        for leak in ["/", "lp:", "request id", "%PDF", "Ana"] {
            assert!(!text.contains(leak), "{e:?} says {leak:?}: {text}");
        }
    }
    assert!(matches!(
        crate::Error::from(PrintError::UnknownPrinter),
        crate::Error::Invalid(_)
    ));
    assert!(matches!(
        crate::Error::from(PrintError::Refused),
        crate::Error::Conflict(_)
    ));
}

#[cfg(unix)]
mod with_stand_ins {
    //! `lpstat` and `lp` replaced by small shell scripts in a temp dir: what the app sends
    //! and how it reads the answers, without a printer.
    use super::super::*;
    use std::os::unix::fs::PermissionsExt;
    use std::path::Path;

    const CLIENT: &str = "Ana Müller-Søn";

    fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    /// A printing system with two printers, `Office` the default, whose `lp` keeps its
    /// arguments and standard input in `dir`.
    fn two_printers(dir: &Path) -> Cups {
        let lpstat = script(
            dir,
            "lpstat",
            r#"case "$1" in
  -e) printf 'Office\nKAP-Virtual-PDF\n' ;;
  -d) echo "system default destination: Office" ;;
  -r) echo "scheduler is running" ;;
esac"#,
        );
        let lp = script(
            dir,
            "lp",
            &format!(
                r#"printf '%s\n' "$@" > {0}/lp-args
cat > {0}/lp-stdin
echo "request id is $2-7 (0 file(s))""#,
                dir.display()
            ),
        );
        Cups::with_programs(lpstat, lp)
    }

    fn pdf() -> Vec<u8> {
        format!("%PDF-1.7\n(Consent of {CLIENT})\n%%EOF\n").into_bytes()
    }

    #[test]
    fn lists_printers_with_the_default_marked() {
        let dir = tempfile::tempdir().unwrap();
        let cups = two_printers(dir.path());
        assert_eq!(
            cups.printers().unwrap(),
            [
                Printer {
                    name: "Office".into(),
                    is_default: true
                },
                Printer {
                    name: "KAP-Virtual-PDF".into(),
                    is_default: false
                },
            ]
        );
    }

    #[test]
    fn prints_the_exact_bytes_through_standard_input() {
        let dir = tempfile::tempdir().unwrap();
        let cups = two_printers(dir.path());
        let job = cups.print_pdf("KAP-Virtual-PDF", 2, &pdf()).unwrap();
        assert_eq!(job.id.as_deref(), Some("KAP-Virtual-PDF-7"));
        assert_eq!(
            std::fs::read(dir.path().join("lp-stdin")).unwrap(),
            pdf(),
            "lp receives the document's bytes unchanged on standard input"
        );
        let args = std::fs::read_to_string(dir.path().join("lp-args")).unwrap();
        assert!(
            !args.contains(CLIENT) && args.contains("KAP Practice document"),
            "the job's title is neutral: {args}"
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            4,
            "no file of the app's beside the stand-ins' own (lpstat, lp, lp-args, lp-stdin)"
        );
    }

    #[test]
    fn refuses_a_printer_the_system_does_not_know_before_printing() {
        let dir = tempfile::tempdir().unwrap();
        let cups = two_printers(dir.path());
        for name in ["Elsewhere", "-oraw", "Office Laser", ""] {
            assert_eq!(
                cups.print_pdf(name, 1, &pdf()),
                Err(PrintError::UnknownPrinter),
                "{name:?}"
            );
        }
        assert_eq!(
            cups.print_pdf("Office", 0, &pdf()),
            Err(PrintError::BadCopies)
        );
        assert_eq!(
            cups.print_pdf("Office", 21, &pdf()),
            Err(PrintError::BadCopies)
        );
        assert!(
            !dir.path().join("lp-stdin").exists(),
            "lp never ran for a refused job"
        );
    }

    #[test]
    fn a_refusing_printer_is_an_error_without_its_words() {
        let dir = tempfile::tempdir().unwrap();
        let lpstat = script(dir.path(), "lpstat", "printf 'Office\\n'");
        let lp = script(
            dir.path(),
            "lp",
            &format!("cat >/dev/null; echo \"lp: {CLIENT} is not allowed\" >&2; exit 1"),
        );
        let cups = Cups::with_programs(lpstat, lp);
        let err = cups.print_pdf("Office", 1, &pdf()).unwrap_err();
        assert_eq!(err, PrintError::Refused);
        assert!(!err.to_string().contains(CLIENT));
    }

    #[test]
    fn no_printing_system_and_a_stopped_scheduler_are_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        let missing = Cups::with_programs(dir.path().join("no-lpstat"), dir.path().join("no-lp"));
        assert_eq!(missing.printers(), Err(PrintError::NoPrintSystem));
        assert_eq!(
            missing.print_pdf("Office", 1, &pdf()),
            Err(PrintError::NoPrintSystem)
        );

        let stopped = script(
            dir.path(),
            "lpstat-stopped",
            r#"case "$1" in
  -r) echo "scheduler is not running" ;;
  *) echo "lpstat: Bad file descriptor" >&2; exit 1 ;;
esac"#,
        );
        let cups = Cups::with_programs(stopped, dir.path().join("no-lp"));
        assert_eq!(cups.printers(), Err(PrintError::Unavailable));
        // CUPS 2.4's lpstat -e prints nothing and exits 0 when the scheduler is down.
        let silent = script(
            dir.path(),
            "lpstat-silent",
            r#"case "$1" in
  -r) echo "scheduler is not running" ;;
esac"#,
        );
        let cups = Cups::with_programs(silent, dir.path().join("no-lp"));
        assert_eq!(cups.printers(), Err(PrintError::Unavailable));

        let empty = script(
            dir.path(),
            "lpstat-empty",
            r#"case "$1" in
  -r) echo "scheduler is running" ;;
  *) echo "lpstat: No destinations added." >&2; exit 1 ;;
esac"#,
        );
        let cups = Cups::with_programs(empty, dir.path().join("no-lp"));
        assert_eq!(cups.printers(), Ok(Vec::new()));
    }
}
