//! Writing files the user asked for (exports, documents): whole or not at all.

use crate::{Error, Result};
use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` through a temporary file in the same folder that is flushed
/// and renamed into place, so a full disk or a crash never leaves half a file under the
/// user's chosen name.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .ok_or_else(|| Error::invalid("path", "Choose a folder to save into."))?;
    if path.file_name().is_none() {
        return Err(Error::invalid("path", "Choose a file name."));
    }
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(path.file_name().unwrap_or_default());
    tmp_name.push(".partial");
    let tmp = dir.join(tmp_name);
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e.into());
    }
    Ok(())
}

/// A file name the app suggests: ASCII letters, digits, dash, dot; never client data.
pub fn is_safe_file_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_files_and_leaves_no_partial() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("schedule-2026-03-09.ics");
        write_atomic(&path, b"BEGIN:VCALENDAR").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"BEGIN:VCALENDAR");
        let err = write_atomic(&dir.path().join("missing-folder/x.ics"), b"x").unwrap_err();
        assert!(matches!(err, Error::Io(_)), "{err:?}");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "no temporary file left behind: {names:?}");
    }

    #[test]
    fn safe_names() {
        assert!(is_safe_file_name("invoice-2026-0042.pdf"));
        for bad in [
            "",
            "../x.pdf",
            ".hidden",
            "a/b.pdf",
            "Ana López.pdf",
            "x\u{0}.pdf",
        ] {
            assert!(!is_safe_file_name(bad), "{bad:?}");
        }
    }
}
