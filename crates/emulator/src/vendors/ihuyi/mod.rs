//! ihuyi, emulated: its two paths, account and key, sandbox account, magic inputs and its
//! operator numbering. Everything the shared server needs from ihuyi goes through
//! [`EmulatedVendor`].

mod answer;
pub mod magic;

use crate::config::EmulatorConfig;
use crate::emulated::{EmulatedVendor, Reply, Route, Spec, VendorRequest, VendorSettings};
use std::fmt;
use std::sync::atomic::AtomicU64;

/// The name in the ledger and the control endpoints.
pub(crate) const NAME: &str = "ihuyi";

/// The documented sandbox account: what the emulator accepts when nothing else is configured.
pub(crate) mod sandbox {
    /// ihuyi APIID (`account`).
    pub const ACCOUNT: &str = "sandbox";
    /// ihuyi APIKEY (the static password, and the key of the dynamic one).
    pub const APIKEY: &str = "sandbox-ihuyi-apikey-0123456789a";
}

const SUBMIT: u8 = 0;
const GET_NUM: u8 = 1;

static SPEC: Spec = Spec {
    name: NAME,
    routes: &[
        Route {
            path: "/idcard/operzwsc/Submit.json",
            operation: Some("mobile_status"),
            magic_parameter: Some("mobile"),
            tag: SUBMIT,
        },
        Route {
            path: "/idcard/operzwsc/GetNum.json",
            operation: Some("balance"),
            magic_parameter: None,
            tag: GET_NUM,
        },
    ],
};

/// The ihuyi account the emulator accepts (`Debug` masks the key).
#[derive(Clone)]
pub(crate) struct Settings {
    account: String,
    apikey: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            account: sandbox::ACCOUNT.to_owned(),
            apikey: sandbox::APIKEY.to_owned(),
        }
    }
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ihuyi")
            .field("account", &self.account)
            .field("apikey", &"***")
            .finish()
    }
}

impl EmulatorConfig {
    /// ihuyi APIID accepted.
    pub fn ihuyi_account(self, account: impl Into<String>) -> Self {
        self.with_settings(|ihuyi: &mut Settings| ihuyi.account = account.into())
    }

    /// ihuyi APIKEY accepted.
    pub fn ihuyi_apikey(self, apikey: impl Into<String>) -> Self {
        self.with_settings(|ihuyi: &mut Settings| ihuyi.apikey = apikey.into())
    }
}

impl VendorSettings for Settings {
    fn start(&self) -> Box<dyn EmulatedVendor> {
        Box::new(Emulated {
            settings: self.clone(),
            serials: AtomicU64::new(0),
        })
    }
}

/// The running ihuyi: its settings and the counter behind `Submit`'s serial numbers.
#[derive(Debug)]
pub(crate) struct Emulated {
    settings: Settings,
    serials: AtomicU64,
}

impl EmulatedVendor for Emulated {
    fn spec(&self) -> &'static Spec {
        &SPEC
    }

    fn answer(&self, route: &Route, request: &VendorRequest<'_>) -> Reply {
        let credentials = answer::Credentials {
            account: &self.settings.account,
            apikey: &self.settings.apikey,
        };
        match route.tag {
            GET_NUM => answer::get_num(&credentials, request),
            _ => answer::submit(&credentials, &self.serials, request),
        }
    }
}
