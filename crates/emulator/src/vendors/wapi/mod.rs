//! wapi.cn, emulated: its paths, credentials, sandbox account, magic inputs and the one
//! switch of its own (which code a spent balance answers). Everything the shared server needs
//! from wapi goes through [`EmulatedVendor`].

mod answer;
pub(crate) mod config;
pub mod magic;

use self::answer::Api;
use self::config::{Settings, WapiExhaustion};
use crate::emulated::{EmulatedVendor, Reply, Route, Spec, VendorRequest, VendorSettings};
use crate::server::EmulatorHandle;
use serde_json::Value;
use std::sync::atomic::{AtomicU8, Ordering};

/// The name in the ledger and the control endpoints.
pub(crate) const NAME: &str = "wapi";

const MOBILE: u8 = 0;
const ID: u8 = 1;
const UNKNOWN: u8 = 2;

static SPEC: Spec = Spec {
    name: NAME,
    routes: &[
        Route {
            path: "/pyi/108/244",
            operation: Some("mobile_two_elements"),
            magic_parameter: Some("mobile"),
            tag: MOBILE,
        },
        Route {
            path: "/pyi/62/169",
            operation: Some("id_two_elements"),
            magic_parameter: Some("bank_id"),
            tag: ID,
        },
        // Any other `/pyi/{a}/{b}`: wapi answers 10009 (api does not exist); not counted.
        Route {
            path: "/pyi/{group}/{api}",
            operation: None,
            magic_parameter: None,
            tag: UNKNOWN,
        },
    ],
};

impl VendorSettings for Settings {
    fn start(&self) -> Box<dyn EmulatedVendor> {
        Box::new(Emulated {
            exhaustion: AtomicU8::new(encode(self.exhaustion)),
            settings: self.clone(),
        })
    }
}

/// The running wapi: its settings, and the exhaustion code, which can change at run time.
#[derive(Debug)]
pub(crate) struct Emulated {
    settings: Settings,
    exhaustion: AtomicU8,
}

fn encode(exhaustion: WapiExhaustion) -> u8 {
    match exhaustion {
        WapiExhaustion::Quota => 0,
        WapiExhaustion::Wallet => 1,
    }
}

impl Emulated {
    fn exhaustion(&self) -> WapiExhaustion {
        match self.exhaustion.load(Ordering::Relaxed) {
            1 => WapiExhaustion::Wallet,
            _ => WapiExhaustion::Quota,
        }
    }

    fn set_exhaustion(&self, exhaustion: WapiExhaustion) {
        self.exhaustion.store(encode(exhaustion), Ordering::Relaxed);
    }
}

impl EmulatedVendor for Emulated {
    fn spec(&self) -> &'static Spec {
        &SPEC
    }

    fn answer(&self, route: &Route, request: &VendorRequest<'_>) -> Reply {
        let api = match route.tag {
            MOBILE => Api::Mobile,
            ID => Api::Id,
            _ => Api::Unknown,
        };
        answer::answer(&self.settings, self.exhaustion(), api, request)
    }

    /// `"wapi_exhaustion": "quota" | "wallet"` on `POST /__emulator/balance`.
    fn control(&self, field: &str, value: &Value, apply: bool) -> Option<Result<(), String>> {
        if field != "wapi_exhaustion" {
            return None;
        }
        Some(
            serde_json::from_value::<WapiExhaustion>(value.clone())
                .map(|exhaustion| {
                    if apply {
                        self.set_exhaustion(exhaustion);
                    }
                })
                .map_err(|error| format!("wapi_exhaustion: {error}")),
        )
    }
}

impl EmulatorHandle {
    /// Chooses the wapi code for a spent balance (10018 or 10022).
    pub fn set_wapi_exhaustion(&self, exhaustion: WapiExhaustion) {
        if let Some(wapi) = self.state().vendor::<Emulated>() {
            wapi.set_exhaustion(exhaustion);
        }
    }
}
