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

/// A file written under a temporary name beside its destination, for output too large to
/// hold in memory (an export of the whole practice). [`PartialFile::finish`] flushes it
/// to disk and renames it into place; dropped unfinished, the temporary file is removed,
/// so the user's chosen name only ever holds a whole file.
pub struct PartialFile {
    file: std::fs::File,
    tmp: std::path::PathBuf,
    path: std::path::PathBuf,
    done: bool,
}

impl PartialFile {
    /// Starts writing `.<name>.partial` in `path`'s folder.
    ///
    /// # Errors
    /// `Error::Invalid` when `path` has no folder or no file name; `Error::Io` when the
    /// temporary file cannot be created.
    pub fn create(path: &Path) -> Result<PartialFile> {
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .ok_or_else(|| Error::invalid("path", "Choose a folder to save into."))?;
        let name = path
            .file_name()
            .ok_or_else(|| Error::invalid("path", "Choose a file name."))?;
        let mut tmp_name = std::ffi::OsString::from(".");
        tmp_name.push(name);
        tmp_name.push(".partial");
        let tmp = dir.join(tmp_name);
        let file = std::fs::File::create(&tmp)?;
        Ok(PartialFile {
            file,
            tmp,
            path: path.to_owned(),
            done: false,
        })
    }

    /// The temporary file, to write (and seek) into.
    pub fn file(&mut self) -> &mut std::fs::File {
        &mut self.file
    }

    /// Flushes the contents to disk, so that only the rename is left to do.
    pub fn sync(&mut self) -> Result<()> {
        self.file.sync_all()?;
        Ok(())
    }

    /// Flushes and renames the file into place under its final name.
    pub fn finish(mut self) -> Result<()> {
        self.file.sync_all()?;
        std::fs::rename(&self.tmp, &self.path)?;
        self.done = true;
        Ok(())
    }
}

impl Drop for PartialFile {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// `path` with `suffix` appended to its last part: `practice.db` + `-wal`.
pub fn with_suffix(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    std::path::PathBuf::from(p)
}

/// Removes a database file and the files SQLite and the store keep beside it (WAL,
/// shared memory, rollback journal, lock). Missing files are fine.
pub fn remove_database_files(db: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal", ".lock"] {
        let _ = std::fs::remove_file(with_suffix(db, suffix));
    }
}

/// Makes renames in `dir` durable where the OS allows opening a folder (not on every OS;
/// elsewhere the rename is still atomic).
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// True when `path` lies inside `dir`, both resolved as far as they exist (symlinks,
/// `..`), so a folder cannot be slipped inside the practice folder by another name.
pub fn is_inside(path: &Path, dir: &Path) -> bool {
    let canon = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    canon(path).starts_with(canon(dir))
}

/// A file name the app suggests: ASCII letters, digits, dash, dot; never client data, and
/// never a name Windows keeps for a device (`NUL.pdf`).
pub fn is_safe_file_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && !name.starts_with('.')
        && !crate::validate::is_device_name(name)
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
    fn partial_files_appear_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("practice-export-2026-11-26.zip");
        {
            let mut part = PartialFile::create(&path).unwrap();
            part.file().write_all(b"half").unwrap();
            // Dropped unfinished: a failed export leaves nothing behind.
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        let mut part = PartialFile::create(&path).unwrap();
        part.file().write_all(b"whole").unwrap();
        assert!(!path.exists(), "nothing under the final name before finish");
        part.finish().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"whole");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
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
            "NUL.pdf",
            "con",
        ] {
            assert!(!is_safe_file_name(bad), "{bad:?}");
        }
    }
}
