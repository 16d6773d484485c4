//! Sans-IO wire codec for the real-name vendors: request building, response decoding
//! (json, xml, jsonp) and the vendor code taxonomy.
//!
//! Nothing here opens a socket or reads the clock; the edge types are
//! `http::Request<Vec<u8>>` and `http::Response<Vec<u8>>`.

pub mod mask;
pub mod transport;
mod vocabulary;

pub use vocabulary::{Kind, Vendor, Verdict};
