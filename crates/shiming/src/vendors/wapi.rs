//! wapi.cn in the facade: its secret, its URL secret, its answers' scrubbing and the details
//! the verdict store keeps.

use crate::codec::wapi::WapiConfig;

/// The account's secret.
pub(super) fn secret(config: &WapiConfig) -> &str {
    config.secret.expose()
}

#[cfg(any(feature = "async", feature = "blocking"))]
pub(super) use with_transports::*;

#[cfg(any(feature = "async", feature = "blocking"))]
mod with_transports {
    use super::super::{full, secrets_only};
    use crate::codec::Method;
    use crate::codec::redact::Redactor;
    use crate::codec::wapi::{AuthMode, IdDetails, MobileDetails, WapiConfig};

    /// What GET would put in URLs: in Hash mode the secret is the signature.
    pub(in crate::vendors) fn url_secret(config: &WapiConfig) -> Option<&'static str> {
        (config.method == Method::Get && config.auth == AuthMode::Hash)
            .then_some("the application secret (Hash mode sends it as `sign`)")
    }

    /// Scrubs a mobile check's details.
    pub(in crate::vendors) fn scrub_mobile(d: &mut MobileDetails, r: &Redactor) {
        secrets_only([&mut d.name, &mut d.mobile], r);
        full(
            [
                &mut d.carrier,
                &mut d.provider,
                &mut d.province,
                &mut d.city,
                &mut d.area_code,
                &mut d.id_prefix,
                &mut d.telephone_code,
                &mut d.status,
                &mut d.message,
            ],
            r,
        );
    }

    /// Scrubs an ID check's details.
    pub(in crate::vendors) fn scrub_id(d: &mut IdDetails, r: &Redactor) {
        secrets_only([&mut d.name, &mut d.id_number], r);
        full(
            [
                &mut d.area,
                &mut d.birthday,
                &mut d.sex,
                &mut d.status,
                &mut d.message,
            ],
            r,
        );
    }
}

#[cfg(feature = "store")]
pub(super) use with_store::*;

#[cfg(feature = "store")]
mod with_store {
    use crate::codec::wapi::{IdDetails, MobileDetails};

    /// What the store keeps of a mobile check: carrier and place.
    pub(in crate::vendors) fn kept_mobile(d: &MobileDetails) -> serde_json::Value {
        serde_json::json!({
            "carrier": d.carrier.as_deref().or(d.provider.as_deref()),
            "province": d.province,
            "city": d.city,
        })
    }

    /// What the store keeps of an ID check: the area.
    pub(in crate::vendors) fn kept_id(d: &IdDetails) -> serde_json::Value {
        serde_json::json!({ "area": d.area })
    }

    /// A remembered mobile check's details.
    pub(in crate::vendors) fn recalled_mobile(
        text: &dyn Fn(&str) -> Option<String>,
    ) -> MobileDetails {
        MobileDetails {
            carrier: text("carrier"),
            province: text("province"),
            city: text("city"),
            ..MobileDetails::default()
        }
    }

    /// A remembered ID check's details.
    pub(in crate::vendors) fn recalled_id(text: &dyn Fn(&str) -> Option<String>) -> IdDetails {
        IdDetails {
            area: text("area"),
            ..IdDetails::default()
        }
    }
}
