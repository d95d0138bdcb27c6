//! Writing files: whole or not at all, and readable only by the therapist's account.
//!
//! Every file the app or the command-line tool creates is created owner-only (0600 on
//! Unix, whatever the umask) and every folder it creates is 0700: [`create_private`],
//! [`create_private_dir`]. A practice folder found with looser modes is tightened by
//! [`secure_tree`] when it is opened. On Windows the modes do not exist; the files live in
//! the user's profile, whose access-control lists already keep other accounts out.

use crate::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The mode of every file the app creates on Unix: read and write for the owner only.
pub const FILE_MODE: u32 = 0o600;
/// The mode of every folder the app creates on Unix.
pub const DIR_MODE: u32 = 0o700;

/// Creates `path` as a new, empty, owner-only file (0600 whatever the umask), refusing
/// one that exists (`create_new`: a symlink planted there is not followed).
pub fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).read(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(FILE_MODE);
    }
    let file = opts.open(path)?;
    // The umask can only take bits away; set the mode exactly before any byte is written.
    set_file_mode(&file)?;
    Ok(file)
}

/// Copies `from` into a new owner-only file `to` and syncs it (`fs::copy` would copy the
/// source's mode). For safety copies of a practice's files.
pub fn copy_private(from: &Path, to: &Path) -> std::io::Result<()> {
    let mut out = create_private(to)?;
    std::io::copy(&mut std::fs::File::open(from)?, &mut out)?;
    out.sync_all()
}

/// Opens `path` for writing, creating it owner-only when missing; an existing file is
/// kept (not truncated) and its mode tightened. For the store's lock file.
pub fn open_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(FILE_MODE);
    }
    let file = opts.open(path)?;
    set_file_mode(&file)?;
    Ok(file)
}

#[cfg(unix)]
fn set_file_mode(file: &std::fs::File) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    if file.metadata()?.permissions().mode() & 0o777 != FILE_MODE {
        file.set_permissions(std::fs::Permissions::from_mode(FILE_MODE))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn set_file_mode(_file: &std::fs::File) -> std::io::Result<()> {
    Ok(())
}

/// Creates `dir` (and any missing parents) owner-only (0700), and tightens `dir` itself
/// when it already exists. A symlink in `dir`'s place is refused by the callers that
/// own a practice folder ([`refuse_symlink`]).
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(DIR_MODE);
    }
    builder.create(dir)?;
    tighten(dir, DIR_MODE)
}

/// Sets `path`'s mode to `mode` when it is looser (Unix; nothing elsewhere). Does not
/// follow a symlink: only real files and folders are changed.
pub fn tighten(path: &Path, mode: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::symlink_metadata(path)?;
        if meta.file_type().is_symlink() {
            return Ok(());
        }
        if meta.permissions().mode() & 0o777 != mode {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
        }
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

/// Refuses a folder that is a symbolic link: a practice folder must be the folder itself,
/// so that its modes, its lock and "inside the practice folder" mean what they say.
pub fn refuse_symlink(dir: &Path) -> Result<()> {
    match std::fs::symlink_metadata(dir) {
        Ok(m) if m.file_type().is_symlink() => Err(Error::Conflict(
            "The practice folder is a link to another place. Open the folder itself, or move the practice into a real folder."
                .into(),
        )),
        _ => Ok(()),
    }
}

/// Makes a practice folder owner-only: the folder and every folder under it 0700, every
/// file 0600 (symlinks are left alone, never followed), and removes the hidden
/// `.*.partial` files a crash can leave. Returns how many modes were changed.
pub fn secure_tree(dir: &Path) -> Result<usize> {
    refuse_symlink(dir)?;
    let mut changed = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        changed += usize::from(needs(&d, DIR_MODE)?);
        tighten(&d, DIR_MODE)?;
        for entry in std::fs::read_dir(&d)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            let path = entry.path();
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file() {
                if is_partial_name(&entry.file_name()) {
                    // A file that was being written when the app stopped: never whole.
                    std::fs::remove_file(&path)?;
                    continue;
                }
                changed += usize::from(needs(&path, FILE_MODE)?);
                tighten(&path, FILE_MODE)?;
            }
        }
    }
    Ok(changed)
}

fn needs(path: &Path, mode: u32) -> std::io::Result<bool> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Ok(std::fs::symlink_metadata(path)?.permissions().mode() & 0o777 != mode)
    }
    #[cfg(not(unix))]
    {
        let _ = (path, mode);
        Ok(false)
    }
}

/// Whether a file name is one of the app's temporary `.<name>.partial` files.
pub fn is_partial_name(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') && n.ends_with(".partial"))
}

/// `.<name>.partial` beside `path`, checking that `path` has a folder and a file name.
fn partial_path(path: &Path) -> Result<PathBuf> {
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
    Ok(dir.join(tmp_name))
}

/// Writes `bytes` to `path` through a temporary file in the same folder that is flushed
/// and renamed into place, so a full disk or a crash never leaves half a file under the
/// user's chosen name. The file is owner-only.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut part = PartialFile::create(path)?;
    part.file().write_all(bytes)?;
    part.finish()
}

/// A file written under a temporary name beside its destination, for output too large to
/// hold in memory (an export of the whole practice). [`PartialFile::finish`] flushes it
/// to disk and renames it into place; dropped unfinished, the temporary file is removed,
/// so the user's chosen name only ever holds a whole file.
pub struct PartialFile {
    file: std::fs::File,
    tmp: PathBuf,
    path: PathBuf,
    done: bool,
}

impl PartialFile {
    /// Starts writing `.<name>.partial` in `path`'s folder, created new and owner-only.
    /// A stale partial file of the same name (a crash during an earlier save) is removed
    /// first; a symlink there is removed, never followed.
    ///
    /// # Errors
    /// `Error::Invalid` when `path` has no folder or no file name; `Error::Io` when the
    /// temporary file cannot be created.
    pub fn create(path: &Path) -> Result<PartialFile> {
        let tmp = partial_path(path)?;
        let file = match create_private(&tmp) {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                if std::fs::symlink_metadata(&tmp)?.is_dir() {
                    return Err(Error::invalid("path", "Choose another file name."));
                }
                std::fs::remove_file(&tmp)?;
                create_private(&tmp)?
            }
            other => other?,
        };
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

    /// Where the file will be once finished.
    pub fn target(&self) -> &Path {
        &self.path
    }

    /// Flushes the contents to disk, so that only the rename is left to do.
    pub fn sync(&mut self) -> Result<()> {
        self.file.sync_all()?;
        Ok(())
    }

    /// Flushes and renames the file into place under its final name.
    pub fn finish(mut self) -> Result<()> {
        self.file.sync_all()?;
        self.place()
    }

    /// Renames the (already synced) file into place; afterwards it is no longer removed
    /// when dropped.
    pub fn place(&mut self) -> Result<()> {
        std::fs::rename(&self.tmp, &self.path)?;
        self.done = true;
        if let Some(dir) = self.path.parent() {
            sync_dir(dir);
        }
        Ok(())
    }

    /// Whether the file has been renamed into place.
    pub fn is_placed(&self) -> bool {
        self.done
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
