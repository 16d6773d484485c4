//! Every vendor the command knows, registered in one place.
//!
//! Each vendor's module holds what the command knows about it: its table in the config file
//! and its `SHIMING_*` variables, which settings a call needs, its sandbox account, and how
//! its settings become the facade's typed config (parsed once, here: the facade never sees
//! the strings). Which vendor offers which check, at what list price (the `[prices]` table's
//! defaults), is the facade's registry ([`shiming::vendors`], [`shiming::Prices`]), re-exported
//! here. The rest of the command asks this registry — iterating [`ALL`], calling a function —
//! instead of matching on vendors, so a new vendor is a module here and a line in each
//! function below.

mod ihuyi;
mod qxt;
mod wapi;

pub(crate) use ihuyi::IhuyiSettings;
pub(crate) use qxt::QxtSettings;
#[cfg(test)]
pub(crate) use wapi::WapiAuth;
pub(crate) use wapi::WapiSettings;

use crate::commands::secret_source::{SecretSource, Secrets};
use crate::global::GlobalArgs;
use crate::setting::ConfigError;
use serde::Deserialize;
pub(crate) use shiming::Prices;
use shiming::VerifierConfig;
use shiming::codec::Vendor;
pub(crate) use shiming::vendors::{named, offering, offers};
use shiming_emulator::EmulatorConfig;
use shiming_store::Check;
use std::process::ExitCode;

/// The vendors the command knows, in the order messages list them (the codec's order).
pub(crate) const ALL: [Vendor; 3] = Vendor::ALL;

/// One setting a call needs: how to set it (variable and file key), and whether it is set.
type Required = (&'static str, bool);

/// A variable source: `None` for unset (or blank).
type Var<'a> = dyn Fn(&str) -> Option<String> + 'a;

/// The vendors' names as prose: `wapi, qxt and ihuyi`.
pub(crate) fn names(conjunction: &str) -> String {
    shiming::vendors::prose(&ALL, conjunction)
}

/// Every `SHIMING_*` variable the command reads, vendor by vendor.
pub(crate) fn variables() -> Vec<&'static str> {
    ALL.into_iter()
        .flat_map(|vendor| match vendor {
            Vendor::Wapi => wapi::VARIABLES,
            Vendor::Qxt => qxt::VARIABLES,
            Vendor::Ihuyi => ihuyi::VARIABLES,
            _ => &[],
        })
        .copied()
        .collect()
}

/// The variables that supply `vendor`'s credentials, for messages.
pub(crate) fn credential_variables(vendor: Vendor) -> &'static str {
    match vendor {
        Vendor::Wapi => wapi::CREDENTIALS,
        Vendor::Qxt => qxt::CREDENTIALS,
        Vendor::Ihuyi => ihuyi::CREDENTIALS,
        _ => "its SHIMING_* variables",
    }
}

/// Which vendors a command wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Choice {
    /// Exactly this vendor.
    One(Vendor),
    /// The vendors offering the mobile two-element check, in failover order, among those
    /// with credentials (the mobile check's `--vendor auto`).
    MobileAuto,
}

impl Choice {
    /// The vendors wanted, in failover order.
    pub(crate) fn vendors(self) -> Vec<Vendor> {
        match self {
            Choice::One(vendor) => vec![vendor],
            Choice::MobileAuto => offering(Check::MobileTwoElements),
        }
    }

    /// `vendor` alone, when it offers `check`.
    fn one(vendor: Vendor, check: Check) -> Option<Choice> {
        offers(vendor, check).then_some(Choice::One(vendor))
    }
}

/// `--vendor` of the mobile check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum MobileVendor {
    /// wapi.cn.
    Wapi,
    /// QXT (企讯通).
    Qxt,
    /// wapi then QXT (failover), among those with credentials.
    Auto,
}

impl MobileVendor {
    /// The session choice.
    pub(crate) fn choice(self) -> Choice {
        match self {
            MobileVendor::Wapi => Choice::One(Vendor::Wapi),
            MobileVendor::Qxt => Choice::One(Vendor::Qxt),
            MobileVendor::Auto => Choice::MobileAuto,
        }
    }
}

/// `--vendor` of the ID check (wapi only, for now).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum IdVendor {
    /// wapi.cn.
    #[default]
    Wapi,
}

impl IdVendor {
    /// The session choice.
    pub(crate) fn choice(self) -> Choice {
        match self {
            IdVendor::Wapi => Choice::One(Vendor::Wapi),
        }
    }
}

/// `--vendor` of the status and balance commands (ihuyi only, for now).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum StatusVendor {
    /// ihuyi (互亿无线).
    #[default]
    Ihuyi,
}

impl StatusVendor {
    /// The session choice.
    pub(crate) fn choice(self) -> Choice {
        match self {
            StatusVendor::Ihuyi => Choice::One(Vendor::Ihuyi),
        }
    }
}

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

impl BatchVendor {
    /// The vendors a batch of `check` goes to; `None` when this vendor does not offer it.
    pub(crate) fn choice(self, check: Check) -> Option<Choice> {
        match self {
            BatchVendor::Auto if check == Check::MobileTwoElements => Some(Choice::MobileAuto),
            BatchVendor::Auto => offering(check).first().map(|vendor| Choice::One(*vendor)),
            BatchVendor::Wapi => Choice::one(Vendor::Wapi, check),
            BatchVendor::Qxt => Choice::one(Vendor::Qxt, check),
            BatchVendor::Ihuyi => Choice::one(Vendor::Ihuyi, check),
        }
    }
}

/// The accounts `shiming serve` accepts: flags or the clients' variables, else the sandbox's.
#[derive(Debug, clap::Args)]
pub(crate) struct ServeAccounts {
    #[command(flatten)]
    wapi: wapi::WapiServeArgs,
    #[command(flatten)]
    qxt: qxt::QxtServeArgs,
    #[command(flatten)]
    ihuyi: ihuyi::IhuyiServeArgs,
}

impl ServeAccounts {
    /// Adds every account to `config`; also returns the credentials that fell back to the
    /// sandbox (to list on stderr).
    pub(crate) fn configure(
        self,
        config: EmulatorConfig,
    ) -> Result<(EmulatorConfig, Vec<Credential>), String> {
        let mut secrets = Secrets::default();
        let mut credentials = Vec::new();
        let config = self
            .wapi
            .configure(config, &mut secrets, &mut credentials)?;
        let config = self.qxt.configure(config, &mut secrets, &mut credentials)?;
        let config = self
            .ihuyi
            .configure(config, &mut secrets, &mut credentials)?;
        credentials.retain(|credential| credential.from_sandbox);
        Ok((config, credentials))
    }
}

/// A credential `shiming serve` accepts: configured (never printed) or the sandbox value
/// (listed on stderr).
pub(crate) struct Credential {
    /// The variable that would configure it.
    pub(crate) variable: &'static str,
    /// The value.
    pub(crate) value: String,
    /// Whether the value is the sandbox's.
    pub(crate) from_sandbox: bool,
}

impl Credential {
    /// `given`, or the sandbox value when it is unset or empty (an empty variable counts as
    /// unset, as it does for the clients).
    pub(crate) fn new(variable: &'static str, given: Option<String>, sandbox: &str) -> Credential {
        match given.filter(|value| !value.is_empty()) {
            Some(value) => Credential {
                variable,
                value,
                from_sandbox: false,
            },
            None => Credential {
                variable,
                value: sandbox.to_owned(),
                from_sandbox: true,
            },
        }
    }

    /// A secret from its flag's source (`env:NAME` or `-`) or its variable, else the
    /// sandbox value.
    pub(crate) fn secret(
        secrets: &mut Secrets,
        flag: &str,
        source: Option<&SecretSource>,
        variable: &'static str,
        sandbox: &str,
    ) -> Result<Credential, String> {
        let given = secrets.resolve(flag, source, variable)?;
        Ok(Credential::new(variable, given, sandbox))
    }
}

/// `shiming sign <vendor>`.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum SignCommand {
    /// wapi MD5 or Hash signature over KEY=VALUE parameters (all request parameters: appid,
    /// bank_name, mobile, format, time, …; a sign=… you sent is compared, not signed).
    Wapi(wapi::WapiSignArgs),
    /// ihuyi dynamic password (Submit with --mobile, GetNum without).
    Ihuyi(ihuyi::IhuyiSignArgs),
}

impl SignCommand {
    /// Runs the subcommand.
    pub(crate) fn run(self, global: &GlobalArgs) -> ExitCode {
        match self {
            SignCommand::Wapi(args) => wapi::sign(global, args),
            SignCommand::Ihuyi(args) => ihuyi::sign(global, args),
        }
    }
}

/// Everything the config file may hold: one table per vendor, and `[prices]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileConfig {
    /// `[wapi]`.
    #[serde(default)]
    pub(crate) wapi: WapiSettings,
    /// `[qxt]`.
    #[serde(default)]
    pub(crate) qxt: QxtSettings,
    /// `[ihuyi]`.
    #[serde(default)]
    pub(crate) ihuyi: IhuyiSettings,
    /// `[prices]`.
    #[serde(default)]
    pub(crate) prices: Prices,
}

impl FileConfig {
    /// Applies the variables over the file's values, checking every vendor's.
    pub(crate) fn apply_env(&mut self, var: &Var<'_>) -> Result<(), ConfigError> {
        self.wapi.apply_env(var)?;
        self.qxt.apply_env(var)?;
        self.ihuyi.apply_env(var)
    }

    /// Whether any of `vendor`'s settings is given.
    pub(crate) fn any_set(&self, vendor: Vendor) -> bool {
        match vendor {
            Vendor::Wapi => self.wapi.any_set(),
            Vendor::Qxt => self.qxt.any_set(),
            Vendor::Ihuyi => self.ihuyi.any_set(),
            _ => false,
        }
    }

    /// The settings a call to `vendor` needs, and whether each is set; `endpoint_flag` says
    /// `--endpoint` supplies the endpoint.
    pub(crate) fn required(&self, vendor: Vendor, endpoint_flag: bool) -> Vec<Required> {
        match vendor {
            Vendor::Wapi => self.wapi.required(endpoint_flag),
            Vendor::Qxt => self.qxt.required(),
            Vendor::Ihuyi => self.ihuyi.required(),
            _ => Vec::new(),
        }
    }
}

/// The facade's config for `vendors`: their accounts (with `--endpoint` over their own
/// endpoints), or with `sandbox_url` their sandbox accounts there. Other vendors stay
/// unconfigured, so a command never touches a vendor it was not asked to use.
pub(crate) fn verifier_config(
    file: &FileConfig,
    endpoint: Option<&str>,
    vendors: &[Vendor],
    sandbox_url: Option<&str>,
) -> Result<VerifierConfig, String> {
    let mut config = VerifierConfig::new();
    for vendor in vendors {
        config = match (vendor, sandbox_url) {
            (Vendor::Wapi, None) => config.wapi(file.wapi.config(endpoint)?),
            (Vendor::Wapi, Some(url)) => config.wapi(file.wapi.sandbox(url)?),
            (Vendor::Qxt, None) => config.qxt(file.qxt.config(endpoint)?),
            (Vendor::Qxt, Some(url)) => config.qxt(QxtSettings::sandbox(url)?),
            (Vendor::Ihuyi, None) => config.ihuyi(file.ihuyi.config(endpoint)?),
            (Vendor::Ihuyi, Some(url)) => config.ihuyi(IhuyiSettings::sandbox(url)?),
            _ => config,
        };
    }
    Ok(config.mobile_vendors(
        vendors
            .iter()
            .copied()
            .filter(|vendor| offers(*vendor, Check::MobileTwoElements)),
    ))
}

/// Replaces `slot` when `value` is set.
fn override_with<T>(slot: &mut Option<T>, value: Option<T>) {
    if value.is_some() {
        *slot = value;
    }
}
