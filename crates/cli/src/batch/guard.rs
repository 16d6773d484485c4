//! What a batch checks and holds before anything is sent: the files it will touch are the
//! right kind and distinct, and no other process runs the same job.
//!
//! Two processes on one job each send every remaining row (and bill it), so a batch holds an
//! exclusive operating-system lock on `OUT.lock` for its whole life. The kernel releases it
//! when the process dies, however it dies, so a crash never leaves a stale lock behind.

use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// A file's identity on disk: two paths naming the same file (a hard link, a symlink,
/// `./x` and `x`) have the same one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Identity {
    device: u64,
    inode: u64,
}

fn identity(meta: &std::fs::Metadata) -> Option<Identity> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some(Identity {
            device: meta.dev(),
            inode: meta.ino(),
        })
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// What kind of thing a path names, for refusals.
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let file_type = meta.file_type();
    if file_type.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

/// Checks the batch's paths before anything is sent or any permission changed: the output
/// (and the journal and lock beside it) must be regular files or new paths, and input,
/// output and journal must be three different files on disk.
pub(crate) fn check_paths(input: &Path, out: &Path, journal: &Path) -> Result<(), String> {
    let input_meta = std::fs::metadata(input)
        .map_err(|e| format!("cannot read the input {}: {e}", input.display()))?;
    if input_meta.is_dir() {
        return Err(format!("the input {} is a directory", input.display()));
    }
    let mut seen = vec![("the input", identity(&input_meta))];
    for (what, path) in [("--out", out), ("the journal", journal)] {
        match std::fs::metadata(path) {
            Ok(meta) if !meta.is_file() => {
                return Err(format!(
                    "{what} {} is {}: it must be a regular file or a new path; nothing was \
                     sent or changed",
                    path.display(),
                    kind_of(&meta)
                ));
            }
            Ok(meta) => {
                let id = identity(&meta);
                if let Some((other, _)) = seen.iter().find(|(_, seen)| id.is_some() && *seen == id)
                {
                    return Err(format!(
                        "{what} {} is the same file as {other} (a link to it); writing it \
                         would destroy it",
                        path.display()
                    ));
                }
                seen.push((what, id));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("cannot inspect {what} {}: {e}", path.display())),
        }
    }
    Ok(())
}

/// The lock file beside `out`.
pub(crate) fn lock_path(out: &Path) -> PathBuf {
    let mut name = out
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".lock");
    out.with_file_name(name)
}

/// An exclusive lock on one job, held until dropped (or until the process dies).
#[derive(Debug)]
pub(crate) struct JobLock {
    file: File,
    path: PathBuf,
}

impl JobLock {
    /// Takes the job's lock, or says which process holds it. Never waits.
    pub(crate) fn acquire(out: &Path) -> Result<JobLock, String> {
        let path = lock_path(out);
        if let Ok(meta) = std::fs::symlink_metadata(&path)
            && !meta.is_file()
        {
            return Err(format!(
                "the lock file {} is {}; remove it",
                path.display(),
                kind_of(&meta)
            ));
        }
        // A holder removes the file when it finishes; a process that opened the old file
        // just before may then lock a file that no longer has the name, so it checks and
        // tries again with the new one.
        for _ in 0..8 {
            let mut options = std::fs::OpenOptions::new();
            options.read(true).write(true).create(true).truncate(false);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            let mut file = options
                .open(&path)
                .map_err(|e| format!("cannot create the lock file {}: {e}", path.display()))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    let mut holder = String::new();
                    let _ = file.take(32).read_to_string(&mut holder);
                    let holder = holder.trim();
                    let who = if holder.chars().all(|c| c.is_ascii_digit()) && !holder.is_empty() {
                        format!("process {holder}")
                    } else {
                        "another process".to_string()
                    };
                    return Err(format!(
                        "{who} is running this job (it holds {}); nothing was sent. Wait for \
                         it to finish, or stop it (Ctrl-C or SIGTERM) and rerun with --resume",
                        path.display()
                    ));
                }
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(format!("cannot lock {}: {e}", path.display()));
                }
            }
            let same = match (file.metadata(), std::fs::metadata(&path)) {
                (Ok(held), Ok(named)) => identity(&held) == identity(&named),
                _ => false,
            };
            if !same {
                continue;
            }
            file.set_len(0)
                .and_then(|()| file.rewind())
                .and_then(|()| write!(file, "{}", std::process::id()))
                .and_then(|()| file.flush())
                .map_err(|e| format!("cannot write the lock file {}: {e}", path.display()))?;
            return Ok(JobLock { file, path });
        }
        Err(format!(
            "the lock file {} keeps being replaced; is another shiming starting this job?",
            path.display()
        ))
    }
}

impl Drop for JobLock {
    fn drop(&mut self) {
        // Remove the name while still holding the lock, so no one locks a file about to go.
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_job_is_refused_with_the_holder() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("out.csv");
        let held = JobLock::acquire(&out).expect("first");
        let err = JobLock::acquire(&out).unwrap_err();
        assert!(
            err.contains(&format!("process {}", std::process::id())),
            "{err}"
        );
        drop(held);
        assert!(!lock_path(&out).exists());
        JobLock::acquire(&out).expect("free again");
    }

    #[test]
    fn devices_directories_and_links_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let input = dir.path().join("in.csv");
        std::fs::write(&input, "name,mobile\n").expect("write");
        let journal = dir.path().join("j");
        let err = check_paths(&input, Path::new("/dev/null"), &journal).unwrap_err();
        assert!(err.contains("a device"), "{err}");
        let err = check_paths(&input, dir.path(), &journal).unwrap_err();
        assert!(err.contains("a directory"), "{err}");
        let link = dir.path().join("link.csv");
        std::fs::hard_link(&input, &link).expect("link");
        let err = check_paths(&input, &link, &journal).unwrap_err();
        assert!(err.contains("same file as the input"), "{err}");
        check_paths(&input, &dir.path().join("new.csv"), &journal).expect("a new path");
    }
}
