//! `shiming serve` as a child process: the loopback emulator the process-level rows talk to.
//! Its own process, so the emulator's CPU is not charged to the batch's memory or the load
//! generator's threads. Rate limit off (a benchmark repeats numbers), a balance no run can
//! spend, and the benchmark's own account.

use super::wire::{self, Account};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Billed calls the emulator starts with: more than any run sends.
const BALANCE: u64 = 1_000_000_000_000;

/// A running `shiming serve`; stopped (SIGTERM, then SIGKILL) on drop.
#[derive(Debug)]
pub(crate) struct Serve {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub(crate) host: String,
    /// `http://127.0.0.1:PORT`.
    pub(crate) base_url: String,
}

/// The wapi mobile two-element counters of the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Counters {
    /// Requests that reached the path.
    pub(crate) requests: u64,
    /// Of those, billed (answered 10000).
    pub(crate) billed: u64,
}

impl Serve {
    /// Starts `shiming serve` answering after `latency_ms`; its stderr goes to `log`.
    pub(crate) fn start(
        shiming: &Path,
        account: Account,
        latency_ms: u64,
        home: &Path,
        log: &Path,
    ) -> Result<Serve, String> {
        let log_file = std::fs::File::create(log)
            .map_err(|e| format!("cannot create {}: {e}", log.display()))?;
        let mut command = clean_command(shiming, home);
        command
            .args(["serve", "--addr", "127.0.0.1:0", "--rate-limit", "off"])
            .args(["--balance", &BALANCE.to_string()])
            .env("SHIMING_WAPI_APPID", account.appid)
            .env("SHIMING_WAPI_SECRET", account.secret)
            .env("SHIMING_WAPI_AUTH", "md5")
            .stdout(Stdio::piped())
            .stderr(log_file);
        if latency_ms > 0 {
            command.args(["--latency-ms", &latency_ms.to_string()]);
        }
        let mut child = command
            .spawn()
            .map_err(|e| format!("cannot start {} serve: {e}", shiming.display()))?;
        let base_url = wire::listening_url(&mut child, "shiming serve", log)?;
        let host = base_url
            .strip_prefix("http://")
            .unwrap_or(&base_url)
            .trim_end_matches('/')
            .to_string();
        Ok(Serve {
            child,
            base_url: base_url.trim_end_matches('/').to_string(),
            host,
        })
    }

    /// The ledger's wapi mobile two-element counters.
    pub(crate) fn counters(&self) -> Result<Counters, String> {
        let ledger = wire::get_json(&self.host, "/__emulator/ledger")?;
        let op = &ledger["wapi"]["operations"]["mobile_two_elements"];
        match (op["requests"].as_u64(), op["billed"].as_u64()) {
            (Some(requests), Some(billed)) => Ok(Counters { requests, billed }),
            _ => Err(format!("unexpected ledger: {ledger}")),
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        // SIGTERM first: serve shuts down gracefully and logs its summary. std has no
        // SIGTERM (and this crate forbids unsafe), so ask kill(1).
        let asked = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .is_ok_and(|s| s.success());
        let deadline = Instant::now() + Duration::from_secs(if asked { 10 } else { 0 });
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A `shiming` command with no inherited `SHIMING_*` or `RUST_LOG` and a private `HOME`, so a
/// developer's own credentials or config file never change what is measured.
pub(crate) fn clean_command(shiming: &Path, home: &Path) -> Command {
    let mut command = Command::new(shiming);
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        if key.starts_with("SHIMING_") || key == "RUST_LOG" {
            command.env_remove(key.as_ref());
        }
    }
    command
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .current_dir(home)
        .stdin(Stdio::null());
    command
}
