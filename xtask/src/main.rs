//! `cargo xtask <task>`: development tasks that are code, not shell scripts.
//!
//! Each task lives in its own module with a `run(args)` entry point.

use std::process::ExitCode;

mod bench;
mod fuzz;
mod regen_numbers;
mod sign_vectors;
mod tidy;
mod util;

const USAGE: &str = "\
usage: cargo xtask <task> [args]

tasks:
  bench            build in release mode and print side-by-side ratio tables
  fuzz             run every cargo-fuzz target (--seconds N each)
  regen-numbers    regenerate the offline region and mobile-segment tables
  sign-vectors     regenerate the signer's known-answer vectors from the vendors' samples
";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(task) = args.next() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let rest: Vec<String> = args.collect();
    let result = match task.as_str() {
        "bench" => bench::run(&rest),
        "fuzz" => fuzz::run(&rest),
        "regen-numbers" => regen_numbers::run(&rest),
        "sign-vectors" => sign_vectors::run(&rest),
        "help" | "--help" | "-h" => {
            eprint!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown task `{other}`\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask {task}: {message}");
            ExitCode::FAILURE
        }
    }
}
