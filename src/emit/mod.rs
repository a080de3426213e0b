//! Document → bytes. Knows indentation, escaping and scalar styles, not what a key means.

mod json;
mod key;
mod wide;
pub(crate) mod yaml;

pub(crate) use json::task_result;

use std::io::{self, Write};

use crate::render::Document;
use crate::{Format, Profile};

/// Writes `doc` in `format`.
pub(crate) fn write<W: Write>(doc: &Document<'_>, format: Format, profile: Profile, out: &mut W) -> io::Result<()> {
    match format {
        Format::Json => json::write(doc, profile, out),
        Format::Yaml | Format::Yml => yaml::write(doc, profile == Profile::Strict, out),
    }
}

/// Appends `bytes`; a run of 4 to 16 bytes as two overlapping copies of fixed size, which compile
/// to plain moves instead of a call to `memcpy`.
#[inline(always)]
pub(crate) fn put(buf: &mut Vec<u8>, bytes: &[u8]) {
    let (start, len) = (buf.len(), bytes.len());
    if len <= 16 {
        if let (Some(head), Some(tail)) = (bytes.first_chunk::<8>(), bytes.last_chunk::<8>()) {
            buf.extend_from_slice(head);
            buf.truncate(start + len - 8);
            buf.extend_from_slice(tail);
            return;
        }
        if let (Some(head), Some(tail)) = (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) {
            buf.extend_from_slice(head);
            buf.truncate(start + len - 4);
            buf.extend_from_slice(tail);
            return;
        }
    }
    buf.extend_from_slice(bytes);
}
