//! `shiming batch INPUT --check mobile|id|mobile-status --out OUT`.
//!
//! Streams the input (CSV with a header, or JSON lines), checks every row with bounded
//! concurrency and an optional QPS cap, and writes one output row per input row, in input
//! order, when the run ends. A journal beside OUT
//! (`OUT.journal`) makes the job crash-safe: after a crash or Ctrl-C, the same command with
//! `--resume` finishes it without losing or repeating a row. The summary goes to stderr, and
//! to stdout as one JSON object with `--output json`.
//!
//! Exit codes: see `batch_exit_codes!` (also in `batch --help`). One process per job: the batch holds an exclusive
//! lock on `OUT.lock` for its whole life. An existing output is never overwritten without
//! `--resume` (its own unfinished job) or `--force` (start over), and a job that completed
//! says so when run again, sending nothing.

use crate::batch::checker::Precheck;
use crate::batch::engine::{Ending, Engine, Job};
use crate::batch::facade::FacadeChecker;
use crate::batch::input::CheckInput;
use crate::batch::input::{ColumnMap, InputEncoding, ReadOptions, count_rows_with};
use crate::batch::output::OutputFormat as FileFormat;
use crate::batch::progress::Progress;
use crate::batch::record::BatchCheck;
use crate::batch::summary::PriceList;
use crate::batch::{guard, journal};
use crate::config::Settings;
use crate::global::{GlobalArgs, OutputFormat};
use crate::report::{self, Failure};
use crate::session::{self, Choice};
use crate::vendors::BatchVendor;
use crate::{exit, precheck, stdout};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

/// The batch's exit codes, as `batch --help` shows them (a macro, so `concat!` can put them
/// into the help text).
macro_rules! batch_exit_codes {
    () => {
        "Exit codes:
  0    every row has an answer or was refused offline (or the job was already complete)
  2    usage, configuration or file problem, or another process holds the job; nothing sent
  3    stopped: the vendor refused in a way every further row would share (credentials,
       balance, account, IP allow-list, clock); fix it and rerun with --resume
  4    stopped: the vendor kept failing (transport or undecodable answers); rerun with
       --resume when it is back
  5    every row was tried, but some have no answer: rows that failed without being billed
       are sent again by --resume; rows that may have been billed are never resent
  6    stopped: the next call could have taken the job's spend over --max-cost; rerun with
       --resume and a higher cap
  129  stopped by SIGHUP, 130 by SIGINT (Ctrl-C), 143 by SIGTERM: rows in flight were
       finished and recorded; rerun with --resume"
    };
}

/// Arguments of `batch`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "The output is written when the run ends, rows in input order; the \
    `row` column is the input row number (1-based, header excluded). After a crash or \
    Ctrl-C, rerun the same command with --resume.\n\nExit codes: 0 all answered or refused offline; 2 usage or file \
    problem; 3 vendor refusal every row shares; 4 vendor keeps failing; 5 some rows have no \
    answer; 129/130/143 stopped by SIGHUP/SIGINT/SIGTERM (see --help).",
    after_long_help = concat!("The output is written when the run ends, rows in input order; the \
    `row` column is the input row number (1-based, header excluded). After a crash or \
    Ctrl-C, rerun the same command with --resume.\n\n\
    The `billed` column is true (an answer said the call was billed), false, or maybe: no \
    answer arrived, but the request may have reached the vendor (the answer was cut, too \
    large or timed out, the connection was reset, or the row was in flight when an earlier \
    run died), so the vendor may have charged for it. In JSON lines true and false are \
    booleans and maybe is the string \"maybe\". The summary counts `billed` and \
    `possibly_billed` (the maybe rows plus the lost first send of each row resent after a \
    crash): the vendor's bill lies between the two sums. Its cost is `cost_yuan` (certain) \
    and `cost_yuan_max` (at most), calls without a configured price counted in `unpriced` \
    and `unpriced_max`.\n\n\
    One process per job: a second `shiming batch` on the same --out exits 2 at once and names \
    the process holding it. An existing --out is refused unless --resume (finish its own \
    unfinished job) or --force (start over, billing every row again); running a job that \
    completed again says so and sends nothing. --resume also sends again every row whose \
    failure certainly cost nothing (connection refused, balance or credential refusals), and \
    refuses to go on when the input changed anywhere.\n\n\
    In sandbox mode (nothing configured, or --sandbox) the vendor cell reads \
    `sandbox:<vendor>` and the summary says \"sandbox\": true.\n\n",
    batch_exit_codes!()
))]
pub(crate) struct BatchArgs {
    /// Input: CSV with a header row (name, mobile, id_number or 姓名, 手机号, 身份证号), or
    /// JSON lines with the same keys.
    input: PathBuf,
    /// The check to run on every row.
    #[arg(long, value_enum)]
    check: BatchCheck,
    /// Output file: .csv, .xlsx (an Excel workbook, every cell text) or .jsonl (JSON lines).
    /// Written in input order when the run ends (also when it stops early); created mode
    /// 0600. The journal beside it (OUT.journal) is the crash-safe record.
    #[arg(long)]
    out: PathBuf,
    /// CSV without the UTF-8 byte-order mark (Excel on Chinese Windows needs it to read
    /// UTF-8; leave it on for files people open).
    #[arg(long)]
    no_bom: bool,
    /// Which vendor to ask.
    #[arg(long, value_enum, default_value_t = BatchVendor::Auto)]
    vendor: BatchVendor,
    /// Requests in flight at most.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=4096))]
    concurrency: u32,
    /// Requests per second at most (token bucket, evenly paced).
    #[arg(long, value_name = "R")]
    qps: Option<f64>,
    /// Finish an interrupted job from its journal (rows that failed without being billed
    /// are sent again).
    #[arg(long, conflicts_with = "force")]
    resume: bool,
    /// Start over: replace an existing --out (and its journal) and send every row again.
    /// Every row is billed again.
    #[arg(long)]
    force: bool,
    /// With --resume: write rows that were in flight at the crash as `unknown` instead of
    /// sending them again (they may have been billed).
    #[arg(long, requires = "resume")]
    skip_unknown: bool,
    /// The sheet of a workbook (.xlsx, .xls, .ods) to read; the first by default.
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
    /// Columns for headers the built-in names miss, e.g.
    /// --columns name=名字,mobile=电话,id=证件号码
    #[arg(long, value_name = "FIELD=HEADER,…")]
    columns: Option<String>,
    /// Input encoding of text files without a byte-order mark (Excel on Chinese Windows
    /// saves CSV as GBK); workbooks and UTF-16 files say their own.
    #[arg(long, value_enum, default_value_t = InputEncoding::Utf8)]
    encoding: InputEncoding,
    /// Send numbers as given, without offline validation (empty fields are still refused).
    #[arg(long)]
    no_precheck: bool,
    /// Never start a call whose price could take this job's spend over YUAN (calls that may
    /// have been billed count); the batch stops with exit code 6 and resumes with a higher cap.
    #[arg(long, value_name = "YUAN")]
    max_cost: Option<f64>,
    /// Price per billed call for the cost estimate, e.g. --price wapi=0.45 (repeatable;
    /// overrides `[prices]` in the config file).
    #[arg(long = "price", value_name = "VENDOR=YUAN")]
    prices: Vec<String>,
}

/// Runs the subcommand.
pub(crate) fn run(global: &GlobalArgs, args: BatchArgs) -> ExitCode {
    match prepare(global, &args) {
        Ok((settings, choice, column_map)) => execute(global, args, settings, choice, column_map),
        Err(failure) => report::failure(global, &failure),
    }
}

/// Checks the flags and loads the settings before anything starts.
fn prepare(
    global: &GlobalArgs,
    args: &BatchArgs,
) -> Result<(Settings, Choice, ColumnMap), Failure> {
    let usage = |message: String| Failure::usage("usage", message);
    let choice = args
        .vendor
        .choice(args.check.store_check())
        .ok_or_else(|| {
            usage(format!(
                "--check {} is not offered by --vendor {:?}",
                args.check.as_str(),
                args.vendor
            ))
        })?;
    if let (Ok(input), Ok(out)) = (args.input.canonicalize(), args.out.canonicalize())
        && input == out
    {
        return Err(usage(
            "--out is the input file; writing it would destroy the input".into(),
        ));
    }
    FileFormat::for_path(&args.out).map_err(|message| Failure::usage("usage", message))?;
    guard::check_paths(&args.input, &args.out, &journal::path_for(&args.out))
        .map_err(|message| Failure::usage("file", message))?;
    if let Some(qps) = args.qps
        && !(qps.is_finite() && qps > 0.0)
    {
        return Err(usage(format!("--qps must be a positive number, not {qps}")));
    }
    let mut settings = Settings::load(global.config.as_deref(), global.endpoint.as_deref())
        .map_err(|e| Failure::usage("not_configured", e.0))?;
    for price in &args.prices {
        let (vendor, yuan) = price
            .split_once('=')
            .map(|(vendor, yuan)| (vendor.trim(), yuan.trim()))
            .ok_or_else(|| usage(format!("--price `{price}` is not VENDOR=YUAN")))?;
        let not_a_price = || {
            usage(format!(
                "--price {vendor}=…: the price must be a number of yuan, 0 or more"
            ))
        };
        let yuan = yuan.parse::<f64>().map_err(|_| not_a_price())?;
        let named = crate::vendors::named(vendor).ok_or_else(|| {
            usage(format!(
                "--price {vendor}=…: unknown vendor `{vendor}`; the vendors are {}",
                crate::vendors::names("and")
            ))
        })?;
        // The prices table refuses a negative or non-finite price itself; the messages name
        // the flag.
        settings
            .accounts
            .prices
            .set(named, args.check.store_check(), yuan)
            .map_err(|error| match error {
                shiming::PriceError::Invalid { .. } => not_a_price(),
                _ => usage(format!(
                    "--price {vendor}=…: {vendor} does not offer {}",
                    args.check.flag()
                )),
            })?;
    }
    if let Some(cap) = args.max_cost {
        if !(cap.is_finite() && cap >= 0.0) {
            return Err(usage(format!(
                "--max-cost must be a number of yuan, 0 or more, not {cap}"
            )));
        }
        let prices = PriceList::new(settings.accounts.prices, args.check);
        let vendors = choice.vendors();
        if let Some(unpriced) = vendors.iter().find(|v| prices.price(**v).is_none()) {
            return Err(usage(format!(
                "--max-cost needs the price of a {unpriced} call: set it with --price \
                 {unpriced}=YUAN or in [prices]"
            )));
        }
    }
    let column_map = match &args.columns {
        Some(text) => text
            .parse::<ColumnMap>()
            .map_err(|e| usage(format!("--columns: {e}")))?,
        None => ColumnMap::default(),
    };
    Ok((settings, choice, column_map))
}

fn execute(
    global: &GlobalArgs,
    args: BatchArgs,
    settings: Settings,
    choice: Choice,
    column_map: ColumnMap,
) -> ExitCode {
    // Before anything else: one process per job.
    let _lock = match guard::JobLock::acquire(&args.out) {
        Ok(lock) => lock,
        Err(message) => return report::failure(global, &Failure::usage("locked", message)),
    };
    let sandbox = match session::decide(global, &settings, choice) {
        Ok(mode) => mode.is_sandbox(),
        Err(e) => return report::failure(global, &Failure::usage("not_configured", e.0)),
    };
    let runtime = match session::batch_runtime() {
        Ok(runtime) => runtime,
        Err(e) => return report::failure(global, &Failure::usage("internal", e.0)),
    };
    let job = Job {
        input: args.input.clone(),
        read: ReadOptions {
            encoding: args.encoding,
            sheet: args.sheet.clone(),
            columns: column_map,
        },
        out: args.out.clone(),
        check: args.check,
        concurrency: args.concurrency as usize,
        qps: args.qps,
        resume: args.resume,
        skip_unknown: args.skip_unknown,
        force: args.force,
        no_bom: args.no_bom,
        vendor: match choice {
            Choice::One(vendor) => Some(vendor),
            Choice::MobileAuto => None,
        },
        max_cost: args.max_cost,
        sandbox,
    };
    let signal = Arc::new(AtomicI32::new(0));
    let outcome = runtime.block_on(async {
        let session = session::open(global, &settings, choice)
            .await
            .map_err(|e| Failure::usage("not_configured", e.0))?;
        let vendor = match choice {
            Choice::One(vendor) => Some(vendor),
            Choice::MobileAuto => None,
        };
        let checker =
            FacadeChecker::new(session.checker.clone(), args.check, vendor, session.sandbox);
        let interrupt = Arc::new(AtomicBool::new(false));
        watch_signals(interrupt.clone(), signal.clone());
        // The ETA needs a row count: one more pass over the file, only for a terminal.
        let total = if std::io::stderr().is_terminal() {
            count_rows_with(&job.input, &job.read)
        } else {
            None
        };
        let progress = Progress::for_stderr(total);
        let engine = Engine {
            checker: Arc::new(checker),
            precheck: Some(precheck_for(args.check, args.no_precheck)),
            prices: PriceList::new(settings.accounts.prices, args.check),
            progress,
            interrupt,
        };
        let report = engine.run(&job).await;
        session.close().await;
        report.map_err(|e| Failure::usage("batch", e.0))
    });
    let report = match outcome {
        Ok(report) => report,
        Err(failure) => return report::failure(global, &failure),
    };
    if report.ending == Ending::AlreadyComplete {
        eprintln!(
            "complete: this job finished in an earlier run and {} holds every row; nothing \
             was sent (--force starts over and bills every row again)",
            job.out.display()
        );
    }
    eprintln!("{}", report.summary.human());
    let code = match &report.ending {
        Ending::Complete | Ending::AlreadyComplete => exit::OK,
        Ending::BudgetReached { cap } => {
            eprintln!(
                "stopped: the next call could take this job's spend over --max-cost ¥{cap:.2} \
                 (¥{:.2} at most so far); rerun with --resume and a higher --max-cost to go on",
                report.summary.cost_yuan_max
            );
            exit::BUDGET_REACHED
        }
        Ending::VendorRefused { kind, row } => {
            eprintln!(
                "stopped: the vendor refused row {row} with `{kind}`, which every further row \
                 would share; fix it and rerun with --resume"
            );
            exit::VENDOR_REFUSED
        }
        Ending::TransportFailing { kind } => {
            eprintln!(
                "stopped: the vendor keeps failing (`{kind}`); rerun with --resume when it is back"
            );
            exit::TRANSPORT
        }
        Ending::RowsFailed {
            unbilled,
            maybe_billed,
        } => {
            if *unbilled > 0 {
                eprintln!(
                    "unfinished: {unbilled} rows failed without being billed; rerun the same \
                     command with --resume to send them again"
                );
            }
            if *maybe_billed > 0 {
                eprintln!(
                    "no answer: {maybe_billed} rows may have been billed although no answer \
                     arrived; they are not sent again (ask the vendor, or send them yourself)"
                );
            }
            exit::ROWS_FAILED
        }
        Ending::Interrupted => {
            eprintln!("interrupted: rerun the same command with --resume to finish");
            match signal.load(Ordering::SeqCst) {
                0 => exit::SIGNALLED_BASE + 2,
                n => exit::SIGNALLED_BASE.saturating_add(u8::try_from(n).unwrap_or(0)),
            }
        }
    };
    if global.output == OutputFormat::Json {
        stdout::json(&report.summary);
    }
    ExitCode::from(code)
}

/// Offline validation for `check`; with `--no-precheck` only empty fields are refused.
fn precheck_for(check: BatchCheck, skip: bool) -> Precheck {
    Box::new(move |input: &CheckInput| {
        let present = |what: &str, value: &str| {
            if value.trim().is_empty() {
                Err(format!("the {what} is empty"))
            } else {
                Ok(value.trim().to_string())
            }
        };
        let mut out = input.clone();
        match check {
            BatchCheck::Mobile | BatchCheck::MobileStatus => {
                out.mobile = if skip {
                    present("mobile", &input.mobile)?
                } else {
                    precheck::mobile(&input.mobile)?
                };
            }
            BatchCheck::Id => {
                out.id_number = if skip {
                    present("ID number", &input.id_number)?
                } else {
                    precheck::id_number(&input.id_number)?
                };
            }
        }
        if check != BatchCheck::MobileStatus {
            out.name = if skip {
                present("name", &input.name)?
            } else {
                precheck::name(&input.name)?
            };
        }
        Ok(out)
    })
}

/// SIGINT (Ctrl-C), SIGTERM and SIGHUP all stop a batch the same way: no new rows, rows in
/// flight finish and are recorded, the journal is kept, the summary is printed, and the exit
/// code is 128 + the signal. A second signal leaves at once (the journal is consistent at
/// every instant, so --resume still works).
fn watch_signals(interrupt: Arc<AtomicBool>, which: Arc<AtomicI32>) {
    tokio::spawn(async move {
        let Some(signo) = next_signal().await else {
            return;
        };
        which.store(signo, Ordering::SeqCst);
        eprintln!("\ninterrupting: waiting for requests in flight (a second signal quits now)");
        interrupt.store(true, Ordering::SeqCst);
        if let Some(again) = next_signal().await {
            let code = exit::SIGNALLED_BASE.saturating_add(u8::try_from(again).unwrap_or(0));
            std::process::exit(i32::from(code));
        }
    });
}

/// Waits for SIGINT, SIGTERM or SIGHUP and returns its number.
#[cfg(unix)]
async fn next_signal() -> Option<i32> {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut hup)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::hangup()),
    ) else {
        return None;
    };
    tokio::select! {
        result = tokio::signal::ctrl_c() => result.ok().map(|()| 2),
        _ = term.recv() => Some(15),
        _ = hup.recv() => Some(1),
    }
}

/// Waits for Ctrl-C (the only stop signal elsewhere).
#[cfg(not(unix))]
async fn next_signal() -> Option<i32> {
    tokio::signal::ctrl_c().await.ok().map(|()| 2)
}
