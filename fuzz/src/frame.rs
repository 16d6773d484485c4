//! How fuzz bytes become an HTTP response: a short prefix gives the status and headers, the
//! rest is the body.
//!
//! Layout (all fields optional: missing bytes read as zero):
//!
//! | bytes | meaning |
//! |-------|---------|
//! | 0–1   | status, u16 little-endian, mapped into 100..=999 so that `0` is `200` |
//! | 2     | number of headers, modulo 4 |
//! | per header | name length (mod 32), name, value length (mod 64), value |
//! | rest  | the body, untouched |
//!
//! A header the `http` crate refuses is dropped. Zeroes mean "200, no headers", so a seed is
//! [`SEED_PREFIX`] followed by a fixture's bytes; `cargo xtask fuzz` writes seeds that way
//! (keep the two in step).

use http::{HeaderName, HeaderValue, StatusCode};
use shiming_codec::transport::HttpResponse;

/// What `cargo xtask fuzz` puts before each fixture body: status 200, no headers.
pub const SEED_PREFIX: [u8; 3] = [0, 0, 0];

/// A response as the fuzz input describes it.
#[derive(Debug, Clone)]
pub struct Framed<'a> {
    /// The HTTP status (100–999).
    pub status: StatusCode,
    /// Headers the input spelled validly.
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// The body: every byte after the prefix.
    pub body: &'a [u8],
}

impl<'a> Framed<'a> {
    /// Reads the prefix and takes the rest as body.
    pub fn parse(data: &'a [u8]) -> Self {
        let mut cursor = Cursor { data };
        let raw = u32::from(u16::from_le_bytes([cursor.byte(), cursor.byte()]));
        let code = u16::try_from(100 + (raw + 100) % 900).unwrap_or(200);
        let status = StatusCode::from_u16(code).unwrap_or(StatusCode::OK);
        let count = cursor.byte() % 4;
        let mut headers = Vec::new();
        for _ in 0..count {
            let name_len = usize::from(cursor.byte() % 32);
            let name = cursor.take(name_len);
            let value_len = usize::from(cursor.byte() % 64);
            let value = cursor.take(value_len);
            if let (Ok(name), Ok(value)) =
                (HeaderName::from_bytes(name), HeaderValue::from_bytes(value))
            {
                headers.push((name, value));
            }
        }
        Framed {
            status,
            headers,
            body: cursor.data,
        }
    }

    /// The response with this input's status and headers, carrying `body`.
    pub fn response_with(&self, body: &[u8]) -> HttpResponse {
        let mut response = http::Response::new(body.to_vec());
        *response.status_mut() = self.status;
        for (name, value) in &self.headers {
            response.headers_mut().append(name.clone(), value.clone());
        }
        response
    }

    /// The response exactly as the input describes it.
    pub fn response(&self) -> HttpResponse {
        self.response_with(self.body)
    }
}

/// A plain `200 OK` response without headers carrying `body`: the reference the framed
/// response is compared with.
pub fn plain(body: &[u8]) -> HttpResponse {
    http::Response::new(body.to_vec())
}

struct Cursor<'a> {
    data: &'a [u8],
}

impl<'a> Cursor<'a> {
    fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&first, rest)) => {
                self.data = rest;
                first
            }
            None => 0,
        }
    }

    fn take(&mut self, n: usize) -> &'a [u8] {
        let (head, rest) = self.data.split_at(n.min(self.data.len()));
        self.data = rest;
        head
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_prefix_is_a_plain_200() {
        let mut data = SEED_PREFIX.to_vec();
        data.extend_from_slice(b"{\"codeid\":10000}");
        let framed = Framed::parse(&data);
        assert_eq!(framed.status, StatusCode::OK);
        assert!(framed.headers.is_empty());
        assert_eq!(framed.body, b"{\"codeid\":10000}");
    }

    #[test]
    fn reads_status_and_headers() {
        // 302 = 100 + (raw + 100) % 900 → raw = 102.
        let data = [
            102, 0, 1, 12, b'c', b'o', b'n', b't', b'e', b'n', b't', b'-', b't', b'y', b'p', b'e',
            3, b'x', b'm', b'l', b'{', b'}',
        ];
        let framed = Framed::parse(&data);
        assert_eq!(framed.status.as_u16(), 302);
        assert_eq!(framed.headers.len(), 1);
        assert_eq!(framed.body, b"{}");
        assert!(Framed::parse(&[]).body.is_empty());
    }
}
