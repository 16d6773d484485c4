//! QXT, emulated: its path, apikey, sandbox key and magic inputs. Everything the shared server
//! needs from QXT goes through [`EmulatedVendor`].

mod answer;
pub mod magic;

use crate::config::EmulatorConfig;
use crate::emulated::{EmulatedVendor, Reply, Route, Spec, VendorRequest, VendorSettings};
use std::fmt;

/// The name in the ledger and the control endpoints.
pub(crate) const NAME: &str = "qxt";

/// The documented sandbox key: what the emulator accepts when nothing else is configured.
pub(crate) mod sandbox {
    /// QXT apikey (32 characters: QXT answers code 1 for any other length).
    pub const APIKEY: &str = "sandbox-qxt-apikey-0123456789abc";
}

static SPEC: Spec = Spec {
    name: NAME,
    routes: &[Route {
        path: "/Phone_TwoElements",
        operation: Some("mobile_two_elements"),
        magic_parameter: Some("mobile"),
        tag: 0,
    }],
};

/// The QXT account the emulator accepts (`Debug` masks the key).
#[derive(Clone)]
pub(crate) struct Settings {
    apikey: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            apikey: sandbox::APIKEY.to_owned(),
        }
    }
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("qxt").field("apikey", &"***").finish()
    }
}

impl EmulatorConfig {
    /// QXT apikey accepted.
    pub fn qxt_apikey(self, apikey: impl Into<String>) -> Self {
        self.with_settings(|qxt: &mut Settings| qxt.apikey = apikey.into())
    }
}

impl VendorSettings for Settings {
    fn start(&self) -> Box<dyn EmulatedVendor> {
        Box::new(Emulated {
            settings: self.clone(),
        })
    }
}

/// The running QXT (nothing changes at run time but the shared balance).
#[derive(Debug)]
pub(crate) struct Emulated {
    settings: Settings,
}

impl EmulatedVendor for Emulated {
    fn spec(&self) -> &'static Spec {
        &SPEC
    }

    fn answer(&self, _route: &Route, request: &VendorRequest<'_>) -> Reply {
        answer::answer(&self.settings.apikey, request)
    }
}
