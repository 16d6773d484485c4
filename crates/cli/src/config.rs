//! Where the command's settings come from: flags beat environment variables beat the TOML file.
//!
//! The file (`--config FILE`, default `<user config dir>/shiming/config.toml`) has one table
//! per vendor with the same settings as the `SHIMING_*` variables, plus a `[prices]` table for
//! batch cost estimates:
//!
//! ```toml
//! [wapi]
//! appid = "1"
//! secret = "…"
//! auth = "md5"          # md5 | hash
//! format = "json"       # json | xml | jsonp | jsonp:<callback>
//! endpoint = "https://xxxx.api.storeapi.net"
//!
//! [qxt]
//! apikey = "…"
//! endpoint = "https://ps.szqxt.com"
//!
//! [ihuyi]
//! account = "…"
//! apikey = "…"
//! endpoint = "https://api.ihuyi.com"
//!
//! [prices]              # yuan per billed call
//! wapi_mobile = 0.6
//! wapi_id = 0.16
//! qxt_mobile = 0.3
//! ihuyi_mobile_status = 0.1
//! ```
//!
//! Nothing here talks to the network or builds a client: this module only resolves strings,
//! so every rule (precedence, validation, which vendors have credentials) is testable alone.

mod parse_error;
mod presence;

pub(crate) use crate::setting::{ConfigError, check_endpoint};
pub(crate) use crate::vendors::{FileConfig, Prices};
pub(crate) use presence::check_variable_names;

use std::path::{Path, PathBuf};

/// The resolved settings of every vendor.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Settings {
    /// Every vendor's account, and the prices for cost estimates.
    pub(crate) accounts: FileConfig,
    /// The file the settings were read from, if any (for messages).
    pub(crate) source_file: Option<PathBuf>,
    /// Vendor tables present in the file, even empty ones: a `[wapi]` table is a vendor
    /// setting (the sandbox never starts beside it).
    pub(crate) sections: Vec<shiming::codec::Vendor>,
    /// `--endpoint` was given: applied to the vendors a command uses, and a setting too.
    pub(crate) endpoint_flag: bool,
    /// The `--endpoint` URL, which beats every vendor's own endpoint.
    pub(crate) endpoint_override: Option<String>,
}

impl Settings {
    /// Reads the file (explicit or default), then the environment, then applies `endpoint`
    /// (the `--endpoint` flag) to every vendor.
    pub(crate) fn load(
        config: Option<&Path>,
        endpoint_flag: Option<&str>,
    ) -> Result<Settings, ConfigError> {
        check_variable_names(
            std::env::vars_os()
                .filter_map(|(name, _)| name.into_string().ok())
                .collect::<Vec<_>>()
                .iter()
                .map(String::as_str),
        )?;
        let (file, sections, source_file) = match config {
            Some(path) => {
                let (file, sections) = read_file(path)?;
                (file, sections, Some(path.to_path_buf()))
            }
            None => match default_config_path() {
                Some(path) if path.is_file() => {
                    let (file, sections) = read_file(&path)?;
                    (file, sections, Some(path))
                }
                _ => (FileConfig::default(), Vec::new(), None),
            },
        };
        let env = |key: &str| std::env::var(key).ok();
        let mut settings = resolve(file, &env)?;
        settings.source_file = source_file;
        settings.sections = sections;
        if let Some(url) = endpoint_flag {
            check_endpoint("--endpoint", url)?;
            settings.endpoint_flag = true;
            settings.endpoint_override = Some(url.to_string());
        }
        Ok(settings)
    }

    /// True when the vendor's credentials are all present (with `--endpoint`, wapi needs no
    /// endpoint of its own).
    pub(crate) fn has_credentials(&self, vendor: shiming::codec::Vendor) -> bool {
        let required = self
            .accounts
            .required(vendor, self.endpoint_override.is_some());
        !required.is_empty() && required.iter().all(|(_, set)| *set)
    }

    /// The facade's config for `vendors` ([`crate::vendors::verifier_config`]), with
    /// `--endpoint` over their own endpoints.
    pub(crate) fn verifier_config(
        &self,
        vendors: &[shiming::codec::Vendor],
        sandbox_url: Option<&str>,
    ) -> Result<shiming::VerifierConfig, String> {
        crate::vendors::verifier_config(
            &self.accounts,
            self.endpoint_override.as_deref(),
            vendors,
            sandbox_url,
        )
    }

    /// The variables that would supply the vendor's credentials, for error messages.
    pub(crate) fn credential_variables(vendor: shiming::codec::Vendor) -> &'static str {
        crate::vendors::credential_variables(vendor)
    }
}

/// Applies the environment over the file. `env` is injected so tests need not touch the
/// process environment.
pub(crate) fn resolve(
    file: FileConfig,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Settings, ConfigError> {
    // An empty variable counts as unset: `SHIMING_WAPI_SECRET= shiming …` is a common way to
    // blank a value in scripts, and an empty secret can never be right.
    let var = |key: &str| env(key).filter(|v| !v.trim().is_empty());
    let mut accounts = file;
    accounts.apply_env(&var)?;
    Ok(Settings {
        accounts,
        source_file: None,
        sections: Vec::new(),
        endpoint_flag: false,
        endpoint_override: None,
    })
}

/// The file's settings and the vendor tables it has (even empty ones).
fn read_file(path: &Path) -> Result<(FileConfig, Vec<shiming::codec::Vendor>), ConfigError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigError(format!("cannot read config file {}: {e}", path.display())))?;
    warn_if_readable_by_others(path);
    // Never `{e}`: toml's Display quotes the offending line, which may hold a secret.
    let file: FileConfig =
        toml::from_str(&text).map_err(|e| ConfigError(parse_error::describe(path, &text, &e)))?;
    let sections = vendor_tables(&text);
    Ok((file, sections))
}

/// Which vendor tables a config file has, empty ones included (serde's defaults hide them).
pub(crate) fn vendor_tables(text: &str) -> Vec<shiming::codec::Vendor> {
    let Ok(table) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    crate::vendors::ALL
        .into_iter()
        .filter(|v| table.contains_key(v.as_str()))
        .collect()
}

/// The file holds secrets; like ssh, say so when others can read it (but go on).
fn warn_if_readable_by_others(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path)
            && meta.permissions().mode() & 0o077 != 0
        {
            tracing::warn!(
                file = %path.display(),
                "config file is readable by other users; it holds secrets (chmod 600 it)"
            );
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// `<user config dir>/shiming/config.toml`: `$XDG_CONFIG_HOME` or `~/.config` on Unix,
/// `~/Library/Application Support` on macOS, `%APPDATA%` on Windows.
pub(crate) fn default_config_path() -> Option<PathBuf> {
    let base = if cfg!(windows) {
        std::env::var_os("APPDATA").map(PathBuf::from)
    } else if cfg!(target_os = "macos") {
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join("Library/Application Support"))
    } else {
        std::env::var_os("XDG_CONFIG_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
    }?;
    Some(base.join("shiming").join("config.toml"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::setting::Hidden;
    use shiming::{Check, Vendor};
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn variables_beat_the_file() {
        let file: FileConfig = toml::from_str(
            r#"
            [wapi]
            appid = "from-file"
            secret = "file-secret"
            endpoint = "https://file.example"
            [qxt]
            apikey = "qk"
            "#,
        )
        .unwrap();
        let env = env_of(&[
            ("SHIMING_WAPI_APPID", "from-env"),
            ("SHIMING_WAPI_AUTH", "HASH"),
            ("SHIMING_WAPI_SECRET", ""),
        ]);
        let s = resolve(file, &env).unwrap();
        assert_eq!(s.accounts.wapi.appid.as_deref(), Some("from-env"));
        assert_eq!(
            s.accounts.wapi.secret.as_ref().map(Hidden::expose),
            Some("file-secret")
        );
        assert_eq!(s.accounts.wapi.auth, Some(crate::vendors::WapiAuth::Hash));
        assert_eq!(
            s.accounts.wapi.endpoint.as_deref(),
            Some("https://file.example")
        );
        assert!(s.has_credentials(shiming::codec::Vendor::Wapi));
        assert!(s.has_credentials(shiming::codec::Vendor::Qxt));
        assert!(!s.has_credentials(shiming::codec::Vendor::Ihuyi));
    }

    #[test]
    fn bad_values_name_their_source() {
        let err = resolve(
            FileConfig::default(),
            &env_of(&[("SHIMING_WAPI_FORMAT", "yaml")]),
        )
        .unwrap_err();
        assert!(err.0.contains("SHIMING_WAPI_FORMAT"), "{err}");
        let err = resolve(
            FileConfig::default(),
            &env_of(&[("SHIMING_IHUYI_ENDPOINT", "api")]),
        )
        .unwrap_err();
        assert!(err.0.contains("ihuyi endpoint"), "{err}");
        let typo: Result<FileConfig, _> = toml::from_str("[wapi]\nsecert = \"x\"\n");
        assert!(typo.unwrap_err().to_string().contains("secert"));
    }

    #[test]
    fn secrets_never_show_in_debug() {
        let file: FileConfig =
            toml::from_str("[ihuyi]\naccount=\"a\"\napikey=\"k3y-value\"\n").unwrap();
        let s = resolve(file, &env_of(&[])).unwrap();
        assert!(!format!("{s:?}").contains("k3y-value"));
    }

    #[test]
    fn the_example_template_parses() {
        let template = include_str!("../../../examples/shiming.toml");
        let file: FileConfig = toml::from_str(template).unwrap();
        assert_eq!(
            file.prices.get(Vendor::Wapi, Check::IdTwoElements),
            Some(0.16)
        );
    }

    #[test]
    fn prices_default_from_the_documents_and_can_be_overridden() {
        let file: FileConfig = toml::from_str("[prices]\nqxt_mobile = 0.3\n").unwrap();
        let price = |vendor, check| file.prices.get(vendor, check);
        assert_eq!(price(Vendor::Qxt, Check::MobileTwoElements), Some(0.3));
        assert_eq!(price(Vendor::Wapi, Check::MobileTwoElements), Some(0.6));
        assert_eq!(price(Vendor::Ihuyi, Check::MobileStatus), None);
        for (text, named) in [
            ("[prices]\nwapj_mobile = 0.4\n", "wapj_mobile"),
            ("[prices]\nwapi_mobile = -1\n", "wapi_mobile"),
        ] {
            let refused = toml::from_str::<FileConfig>(text).unwrap_err().to_string();
            assert!(refused.contains(named), "{refused}");
        }
    }
}
