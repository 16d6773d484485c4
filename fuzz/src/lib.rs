//! Shared harness code for shiming's fuzz targets (`fuzz/fuzz_targets/*.rs`).
//!
//! Each target is a few lines that pick an operation and call into here, so the properties
//! every decoder must have are written once ([`decode`]), and so is the way fuzz bytes become
//! an HTTP response ([`frame`]). See `docs/fuzzing.md` for what each target asserts.

pub mod batch_input;
pub mod decode;
pub mod frame;
pub mod numbers;
pub mod sign;
pub mod wapi;
