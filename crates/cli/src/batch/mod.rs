//! `shiming batch`: streaming, resumable verification of a file of people.
//!
//! See [`engine`] for the pipeline, [`journal`] for crash safety, [`dedup`] for duplicates.

pub(crate) mod bucket;
pub(crate) mod cells;
pub(crate) mod checker;
pub(crate) mod dedup;
pub(crate) mod engine;
pub(crate) mod facade;
pub(crate) mod guard;
pub(crate) mod journal;
pub(crate) mod output;
pub(crate) mod progress;
pub(crate) mod record;
pub(crate) mod render;
pub(crate) mod summary;

/// The input reader lives in its own crate (the fuzz harness drives it too).
pub(crate) use shiming_batch_input as input;
