//! Which vendor settings exist, so the command never mixes a real account with the sandbox.
//!
//! The rule: the built-in sandbox starts only when no vendor setting exists at all (no
//! `SHIMING_*` vendor variable, no vendor table in the config file, no `--endpoint`), or when
//! `--sandbox` asks for it. A vendor with some settings but not all is an error that names
//! what is missing, before any request: a misspelt variable must never turn a paid run into
//! made-up answers.

use super::{ConfigError, Settings};
use crate::vendors::ALL as VENDORS;
use shiming::codec::Vendor;

/// Variables of the benchmarks (`cargo bench -p shiming-cli`), not of the command.
const BENCH_PREFIX: &str = "SHIMING_BENCH_";

/// How much of a vendor's account is configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum VendorState {
    /// Nothing at all.
    Unset,
    /// Some settings, but these required ones are missing (variable names, with the file key).
    Partial(Vec<&'static str>),
    /// Everything a call needs.
    Complete,
}

/// Refuses any `SHIMING_*` variable the command does not read, naming the nearest known one:
/// `SHIMING_WAPI_SECRETS=…` would otherwise leave the secret unset without a word.
pub(crate) fn check_variable_names<'a>(
    names: impl IntoIterator<Item = &'a str>,
) -> Result<(), ConfigError> {
    let known = crate::vendors::variables();
    let mut unknown: Vec<&str> = names
        .into_iter()
        .filter(|n| n.starts_with("SHIMING_") && !n.starts_with(BENCH_PREFIX))
        .filter(|n| !known.contains(n))
        .collect();
    unknown.sort_unstable();
    let Some(first) = unknown.first() else {
        return Ok(());
    };
    let nearest = known
        .iter()
        .min_by_key(|known| strsim::levenshtein(first, known))
        .copied()
        .unwrap_or_default();
    let others = if unknown.len() > 1 {
        format!(
            " (and {} more: {})",
            unknown.len() - 1,
            unknown[1..].join(", ")
        )
    } else {
        String::new()
    };
    Err(ConfigError(format!(
        "unknown variable {first}{others}: did you mean {nearest}? shiming reads only {}",
        known.join(", ")
    )))
}

impl Settings {
    /// How much of `vendor`'s account the file and the variables configure (`--endpoint` is
    /// not counted here: it applies to whichever vendor a command uses).
    pub(crate) fn vendor_state(&self, vendor: Vendor) -> VendorState {
        let present = self.sections.contains(&vendor) || self.accounts.any_set(vendor);
        let required = self
            .accounts
            .required(vendor, self.endpoint_override.is_some());
        if !present {
            return VendorState::Unset;
        }
        let missing: Vec<&'static str> = required
            .into_iter()
            .filter(|(_, set)| !set)
            .map(|(name, _)| name)
            .collect();
        if missing.is_empty() {
            VendorState::Complete
        } else {
            VendorState::Partial(missing)
        }
    }

    /// True when no vendor setting exists anywhere and no `--endpoint` was given: the only
    /// case in which the sandbox may start on its own.
    pub(crate) fn nothing_configured(&self) -> bool {
        !self.endpoint_flag
            && VENDORS
                .iter()
                .all(|v| self.vendor_state(*v) == VendorState::Unset)
    }

    /// Every partly configured vendor, as one error naming what each is missing.
    pub(crate) fn check_no_partial_vendor(&self) -> Result<(), ConfigError> {
        let problems: Vec<String> = VENDORS
            .iter()
            .filter_map(|vendor| match self.vendor_state(*vendor) {
                VendorState::Partial(missing) => Some(format!(
                    "{} is partly configured{}: missing {}",
                    vendor.as_str(),
                    self.source_hint(),
                    missing.join(", ")
                )),
                _ => None,
            })
            .collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ConfigError(format!(
                "{}; nothing was sent (set the missing settings, or remove the vendor's \
                 settings to leave it unused)",
                problems.join("; ")
            )))
        }
    }

    fn source_hint(&self) -> String {
        match &self.source_file {
            Some(file) => format!(" (variables and {})", file.display()),
            None => " (variables)".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{FileConfig, resolve};

    fn settings(file: &str, env: &[(&str, &str)]) -> Settings {
        let file: FileConfig = toml::from_str(file).expect("toml");
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        resolve(file, &|k: &str| {
            env.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
        })
        .expect("resolve")
    }

    #[test]
    fn a_misspelt_variable_names_the_nearest_known_one() {
        let err = check_variable_names(["PATH", "SHIMING_WAPI_SECRETS"]).unwrap_err();
        assert!(err.0.contains("SHIMING_WAPI_SECRETS"), "{err}");
        assert!(err.0.contains("did you mean SHIMING_WAPI_SECRET?"), "{err}");
        assert!(check_variable_names(["SHIMING_QXT_APIKEY", "SHIMING_BENCH_ROWS"]).is_ok());
    }

    #[test]
    fn only_nothing_at_all_is_unconfigured() {
        assert!(settings("", &[]).nothing_configured());
        assert!(settings("[prices]\nqxt_mobile = 0.3\n", &[]).nothing_configured());
        let appid_only = settings("", &[("SHIMING_WAPI_APPID", "1")]);
        assert!(!appid_only.nothing_configured());
        let err = appid_only.check_no_partial_vendor().unwrap_err();
        assert!(err.0.contains("SHIMING_WAPI_SECRET"), "{err}");
        assert!(err.0.contains("SHIMING_WAPI_ENDPOINT"), "{err}");
        let mut empty_table = settings("[ihuyi]\n", &[]);
        empty_table.sections = crate::config::vendor_tables("[ihuyi]\n");
        assert!(!empty_table.nothing_configured());
        assert!(matches!(
            empty_table.vendor_state(Vendor::Ihuyi),
            VendorState::Partial(_)
        ));
        let account_only = settings("", &[("SHIMING_IHUYI_ACCOUNT", "a")]);
        let err = account_only.check_no_partial_vendor().unwrap_err();
        assert!(err.0.contains("SHIMING_IHUYI_APIKEY"), "{err}");
        let qxt = settings("", &[("SHIMING_QXT_APIKEY", "k")]);
        assert_eq!(qxt.vendor_state(Vendor::Qxt), VendorState::Complete);
        assert!(qxt.check_no_partial_vendor().is_ok());
    }
}
