//! The `bench` task: builds in release mode, measures every pair side by side in one run,
//! and prints a table of median ratios with PASS/MISS against the targets of the issue.
//!
//! Sections (`--only` names): `overhead`, `decode`, `sign`, `offline` drive the crates'
//! criterion benchmarks round after round; `loadgen`, `latency`, `memory`, `pacing` run the
//! release `shiming batch` against `shiming serve` as separate processes; `store` runs
//! shiming-store's `store_bench` example; `gateway` runs the release `shiming gateway`
//! (see `bench/gateway.rs`); `cold-build` times the README's first command on an empty target
//! directory. See `docs/performance.md`.

mod batch_run;
mod build;
mod cold_build;
mod criterion;
mod gateway;
mod loadgen;
mod micro;
mod options;
mod pacing;
mod people;
mod process_rows;
mod serve;
mod stats;
mod store_rows;
mod table;
mod wire;
mod workdir;

use batch_run::RssProbe;
use build::BenchBinary;
use criterion::Timing;
use loadgen::Loadgen;
use options::{Options, Plan, Section};
use process_rows::ProcessContext;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;
use table::Row;
use workdir::Workdir;

/// Runs the task with the arguments after its name.
pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let options = Options::parse(args)?;
    let plan = options.plan();
    let workdir = Workdir::create()?;
    let started = Instant::now();

    // Everything is built before anything is measured: a compile error stops the run at
    // once, and no build competes with a measurement for the cores.
    let built = build_all(&options)?;
    let loadgen = if options.sections.contains(&Section::Loadgen) {
        Some(Loadgen::choose(options.loadgen)?)
    } else {
        None
    };
    let probe = RssProbe::detect();
    let header = header(&options, plan, loadgen.as_ref(), &probe);
    eprintln!("{header}");

    let mut rows: Vec<Row> = Vec::new();
    for &section in &options.sections {
        let section_started = Instant::now();
        eprintln!("== {}", section.name());
        rows.extend(run_section(
            section,
            &built,
            plan,
            &workdir,
            loadgen.as_ref(),
            &probe,
            options.quick,
        ));
        eprintln!(
            "== {} done in {:.0} s",
            section.name(),
            section_started.elapsed().as_secs_f64()
        );
    }

    let report = format!(
        "{header}\n\n{}\nTotal time {:.0} s. Logs: {}\n",
        table::render(&rows),
        started.elapsed().as_secs_f64(),
        workdir.root().join("logs").display()
    );
    let results = workdir.root().join("results.md");
    std::fs::write(&results, &report)
        .map_err(|e| format!("cannot write {}: {e}", results.display()))?;
    // The table is this task's product: it goes to stdout, progress went to stderr.
    #[allow(clippy::print_stdout)]
    {
        println!("{report}");
    }
    eprintln!("(also written to {})", results.display());
    let errors = rows
        .iter()
        .filter(|r| r.verdict == table::Verdict::Error)
        .count();
    if errors > 0 {
        return Err(format!(
            "{errors} row(s) could not be measured (see ERROR rows)"
        ));
    }
    Ok(())
}

/// What the selected sections need, built.
struct Built {
    overhead: Option<BenchBinary>,
    decode: Option<BenchBinary>,
    sign: Option<BenchBinary>,
    offline: Option<BenchBinary>,
    shiming: Option<PathBuf>,
    /// `bare_loadgen` of shiming-reqwest, for the loadgen and latency sections' reference
    /// rows.
    bare_reqwest: Option<PathBuf>,
    /// `store_bench` of shiming-store, for the store section.
    store_bench: Option<PathBuf>,
    /// `bare_json` of shiming-gateway: the gateway section's reference server.
    bare_json: Option<PathBuf>,
}

fn build_all(options: &Options) -> Result<Built, String> {
    let wants = |s: Section| options.sections.contains(&s);
    let bench = |s: Section, package: &str, name: &str| {
        wants(s)
            .then(|| build::bench_binary(package, name))
            .transpose()
    };
    Ok(Built {
        overhead: bench(Section::Overhead, "shiming", "overhead")?,
        decode: bench(Section::Decode, "shiming-codec", "decode")?,
        sign: bench(Section::Sign, "shiming-sign", "sign")?,
        offline: bench(Section::Offline, "shiming-numbers", "numbers")?,
        shiming: options
            .sections
            .iter()
            .any(|s| s.needs_cli())
            .then(build::cli_binary)
            .transpose()?,
        bare_reqwest: (wants(Section::Loadgen) || wants(Section::Latency))
            .then(|| build::example_binary("shiming-reqwest", "bare_loadgen"))
            .transpose()?,
        store_bench: wants(Section::Store)
            .then(|| build::example_binary("shiming-store", "store_bench"))
            .transpose()?,
        bare_json: wants(Section::Gateway)
            .then(|| build::example_binary("shiming-gateway", "bare_json"))
            .transpose()?,
    })
}

fn run_section(
    section: Section,
    built: &Built,
    plan: Plan,
    workdir: &Workdir,
    loadgen: Option<&Loadgen>,
    probe: &RssProbe,
    quick: bool,
) -> Vec<Row> {
    let timing = Timing {
        warm_up_s: plan.warm_up_s,
        measure_s: plan.measure_s,
    };
    let criterion_rows = |binary: &Option<BenchBinary>,
                          to_rows: fn(&[criterion::Round]) -> Vec<Row>| {
        let name = section.name();
        let Some(binary) = binary else {
            return vec![Row::error(name, name, "not built")];
        };
        match micro::rounds(name, binary, plan.rounds, timing, workdir) {
            Ok(rounds) => to_rows(&rounds),
            Err(why) => vec![Row::error(name, binary.label.clone(), &why)],
        }
    };
    let process = |f: &dyn Fn(&ProcessContext<'_>) -> Vec<Row>| {
        let Some(shiming) = &built.shiming else {
            return vec![Row::error(section.name(), "shiming", "not built")];
        };
        f(&ProcessContext {
            shiming,
            bare_reqwest: built.bare_reqwest.as_deref(),
            workdir,
            probe,
            plan,
        })
    };
    match section {
        Section::Overhead => criterion_rows(&built.overhead, micro::overhead_rows),
        Section::Decode => criterion_rows(&built.decode, micro::decode_rows),
        Section::Sign => criterion_rows(&built.sign, micro::sign_rows),
        Section::Offline => criterion_rows(&built.offline, micro::offline_rows),
        Section::Loadgen => match loadgen {
            Some(loadgen) => process(&|ctx| process_rows::loadgen_rows(ctx, loadgen)),
            None => vec![Row::error("loadgen", "load generator", "none chosen")],
        },
        Section::Latency => process(&process_rows::latency_rows),
        Section::Memory => process(&process_rows::memory_rows),
        Section::Pacing => process(&pacing::pacing_rows),
        Section::Store => store_rows::rows(built.store_bench.as_deref(), plan),
        Section::Gateway => {
            process(&|ctx| gateway::rows(ctx, built.bare_json.as_deref(), plan.soak_s))
        }
        Section::ColdBuild => cold_build::rows(workdir, probe, quick),
    }
}

/// What ran, where and when: the table means little without it.
fn header(options: &Options, plan: Plan, loadgen: Option<&Loadgen>, probe: &RssProbe) -> String {
    let command = |program: &str, args: &[&str]| {
        Command::new(program)
            .args(args)
            // Never take git's optional index lock: other engineers share this tree.
            .env("GIT_OPTIONAL_LOCKS", "0")
            .current_dir(crate::util::workspace_root())
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_else(|| "?".to_string())
    };
    let dirty = command("git", &["status", "--porcelain", "--untracked-files=no"]);
    let commit = format!(
        "{}{}",
        command("git", &["rev-parse", "--short", "HEAD"]),
        if dirty.is_empty() || dirty == "?" {
            ""
        } else {
            " + uncommitted changes"
        }
    );
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = crate::util::load_average();
    let mut lines = vec![
        format!(
            "shiming benchmarks: {} run, {} rounds per comparison, {}",
            if options.quick { "--quick" } else { "full" },
            plan.rounds,
            command("date", &["-u", "+%Y-%m-%d %H:%M UTC"])
        ),
        format!(
            "commit {commit}; {}; {cores} cores, load average {load} at the start",
            command("rustc", &["--version"])
        ),
    ];
    if let Some(loadgen) = loadgen {
        lines.push(format!("load generator: {}", loadgen.name()));
    }
    if options.sections.contains(&Section::Memory) {
        lines.push(format!("peak memory: {}", probe.describe()));
    }
    lines.join("\n")
}
