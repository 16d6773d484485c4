//! What the reader tests share (the fuzz harness, `fuzz/src/batch_input.rs`, includes this
//! file by path too).

use std::io::Read;

/// A source that hands out at most `step` bytes per `read`, as a pipe or a slow disk might.
pub(crate) struct Chunked {
    bytes: Vec<u8>,
    at: usize,
    step: usize,
}

impl Chunked {
    /// `bytes`, at most `step` (≥ 1) at a time.
    pub(crate) fn new(bytes: impl Into<Vec<u8>>, step: usize) -> Self {
        Chunked {
            bytes: bytes.into(),
            at: 0,
            step: step.max(1),
        }
    }
}

impl Read for Chunked {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.step.min(buf.len()).min(self.bytes.len() - self.at);
        buf[..n].copy_from_slice(&self.bytes[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}
