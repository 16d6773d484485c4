//! `shiming batch INPUT --check mobile|id|mobile-status --out OUT`.
//!
//! Streams the input (CSV with a header, or JSON lines), checks every row with bounded
//! concurrency and an optional QPS cap, and writes one output row per input row **in
//! completion order** (the `row` column gives the input position). A journal beside OUT
//! (`OUT.journal`) makes the job crash-safe: after a crash or Ctrl-C, the same command with
//! `--resume` finishes it without losing or repeating a row. The summary goes to stderr, and
//! to stdout as one JSON object with `--output json`.
//!
//! Exit codes: 0 the job finished (whatever the verdicts); 2 usage or file problems;
//! 3 stopped because the vendor refused in a way every row would share (auth, balance, …);
//! 4 stopped because the vendor kept failing at the transport level; 130 interrupted.
//! In the last three cases fix the cause and rerun with `--resume`.

use crate::batch::checker::Precheck;
use crate::batch::engine::{Ending, Engine, Job};
use crate::batch::facade::FacadeChecker;
use crate::batch::input::CheckInput;
use crate::batch::input::{InputEncoding, count_rows};
use crate::batch::progress::Progress;
use crate::batch::record::BatchCheck;
use crate::batch::summary::PriceList;
use crate::config::Settings;
use crate::global::{GlobalArgs, OutputFormat};
use crate::report::{self, Failure};
use crate::session::{self, Choice};
use crate::{exit, precheck, stdout};
use shiming::codec::Vendor;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Exit code after Ctrl-C (128 + SIGINT), as shells expect.
const INTERRUPTED: u8 = 130;

/// `--vendor` of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum BatchVendor {
    /// wapi.cn (mobile, id).
    Wapi,
    /// QXT (mobile).
    Qxt,
    /// ihuyi (mobile-status).
    Ihuyi,
    /// The check's usual vendor: wapi then QXT for mobile, wapi for id, ihuyi for status.
    Auto,
}

/// Arguments of `batch`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Output rows are written in completion order; the `row` column is the \
    input row number (1-based, header excluded). After a crash or Ctrl-C, rerun the same \
    command with --resume.",
    after_long_help = "Output rows are written in completion order; the `row` column is the \
    input row number (1-based, header excluded). After a crash or Ctrl-C, rerun the same \
    command with --resume.\n\n\
    The `billed` column is true (an answer said the call was billed), false, or maybe: no \
    answer arrived, but the request may have reached the vendor (the answer was cut, too \
    large or timed out, the connection was reset, or the row was in flight when an earlier \
    run died), so the vendor may have charged for it. In JSON lines true and false are \
    booleans and maybe is the string \"maybe\". The summary counts `billed` and \
    `possibly_billed` (the maybe rows plus the lost first send of each row resent after a \
    crash): the vendor's bill lies between the two sums. Its cost is `cost_yuan` (certain) \
    and `cost_yuan_max` (at most), calls without a configured price counted in `unpriced` \
    and `unpriced_max`."
)]
pub(crate) struct BatchArgs {
    /// Input: CSV with a header row (name, mobile, id_number or 姓名, 手机号, 身份证号), or
    /// JSON lines with the same keys.
    input: PathBuf,
    /// The check to run on every row.
    #[arg(long, value_enum)]
    check: BatchCheck,
    /// Output file: CSV, or JSON lines when it ends in .jsonl. Created mode 0600.
    #[arg(long)]
    out: PathBuf,
    /// Which vendor to ask.
    #[arg(long, value_enum, default_value_t = BatchVendor::Auto)]
    vendor: BatchVendor,
    /// Requests in flight at most.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=4096))]
    concurrency: u32,
    /// Requests per second at most (token bucket, evenly paced).
    #[arg(long, value_name = "R")]
    qps: Option<f64>,
    /// Finish an interrupted job from its journal.
    #[arg(long)]
    resume: bool,
    /// With --resume: write rows that were in flight at the crash as `unknown` instead of
    /// sending them again (they may have been billed).
    #[arg(long, requires = "resume")]
    skip_unknown: bool,
    /// Input encoding (Excel on Chinese Windows saves CSV as GBK).
    #[arg(long, value_enum, default_value_t = InputEncoding::Utf8)]
    encoding: InputEncoding,
    /// Send numbers as given, without offline validation (empty fields are still refused).
    #[arg(long)]
    no_precheck: bool,
    /// Price per billed call for the cost estimate, e.g. --price wapi=0.45 (repeatable;
    /// overrides [prices] in the config file).
    #[arg(long = "price", value_name = "VENDOR=YUAN")]
    prices: Vec<String>,
}

/// Runs the subcommand.
pub(crate) fn run(global: &GlobalArgs, args: BatchArgs) -> ExitCode {
    match prepare(global, &args) {
        Ok((settings, choice)) => execute(global, args, settings, choice),
        Err(failure) => report::failure(global, &failure),
    }
}

/// Checks the flags and loads the settings before anything starts.
fn prepare(global: &GlobalArgs, args: &BatchArgs) -> Result<(Settings, Choice), Failure> {
    let usage = |message: String| Failure::usage("usage", message);
    let choice = match (args.check, args.vendor) {
        (BatchCheck::Mobile, BatchVendor::Auto) => Choice::MobileAuto,
        (BatchCheck::Mobile, BatchVendor::Wapi) => Choice::One(Vendor::Wapi),
        (BatchCheck::Mobile, BatchVendor::Qxt) => Choice::One(Vendor::Qxt),
        (BatchCheck::Id, BatchVendor::Auto | BatchVendor::Wapi) => Choice::One(Vendor::Wapi),
        (BatchCheck::MobileStatus, BatchVendor::Auto | BatchVendor::Ihuyi) => {
            Choice::One(Vendor::Ihuyi)
        }
        (check, vendor) => {
            return Err(usage(format!(
                "--check {} is not offered by --vendor {vendor:?}",
                check.as_str()
            )));
        }
    };
    if let (Ok(input), Ok(out)) = (args.input.canonicalize(), args.out.canonicalize())
        && input == out
    {
        return Err(usage(
            "--out is the input file; writing it would destroy the input".into(),
        ));
    }
    if let Some(qps) = args.qps
        && !(qps.is_finite() && qps > 0.0)
    {
        return Err(usage(format!("--qps must be a positive number, not {qps}")));
    }
    let mut settings = Settings::load(global.config.as_deref(), global.endpoint.as_deref())
        .map_err(|e| Failure::usage("not_configured", e.0))?;
    for price in &args.prices {
        let parsed = price
            .split_once('=')
            .and_then(|(vendor, yuan)| Some((vendor.trim(), yuan.trim().parse::<f64>().ok()?)))
            .filter(|(_, yuan)| yuan.is_finite() && *yuan >= 0.0);
        let slot = match (parsed, args.check) {
            (Some(("wapi", _)), BatchCheck::Mobile) => &mut settings.prices.wapi_mobile,
            (Some(("wapi", _)), BatchCheck::Id) => &mut settings.prices.wapi_id,
            (Some(("qxt", _)), BatchCheck::Mobile) => &mut settings.prices.qxt_mobile,
            (Some(("ihuyi", _)), BatchCheck::MobileStatus) => {
                &mut settings.prices.ihuyi_mobile_status
            }
            (Some(_), _) => continue,
            (None, _) => return Err(usage(format!("--price `{price}` is not VENDOR=YUAN"))),
        };
        *slot = parsed.map(|(_, yuan)| yuan);
    }
    Ok((settings, choice))
}

fn execute(global: &GlobalArgs, args: BatchArgs, settings: Settings, choice: Choice) -> ExitCode {
    let runtime = match session::batch_runtime() {
        Ok(runtime) => runtime,
        Err(e) => return report::failure(global, &Failure::usage("internal", e.0)),
    };
    let job = Job {
        input: args.input.clone(),
        encoding: args.encoding,
        out: args.out.clone(),
        check: args.check,
        concurrency: args.concurrency as usize,
        qps: args.qps,
        resume: args.resume,
        skip_unknown: args.skip_unknown,
    };
    let outcome = runtime.block_on(async {
        let session = session::open(global, &settings, choice)
            .await
            .map_err(|e| Failure::usage("not_configured", e.0))?;
        let vendor = match choice {
            Choice::One(vendor) => Some(vendor),
            Choice::MobileAuto => None,
        };
        let checker = FacadeChecker::new(session.verifier.clone(), args.check, vendor);
        let interrupt = Arc::new(AtomicBool::new(false));
        watch_ctrl_c(interrupt.clone());
        // The ETA needs a row count: one more pass over the file, only for a terminal.
        let total = if std::io::stderr().is_terminal() {
            count_rows(&job.input, job.encoding)
        } else {
            None
        };
        let progress = Progress::for_stderr(total);
        let engine = Engine {
            checker: Arc::new(checker),
            precheck: Some(precheck_for(args.check, args.no_precheck)),
            prices: PriceList::new(settings.prices, args.check),
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
    eprintln!("{}", report.summary.human());
    let code = match &report.ending {
        Ending::Complete => exit::OK,
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
        Ending::Interrupted => {
            eprintln!("interrupted: rerun the same command with --resume to finish");
            INTERRUPTED
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

/// First Ctrl-C: stop sending, let rows in flight finish and be written. Second: leave now
/// (the journal is consistent at every instant, so --resume still works).
fn watch_ctrl_c(interrupt: Arc<AtomicBool>) {
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_err() {
            return;
        }
        eprintln!("\ninterrupting: waiting for requests in flight (Ctrl-C again to quit now)");
        interrupt.store(true, Ordering::SeqCst);
        if tokio::signal::ctrl_c().await.is_ok() {
            std::process::exit(i32::from(INTERRUPTED));
        }
    });
}
