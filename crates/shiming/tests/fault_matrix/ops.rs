//! The layer the fault matrix strikes: every vendor operation the facade speaks (wapi in each
//! wire format), each one call away, with what the emulator's ledger calls it.

use crate::flavor::Flavor;
use crate::world::World;
use shiming::codec::wapi::WapiFormat;
use shiming::{Error, StatusAnswer, TransportSettings, Vendor, Verdict, VerifierConfig};
use shiming_emulator::{OperationLedger, directory};

/// One vendor operation, as a caller reaches it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    /// wapi `/pyi/108/244`, JSON answer.
    WapiMobileJson,
    /// wapi `/pyi/108/244`, XML answer.
    WapiMobileXml,
    /// wapi `/pyi/108/244`, JSONP answer.
    WapiMobileJsonp,
    /// wapi `/pyi/62/169`, JSON answer.
    WapiId,
    /// QXT `/Phone_TwoElements`.
    QxtMobile,
    /// ihuyi `Submit.json`.
    IhuyiStatus,
    /// ihuyi `GetNum.json` (never billed).
    IhuyiBalance,
}

impl Op {
    pub(crate) const ALL: [Op; 7] = [
        Op::WapiMobileJson,
        Op::WapiMobileXml,
        Op::WapiMobileJsonp,
        Op::WapiId,
        Op::QxtMobile,
        Op::IhuyiStatus,
        Op::IhuyiBalance,
    ];

    pub(crate) fn vendor(self) -> Vendor {
        match self {
            Op::WapiMobileJson | Op::WapiMobileXml | Op::WapiMobileJsonp | Op::WapiId => {
                Vendor::Wapi
            }
            Op::QxtMobile => Vendor::Qxt,
            Op::IhuyiStatus | Op::IhuyiBalance => Vendor::Ihuyi,
        }
    }

    /// The operation's name in the emulator's ledger.
    pub(crate) fn ledger_name(self) -> &'static str {
        match self {
            Op::WapiMobileJson | Op::WapiMobileXml | Op::WapiMobileJsonp | Op::QxtMobile => {
                "mobile_two_elements"
            }
            Op::WapiId => "id_two_elements",
            Op::IhuyiStatus => "mobile_status",
            Op::IhuyiBalance => "balance",
        }
    }

    /// Whether a successful answer of this operation costs a call (a balance query never does).
    pub(crate) fn billed_when_answered(self) -> bool {
        self != Op::IhuyiBalance
    }

    /// Whether the vendor checks the request's time (wapi `time`, ihuyi dynamic password).
    pub(crate) fn has_clock(self) -> bool {
        self.vendor() != Vendor::Qxt
    }

    /// Whether the vendor has a rate limit on repeated checks (only wapi, see docs/emulator.md).
    pub(crate) fn rate_limited(self) -> bool {
        self.vendor() == Vendor::Wapi
    }

    /// The sandbox accounts at `world`, with this operation's wire format and `options`.
    pub(crate) fn config(self, world: &World, options: TransportSettings) -> VerifierConfig {
        let mut config = world.config().transport(options);
        let format = match self {
            Op::WapiMobileXml => Some(WapiFormat::Xml),
            Op::WapiMobileJsonp => Some(WapiFormat::jsonp("cb")),
            _ => None,
        };
        if let Some(format) = format {
            config.wapi = config.wapi.map(|wapi| wapi.with_format(format));
        }
        config
    }

    /// Runs the operation once for a person the emulator's table answers with a match.
    pub(crate) fn call<F: Flavor>(self, verifier: &F) -> Result<Outcome, Error> {
        let mobile = directory::MOBILE_MATCH;
        let id = directory::ID_MATCH;
        match self {
            Op::WapiMobileJson | Op::WapiMobileXml | Op::WapiMobileJsonp | Op::QxtMobile => {
                let checked =
                    verifier.mobile_two_elements_with(self.vendor(), mobile.name, mobile.number)?;
                assert_eq!(checked.answer.verdict, Verdict::Match, "{self:?}");
                Ok(checked.map(|_| ()))
            }
            Op::WapiId => {
                let checked = verifier.id_two_elements(id.name, id.number)?;
                assert_eq!(checked.answer.verdict, Verdict::Match, "{self:?}");
                Ok(checked.map(|_| ()))
            }
            Op::IhuyiStatus => {
                let checked = verifier.mobile_status(mobile.number)?;
                assert!(
                    matches!(checked.answer, StatusAnswer::Found(_)),
                    "{self:?}: {:?}",
                    checked.answer
                );
                Ok(checked.map(|_| ()))
            }
            Op::IhuyiBalance => Ok(verifier.balance()?.map(|_| ())),
        }
    }
}

/// What a successful call came to: its envelope, the answer itself left out (each operation
/// answers with its own type; [`Op::call`] checks it).
pub(crate) type Outcome = shiming::Checked<()>;

/// The ledger of `op`'s operation, as the emulator counted it since its last reset.
pub(crate) fn ledger(world: &World, op: Op) -> OperationLedger {
    world.ledger(op.vendor(), op.ledger_name())
}
