//! `cargo xtask bench [--quick] [--only NAME[,NAME…]] [--rounds N] [--loadgen auto|wrk|rust]`
//! and the sizes each mode runs at.

use crate::util::{Flags, number_within};

/// The parts of the run, in the order they run; `--only` takes these names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    /// shiming call vs bare reqwest / ureq to the loopback emulator (criterion, `overhead`).
    Overhead,
    /// Typed decode vs `serde_json::Value` (criterion, `decode`).
    Decode,
    /// Signer cost (criterion, `sign`).
    Sign,
    /// Offline ID validation and mobile lookups per second per core (criterion, `numbers`).
    Offline,
    /// `shiming batch` at zero latency vs a plain HTTP load generator.
    Loadgen,
    /// `shiming batch` at 100 ms latency, concurrency 64: achieved ÷ ideal throughput.
    Latency,
    /// Peak memory of `shiming batch`, big input ÷ 10 000 rows.
    Memory,
    /// `shiming batch --qps R`: achieved ÷ R, and the most requests in any second.
    Pacing,
    /// The verdict store's lookups and `RunDedup`'s rate and memory (shiming-store).
    Store,
    /// `shiming gateway`: cache-hit throughput, added latency, memory over a soak.
    Gateway,
    /// A cold build of the README's first command (and of the optimised command).
    ColdBuild,
}

impl Section {
    /// Every section, in running order.
    pub(crate) const ALL: [Section; 11] = [
        Section::Overhead,
        Section::Decode,
        Section::Sign,
        Section::Offline,
        Section::Loadgen,
        Section::Latency,
        Section::Memory,
        Section::Pacing,
        Section::Store,
        Section::Gateway,
        Section::ColdBuild,
    ];

    /// The name `--only` takes and the table shows.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Section::Overhead => "overhead",
            Section::Decode => "decode",
            Section::Sign => "sign",
            Section::Offline => "offline",
            Section::Loadgen => "loadgen",
            Section::Latency => "latency",
            Section::Memory => "memory",
            Section::Pacing => "pacing",
            Section::Store => "store",
            Section::Gateway => "gateway",
            Section::ColdBuild => "cold-build",
        }
    }

    /// Sections that run the `shiming` binary against `shiming serve`.
    pub(crate) fn needs_cli(self) -> bool {
        matches!(
            self,
            Section::Loadgen
                | Section::Latency
                | Section::Memory
                | Section::Pacing
                | Section::Gateway
        )
    }
}

/// Which plain HTTP load generator to compare `shiming batch` with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LoadgenChoice {
    /// `wrk` when it is on PATH, else the built-in one.
    Auto,
    /// `wrk`, or fail.
    Wrk,
    /// The built-in keep-alive client (std threads).
    Rust,
}

/// Parsed command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Options {
    /// Smaller sizes and shorter criterion runs.
    pub(crate) quick: bool,
    /// Sections to run, in running order.
    pub(crate) sections: Vec<Section>,
    /// Rounds for the interleaved comparisons, instead of the mode's default.
    pub(crate) rounds: Option<usize>,
    /// The load generator.
    pub(crate) loadgen: LoadgenChoice,
    /// The gateway's soak, seconds, instead of the mode's default.
    pub(crate) soak_s: Option<u64>,
}

pub(crate) const USAGE: &str = "\
usage: cargo xtask bench [--quick] [--only NAME[,NAME...]] [--rounds N] [--loadgen auto|wrk|rust]
                         [--soak SECONDS]

Builds in release mode, measures each pair side by side (A B A B ... over several rounds)
and prints a Markdown table of median ratios with PASS/MISS against the targets.

  --quick        smaller sizes and shorter runs (a few minutes instead of ~15)
  --only NAMES   run only these sections: overhead, decode, sign, offline, loadgen,
                 latency, memory, pacing, store, gateway, cold-build (comma-separated
                 or repeated)
  --rounds N     rounds of every interleaved comparison (default 5, quick 3)
  --loadgen X    plain HTTP load generator: wrk, rust (built in) or auto (wrk if on PATH)
  --soak S       the gateway's memory soak, seconds, more than 60 (default 600, quick 120)

Results also go to target/xtask-bench/results.md; logs to target/xtask-bench/logs/.
";

impl Options {
    /// Parses the arguments after `bench`.
    pub(crate) fn parse(args: &[String]) -> Result<Options, String> {
        let mut options = Options {
            quick: false,
            sections: Vec::new(),
            rounds: None,
            loadgen: LoadgenChoice::Auto,
            soak_s: None,
        };
        let mut wanted: Vec<Section> = Vec::new();
        let mut flags = Flags::new(args, USAGE);
        while let Some((flag, inline)) = flags.next_flag() {
            let mut value = |name: &str| flags.value(name, inline);
            match flag {
                "--quick" => options.quick = true,
                "--only" => {
                    for name in value("--only")?.split(',').map(str::trim) {
                        let section = Section::ALL
                            .into_iter()
                            .find(|s| s.name() == name)
                            .ok_or_else(|| {
                                format!(
                                    "--only: unknown section `{name}` (overhead, decode, sign, \
                                     offline, loadgen, latency, memory, pacing, store, gateway)"
                                )
                            })?;
                        wanted.push(section);
                    }
                }
                "--rounds" => {
                    let text = value("--rounds")?;
                    let rounds: usize = number_within(text, 1..=100)
                        .ok_or_else(|| format!("--rounds `{text}` is not a number in 1..=100"))?;
                    options.rounds = Some(rounds);
                }
                "--loadgen" => {
                    options.loadgen = match value("--loadgen")? {
                        "auto" => LoadgenChoice::Auto,
                        "wrk" => LoadgenChoice::Wrk,
                        "rust" => LoadgenChoice::Rust,
                        other => {
                            return Err(format!("--loadgen `{other}` is not auto, wrk or rust"));
                        }
                    }
                }
                "--soak" => {
                    let text = value("--soak")?;
                    let seconds: u64 = number_within(text, 61..=86_400)
                        .ok_or_else(|| format!("--soak `{text}` is not a number in 61..=86400"))?;
                    options.soak_s = Some(seconds);
                }
                "--help" | "-h" => return Err(USAGE.to_string()),
                other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
            }
        }
        options.sections = Section::ALL
            .into_iter()
            .filter(|s| wanted.is_empty() || wanted.contains(s))
            .collect();
        Ok(options)
    }

    /// The sizes to run at.
    pub(crate) fn plan(&self) -> Plan {
        let mut plan = if self.quick { Plan::QUICK } else { Plan::FULL };
        if let Some(rounds) = self.rounds {
            plan.rounds = rounds;
        }
        if let Some(soak_s) = self.soak_s {
            plan.soak_s = soak_s;
        }
        plan
    }
}

/// Sizes and durations of one run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Plan {
    /// Rounds of every interleaved comparison (criterion pairs, batch vs load generator,
    /// latency).
    pub(crate) rounds: usize,
    /// Criterion warm-up per benchmark, seconds (benches that set their own keep theirs).
    pub(crate) warm_up_s: f64,
    /// Criterion measurement per benchmark, seconds.
    pub(crate) measure_s: f64,
    /// Rows per `shiming batch` in the zero-latency comparison.
    pub(crate) loadgen_rows: usize,
    /// Requests in flight for the zero-latency comparison (batch and load generator alike).
    pub(crate) loadgen_concurrency: usize,
    /// Rows per batch at 100 ms latency.
    pub(crate) latency_rows: usize,
    /// The small and the big input of the memory comparison.
    pub(crate) memory_rows: (usize, usize),
    /// Rows of the pacing run (at 50 a second).
    pub(crate) pacing_rows: usize,
    /// The gateway's memory soak, seconds.
    pub(crate) soak_s: u64,
}

impl Plan {
    /// The full run: what `docs/performance.md` reports.
    pub(crate) const FULL: Plan = Plan {
        rounds: 5,
        warm_up_s: 1.0,
        measure_s: 2.0,
        loadgen_rows: 100_000,
        loadgen_concurrency: 64,
        latency_rows: 10_000,
        memory_rows: (10_000, 1_000_000),
        pacing_rows: 500,
        soak_s: 600,
    };

    /// `--quick`: the same table in a few minutes, less precise.
    pub(crate) const QUICK: Plan = Plan {
        rounds: 3,
        warm_up_s: 0.3,
        measure_s: 0.7,
        loadgen_rows: 20_000,
        loadgen_concurrency: 64,
        latency_rows: 5_000,
        memory_rows: (10_000, 100_000),
        pacing_rows: 250,
        soak_s: 120,
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options, String> {
        Options::parse(&args.iter().map(|a| a.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn defaults_run_everything_in_order() {
        let options = parse(&[]).unwrap();
        assert_eq!(options.sections, Section::ALL.to_vec());
        assert_eq!(options.plan(), Plan::FULL);
    }

    #[test]
    fn only_keeps_running_order_and_accepts_lists() {
        let options = parse(&["--only", "memory,decode", "--only=overhead", "--quick"]).unwrap();
        assert_eq!(
            options.sections,
            vec![Section::Overhead, Section::Decode, Section::Memory]
        );
        assert_eq!(options.plan().loadgen_rows, Plan::QUICK.loadgen_rows);
    }

    #[test]
    fn bad_arguments_are_named() {
        assert!(parse(&["--only", "nope"]).unwrap_err().contains("`nope`"));
        assert!(parse(&["--rounds", "0"]).unwrap_err().contains("--rounds"));
        assert!(parse(&["--rounds"]).unwrap_err().contains("needs a value"));
        assert!(parse(&["--loadgen", "ab"]).unwrap_err().contains("`ab`"));
        assert!(parse(&["--fast"]).unwrap_err().contains("`--fast`"));
        assert_eq!(parse(&["--rounds=7"]).unwrap().plan().rounds, 7);
    }
}
