//! The one-shot checks: `mobile-check`, `id-check`, `mobile-status`, `balance`.
//!
//! Each validates its input offline first (unless `--no-precheck`): a number that cannot be
//! right exits 2 without any request. Then it resolves the vendor (starting the sandbox when
//! it has no credentials), makes one call (the client policy may retry what cannot have been
//! billed) and prints the answer.

use crate::answers::{self, Subject};
use crate::config::Settings;
use crate::global::GlobalArgs;
use crate::precheck;
use crate::report::{self, Answer, Failure};
use crate::session::{self, Choice, Session};
use crate::vendors::{IdVendor, MobileVendor, StatusVendor};
use std::future::Future;
use std::process::ExitCode;

/// Arguments of `mobile-check`.
#[derive(Debug, clap::Args)]
pub(crate) struct MobileCheckArgs {
    /// The person's name.
    #[arg(long)]
    name: String,
    /// The mobile number (+86, spaces and dashes are fine).
    #[arg(long)]
    mobile: String,
    /// Which vendor to ask.
    #[arg(long, value_enum, default_value_t = MobileVendor::Auto)]
    vendor: MobileVendor,
    /// Send the input as given, without offline validation.
    #[arg(long)]
    no_precheck: bool,
}

/// Arguments of `id-check`.
#[derive(Debug, clap::Args)]
pub(crate) struct IdCheckArgs {
    /// The person's name.
    #[arg(long)]
    name: String,
    /// The ID-card number (18 characters).
    #[arg(long = "id", value_name = "ID_NUMBER")]
    id_number: String,
    /// Which vendor to ask.
    #[arg(long, value_enum, default_value_t)]
    vendor: IdVendor,
    /// Send the input as given, without offline validation.
    #[arg(long)]
    no_precheck: bool,
}

/// Arguments of `mobile-status`.
#[derive(Debug, clap::Args)]
pub(crate) struct MobileStatusArgs {
    /// The mobile number.
    #[arg(long)]
    mobile: String,
    /// Which vendor to ask.
    #[arg(long, value_enum, default_value_t)]
    vendor: StatusVendor,
    /// Send the input as given, without offline validation.
    #[arg(long)]
    no_precheck: bool,
}

/// Arguments of `balance`.
#[derive(Debug, clap::Args)]
pub(crate) struct BalanceArgs {
    /// Which vendor to ask.
    #[arg(long, value_enum, default_value_t)]
    vendor: StatusVendor,
}

/// Runs `mobile-check`.
pub(crate) fn mobile_check(global: &GlobalArgs, args: MobileCheckArgs) -> ExitCode {
    let input = if args.no_precheck {
        Ok((args.name.trim().to_string(), args.mobile.trim().to_string()))
    } else {
        precheck::name(&args.name).and_then(|name| Ok((name, precheck::mobile(&args.mobile)?)))
    };
    let (name, mobile) = match input {
        Ok(input) => input,
        Err(reason) => return report::failure(global, &Failure::refused_offline(reason)),
    };
    let choice = args.vendor.choice();
    run(
        global,
        choice,
        Billing::Billable,
        move |session| async move {
            let verifier = &session.checker;
            let result = match choice {
                Choice::One(vendor) => {
                    verifier
                        .mobile_two_elements_with(vendor, &name, &mobile)
                        .await
                }
                Choice::MobileAuto => verifier.mobile_two_elements(&name, &mobile).await,
            };
            let outcome = result
                .map(|checked| answers::two_element(&checked, Subject::Mobile(&name, &mobile)));
            (session, outcome)
        },
    )
}

/// Runs `id-check`.
pub(crate) fn id_check(global: &GlobalArgs, args: IdCheckArgs) -> ExitCode {
    let input = if args.no_precheck {
        Ok((
            args.name.trim().to_string(),
            args.id_number.trim().to_string(),
        ))
    } else {
        precheck::name(&args.name)
            .and_then(|name| Ok((name, precheck::id_number(&args.id_number)?)))
    };
    let (name, id_number) = match input {
        Ok(input) => input,
        Err(reason) => return report::failure(global, &Failure::refused_offline(reason)),
    };
    run(
        global,
        args.vendor.choice(),
        Billing::Billable,
        move |session| async move {
            let outcome = session
                .checker
                .id_two_elements(&name, &id_number)
                .await
                .map(|checked| answers::two_element(&checked, Subject::Id(&name, &id_number)));
            (session, outcome)
        },
    )
}

/// Runs `mobile-status`.
pub(crate) fn mobile_status(global: &GlobalArgs, args: MobileStatusArgs) -> ExitCode {
    let mobile = if args.no_precheck {
        args.mobile.trim().to_string()
    } else {
        match precheck::mobile(&args.mobile) {
            Ok(mobile) => mobile,
            Err(reason) => return report::failure(global, &Failure::refused_offline(reason)),
        }
    };
    run(
        global,
        args.vendor.choice(),
        Billing::Billable,
        move |session| async move {
            let outcome = session
                .checker
                .mobile_status(&mobile)
                .await
                .map(|checked| answers::status(&checked, &mobile));
            (session, outcome)
        },
    )
}

/// Runs `balance`.
pub(crate) fn balance(global: &GlobalArgs, args: BalanceArgs) -> ExitCode {
    let choice = args.vendor.choice();
    run(global, choice, Billing::NeverBilled, |session| async move {
        let outcome = session
            .checker
            .verifier()
            .balance()
            .await
            .map(|checked| answers::balance(&checked));
        (session, outcome)
    })
}

/// Whether the vendor charges for the call a command makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Billing {
    /// A check: billed when answered, so a lost answer may have cost money.
    Billable,
    /// A balance query: free, whatever happened to its answer.
    NeverBilled,
}

/// Loads settings, opens a session on a fresh runtime, runs `call`, prints the outcome.
fn run<F, Fut>(global: &GlobalArgs, choice: Choice, billing: Billing, call: F) -> ExitCode
where
    F: FnOnce(Session) -> Fut,
    Fut: Future<Output = (Session, Result<Answer, shiming::Error>)>,
{
    let settings = match Settings::load(global.config.as_deref(), global.endpoint.as_deref()) {
        Ok(settings) => settings,
        Err(e) => return report::failure(global, &Failure::usage("not_configured", e.0)),
    };
    let runtime = match session::runtime() {
        Ok(runtime) => runtime,
        Err(e) => return report::failure(global, &Failure::usage("internal", e.0)),
    };
    runtime.block_on(async {
        let session = match session::open(global, &settings, choice).await {
            Ok(session) => session,
            Err(e) => return report::failure(global, &Failure::usage("not_configured", e.0)),
        };
        let (session, outcome) = call(session).await;
        let sandbox = session.sandbox;
        session.close().await;
        match outcome {
            Ok(mut answer) => {
                answer.sandbox = sandbox;
                report::answer(global, &answer)
            }
            Err(error) => {
                let mut failure = match billing {
                    Billing::Billable => Failure::from_error(&error),
                    Billing::NeverBilled => Failure::from_error(&error).of_unbilled_call(),
                };
                failure.sandbox = sandbox;
                report::failure(global, &failure)
            }
        }
    })
}
