//! The `cold-build` section: how long a newcomer waits before the README's first command
//! prints anything. It reads that command from README.md (the first `cargo` line of the
//! first code block), turns `cargo run … -- ARGS` into the same `cargo build …`, and runs it
//! with a fresh, empty target directory, so every dependency is compiled as on a fresh
//! clone (crate sources come from cargo's download cache: fetching is not what we measure).
//! Then, for information, the optimised build that `cargo install --path crates/cli` makes.
//!
//! A cold build is minutes of CPU on two cores, so this section runs once per invocation
//! and says the load average around it: on a busy machine its wall time means little, and
//! GNU time's CPU seconds (when `/usr/bin/time` is there) say more.

use super::batch_run::{RssProbe, TIME_FORMAT, parse_time_report};
use super::stats::Spread;
use super::table::{Row, Target, Unit};
use super::workdir::Workdir;
use crate::util::{load_average, run_loud, workspace_root};
use std::process::{Command, Stdio};
use std::time::Instant;

const SECTION: &str = "cold-build";

/// Issue 13: the README's first command, cold, builds in at most 90 s on a quiet 2-core
/// machine.
const FIRST_COMMAND_MAX_S: f64 = 90.0;

/// Every row of the section; `quick` leaves out the optimised build.
pub(crate) fn rows(workdir: &Workdir, probe: &RssProbe, quick: bool) -> Vec<Row> {
    let readme = workspace_root().join("README.md");
    let first = match std::fs::read_to_string(&readme)
        .map_err(|e| format!("cannot read {}: {e}", readme.display()))
        .and_then(|text| first_command(&text))
        .and_then(|command| build_args(&command).map(|args| (command, args)))
    {
        Ok(first) => first,
        Err(why) => return vec![Row::error(SECTION, "README's first command", &why)],
    };
    if let Err(why) = fetch() {
        return vec![Row::error(SECTION, "cargo fetch", &why)];
    }
    let (command, args) = first;
    let mut rows = vec![row(
        workdir,
        probe,
        &format!("README's first command, cold: `{command}` (its build)"),
        &args,
        Target::AtMost(FIRST_COMMAND_MAX_S),
    )];
    if !quick {
        let install: Vec<String> = ["build", "--release", "-p", "shiming-cli"]
            .map(String::from)
            .to_vec();
        rows.push(row(
            workdir,
            probe,
            "optimised command, cold: `cargo build --release -p shiming-cli` (what `cargo install` compiles)",
            &install,
            Target::None,
        ));
    }
    rows
}

/// One cold build, measured.
fn row(workdir: &Workdir, probe: &RssProbe, what: &str, args: &[String], target: Target) -> Row {
    match cold_build(workdir, probe, args) {
        Ok(build) => Row::measured(
            SECTION,
            what,
            Unit::Seconds,
            Spread {
                median: build.wall_s,
                min: build.wall_s,
                max: build.wall_s,
                rounds: 1,
            },
            target,
            build.detail(),
        ),
        Err(why) => Row::error(SECTION, what, &why),
    }
}

/// The first `cargo …` line of README.md's first fenced code block.
fn first_command(readme: &str) -> Result<String, String> {
    let block = readme
        .split("```")
        .nth(1)
        .ok_or("README.md has no code block")?;
    block
        .lines()
        .map(str::trim)
        .find(|line| line.starts_with("cargo "))
        .map(str::to_string)
        .ok_or_else(|| "README.md's first code block has no `cargo` line".to_string())
}

/// `cargo run ARGS -- PROGRAM ARGS` → `build ARGS`; `cargo build ARGS` → `build ARGS`.
fn build_args(command: &str) -> Result<Vec<String>, String> {
    let mut words = command.split_whitespace().skip(1);
    let build = match words.next() {
        Some("run" | "build") => "build",
        other => {
            return Err(format!(
                "README's first command is `cargo {}`, not `cargo run` or `cargo build`",
                other.unwrap_or("")
            ));
        }
    };
    let mut args = vec![build.to_string()];
    args.extend(words.take_while(|w| *w != "--").map(String::from));
    Ok(args)
}

/// Downloads what the lock file names, untimed.
fn fetch() -> Result<(), String> {
    run_loud(
        Command::new(env!("CARGO"))
            .arg("fetch")
            .current_dir(workspace_root())
            .stdout(Stdio::null()),
    )
}

/// What one cold build took.
struct ColdBuild {
    wall_s: f64,
    /// User and system CPU seconds, from GNU time.
    cpu_s: Option<(f64, f64)>,
    load_before: String,
    load_after: String,
}

impl ColdBuild {
    fn detail(&self) -> String {
        let cpu = match self.cpu_s {
            Some((user, system)) => format!(
                "CPU {:.0} s user + {:.0} s system = {:.0} s",
                user,
                system,
                user + system
            ),
            None => "CPU not measured (no GNU time)".to_string(),
        };
        format!(
            "{cpu}; load average {} before, {} after",
            self.load_before, self.load_after
        )
    }
}

/// Runs `cargo ARGS` with an empty target directory of its own, removed afterwards.
fn cold_build(workdir: &Workdir, probe: &RssProbe, args: &[String]) -> Result<ColdBuild, String> {
    let target = workdir.root().join("cold-build-target");
    let _ = std::fs::remove_dir_all(&target);
    let times = workdir.log("cold-build-time");
    let log = workdir.log(&format!("cold-build-{}", args.join("_")));
    let log_file =
        std::fs::File::create(&log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
    let mut command = match probe {
        RssProbe::GnuTime(time) => {
            let mut command = Command::new(time);
            command
                .args(["-f", TIME_FORMAT, "-o"])
                .arg(&times)
                .arg(env!("CARGO"));
            command
        }
        RssProbe::ProcStatus => Command::new(env!("CARGO")),
    };
    command
        .args(args)
        .current_dir(workspace_root())
        .env("CARGO_TARGET_DIR", &target)
        .env("CARGO_TERM_COLOR", "never")
        .stdout(Stdio::null())
        .stderr(log_file);
    let load_before = load_average();
    eprintln!("   cold build: cargo {}", args.join(" "));
    let started = Instant::now();
    let status = command
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"));
    let wall_s = started.elapsed().as_secs_f64();
    let load_after = load_average();
    let _ = std::fs::remove_dir_all(&target);
    let status = status?;
    if !status.success() {
        return Err(format!(
            "cargo {} failed ({status}); see {}",
            args.join(" "),
            log.display()
        ));
    }
    let cpu_s = std::fs::read_to_string(&times)
        .ok()
        .and_then(|text| parse_time_report(&text))
        .map(|r| (r.user_s, r.system_s));
    Ok(ColdBuild {
        wall_s,
        cpu_s,
        load_before,
        load_after,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_command_is_read_from_the_first_code_block() {
        let readme = "# x\n\n```sh\n# a comment\ncargo run -p shiming-cli -- batch a.csv --out b.csv\n\n# tests\ncargo test --workspace\n```\n\n```sh\ncargo other\n```\n";
        let command = first_command(readme).unwrap();
        assert_eq!(
            command,
            "cargo run -p shiming-cli -- batch a.csv --out b.csv"
        );
        assert_eq!(
            build_args(&command).unwrap(),
            ["build", "-p", "shiming-cli"]
        );
        assert_eq!(
            build_args("cargo run --release -p shiming-cli -- batch").unwrap(),
            ["build", "--release", "-p", "shiming-cli"]
        );
        assert!(build_args("cargo test --workspace").is_err());
        assert!(first_command("no code here").is_err());
    }

    #[test]
    fn the_readme_of_this_workspace_has_a_first_command_we_can_build() {
        let text = std::fs::read_to_string(workspace_root().join("README.md")).unwrap();
        let args = build_args(&first_command(&text).unwrap()).unwrap();
        assert_eq!(args[0], "build");
    }
}
