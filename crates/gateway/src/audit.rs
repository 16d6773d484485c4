//! The audit trail: one JSON line per request — who asked, why, about whom (masked), what
//! came back and what it cost. No plaintext personal data, no key, no secret.

use crate::config::AuditTarget;
use serde::Serialize;
use std::fs::File;
use std::io::Write;
use std::sync::Mutex;

/// One audit line.
#[derive(Debug, Serialize)]
pub(crate) struct AuditLine<'a> {
    /// RFC 3339 UTC.
    pub(crate) time: String,
    pub(crate) request_id: &'a str,
    /// `None` when no key or a wrong key was presented.
    pub(crate) tenant: Option<&'a str>,
    pub(crate) purpose: Option<&'a str>,
    pub(crate) check: &'a str,
    /// Masked: `张*/186****8888`.
    pub(crate) subject: Option<String>,
    /// HTTP status answered.
    pub(crate) status: u16,
    /// A verdict (`match`, …) or the problem kind.
    pub(crate) outcome: &'a str,
    pub(crate) verdict: Option<&'a str>,
    pub(crate) vendor: Option<&'a str>,
    pub(crate) billed: bool,
    /// Yuan charged to the tenant's budget for this request.
    pub(crate) cost: f64,
    pub(crate) cached: bool,
    pub(crate) sandbox: bool,
}

/// Where lines go. Each line is written whole with one `write_all` and flushed, so lines
/// from concurrent requests never interleave and survive a crash.
#[derive(Debug)]
pub(crate) enum AuditSink {
    Off,
    Stdout,
    File(Mutex<File>),
}

impl AuditSink {
    /// Opens the target (a file: appended, created owner-only).
    pub(crate) fn open(target: &AuditTarget) -> std::io::Result<AuditSink> {
        Ok(match target {
            AuditTarget::Off => AuditSink::Off,
            AuditTarget::Stdout => AuditSink::Stdout,
            AuditTarget::File(path) => {
                let mut options = std::fs::OpenOptions::new();
                options.create(true).append(true);
                #[cfg(unix)]
                {
                    use std::os::unix::fs::OpenOptionsExt;
                    options.mode(0o600);
                }
                AuditSink::File(Mutex::new(options.open(path).map_err(|e| {
                    std::io::Error::new(e.kind(), format!("audit file {}: {e}", path.display()))
                })?))
            }
        })
    }

    /// Writes one line; a failure is logged, never fails the request.
    pub(crate) fn write(&self, line: &AuditLine<'_>) {
        if matches!(self, AuditSink::Off) {
            return;
        }
        let mut bytes = match serde_json::to_vec(line) {
            Ok(bytes) => bytes,
            Err(error) => {
                tracing::error!(%error, "cannot encode an audit line");
                return;
            }
        };
        bytes.push(b'\n');
        let result = match self {
            AuditSink::Off => Ok(()),
            AuditSink::Stdout => {
                let mut stdout = std::io::stdout().lock();
                stdout.write_all(&bytes).and_then(|()| stdout.flush())
            }
            AuditSink::File(file) => {
                let mut file = file.lock().unwrap_or_else(|e| e.into_inner());
                file.write_all(&bytes)
            }
        };
        if let Err(error) = result {
            tracing::error!(%error, "cannot write the audit trail");
        }
    }
}
