//! Text bytes to `str`, strictly: a byte sequence the encoding does not define is an error
//! for its row, never U+FFFD sent to a paid check.

use std::borrow::Cow;

/// The encoding the parsed bytes are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextEncoding {
    /// UTF-8 as read.
    Utf8,
    /// GBK / GB 18030 as read. Every byte a CSV or JSON-lines parser splits on (`,` tab `"`
    /// CR LF) is below 0x40, and no GBK or GB 18030 trail byte is, so the parsers can split
    /// the raw bytes and each cell is decoded afterwards.
    Gbk,
    /// UTF-16 converted to UTF-8 on the way in (invalid sequences marked by the byte 0xFF).
    Utf16,
}

impl TextEncoding {
    /// `bytes` as text, or `None` when they hold a sequence the encoding does not define.
    pub(crate) fn decode(self, bytes: &[u8]) -> Option<Cow<'_, str>> {
        match self {
            TextEncoding::Utf8 | TextEncoding::Utf16 => {
                std::str::from_utf8(bytes).ok().map(Cow::Borrowed)
            }
            TextEncoding::Gbk => {
                encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(bytes)
            }
        }
    }

    /// Why a row that does not decode is refused.
    pub(crate) fn row_reason(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "not valid UTF-8 (an Excel export? try --encoding gbk)",
            TextEncoding::Gbk => {
                "holds bytes that are not valid GBK (a damaged file, or not GBK: is it UTF-8?)"
            }
            TextEncoding::Utf16 => "holds an invalid UTF-16 sequence (a damaged file?)",
        }
    }

    /// Why a header that does not decode refuses the input.
    pub(crate) fn header_reason(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => {
                "the header row is not valid UTF-8; if this is an Excel export, try --encoding gbk"
            }
            TextEncoding::Gbk => {
                "the header row is not valid GBK; if the file is UTF-8, leave out --encoding gbk"
            }
            TextEncoding::Utf16 => "the header row holds an invalid UTF-16 sequence",
        }
    }
}
