//! Sans-IO wire codec for the real-name vendors: request building, response decoding
//! (json, xml, jsonp) and the vendor code taxonomy.
//!
//! Nothing here opens a socket or reads the clock; the edge types are
//! `http::Request<Vec<u8>>` and `http::Response<Vec<u8>>`.
//!
//! Every vendor call is an [`Operation`]: a value holding the caller's input (name, mobile, …)
//! that can [`prepare`](Operation::prepare) a request from credentials and the current time and
//! [`decode`](Operation::decode) the vendor's response into a [`Reply`].
//!
//! ```
//! use shiming_codec::{Operation, Outcome, Verdict, UnixTime, Secret};
//! use shiming_codec::wapi::{MobileTwoElements, WapiConfig};
//!
//! let config = WapiConfig::new("https://demo.api.storeapi.net", "1", Secret::new("s3cret"))?;
//! let check = MobileTwoElements::new("张三", "18688888888");
//! let request = check.prepare(&config, UnixTime(1_700_000_000))?;
//! assert_eq!(request.method(), http::Method::POST);
//!
//! // … send it with any HTTP client, then:
//! let body = br#"{"codeid":10000,"message":"ok","retdata":{"bank_status":"02"},"time":"1700000001"}"#;
//! let reply = check.decode(&http::Response::new(body.to_vec()))?;
//! assert!(reply.billed);
//! assert!(matches!(reply.outcome, Outcome::Answered(ref a) if a.verdict == Verdict::Mismatch));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod answer;
mod body;
mod endpoint;
mod error;
mod excerpt;
mod form;
pub mod ihuyi;
mod json;
mod lenient;
pub mod mask;
mod operation;
pub mod qxt;
pub mod redact;
pub mod taxonomy;
pub mod transport;
mod unquoted;
mod vocabulary;
pub mod wapi;

pub use answer::{TwoElementAnswer, TwoElementDetails};
pub use endpoint::BaseUrl;
pub use error::{BuildError, BuildErrorKind, DecodeError, DecodeErrorKind};
pub use form::Method;
pub use operation::{Operation, Outcome, Refusal, Reply};
pub use shiming_sign::{Secret, UnixTime};
pub use taxonomy::{CodeInfo, classify};
pub use vocabulary::{Kind, Vendor, Verdict};
