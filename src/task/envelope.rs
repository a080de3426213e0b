//! A finished task's `task_result`, held once, in the form the query reply sends it.
//!
//! The query reply is `{"task_id":…,"task_status":…,"task_type":"export_api","task_result":"…"}`,
//! where `task_result` is itself JSON (`{"FileName":…,"FileType":…,"Comment":"<the document>"}`)
//! written as a JSON string: the document is escaped twice. An [`Envelope`] holds exactly that
//! string literal, quotes included, built once while the task's document is written (the document
//! itself is never held beside it) and shared by every reply, which only copies it. The plain
//! `task_result` is decoded from it on demand ([`Envelope::decode`]).
//!
//! The literal is kept in blocks of at most [`BLOCK`] bytes, so that building it never holds a
//! second, larger copy while growing.

use std::fmt;
use std::io::{self, Write};
use std::sync::Arc;

use crate::Profile;

/// The size of the blocks an envelope is kept in.
pub(crate) const BLOCK: usize = 64 * 1024;

/// A `task_result` as the JSON string literal of the query reply (see the module docs).
#[derive(Clone)]
pub(crate) struct Envelope(Arc<Blocks>);

struct Blocks {
    blocks: Vec<Box<[u8]>>,
    len: usize,
}

impl fmt::Debug for Envelope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Envelope").field("len", &self.0.len).finish_non_exhaustive()
    }
}

impl PartialEq for Envelope {
    fn eq(&self, other: &Envelope) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || (self.len() == other.len() && self.bytes().eq(other.bytes()))
    }
}

impl Eq for Envelope {}

impl Envelope {
    /// The envelope of a plain `task_result` text (an error body, a result read back).
    pub(crate) fn of_text(text: &str) -> Envelope {
        let mut writer = EnvelopeWriter::new(Profile::Apig, usize::MAX);
        writer.raw(text.as_bytes());
        writer.finish().unwrap_or_else(|_| Envelope::empty())
    }

    /// `""`: the result of a task that has not ended.
    pub(crate) fn empty() -> Envelope {
        Envelope(Arc::new(Blocks { blocks: vec![Box::from(&b"\"\""[..])], len: 2 }))
    }

    /// Bytes held: the literal's length.
    pub(crate) fn len(&self) -> usize {
        self.0.len
    }

    /// The literal's blocks, in order.
    pub(crate) fn blocks(&self) -> impl Iterator<Item = &[u8]> {
        self.0.blocks.iter().map(|b| &**b)
    }

    fn bytes(&self) -> impl Iterator<Item = u8> + '_ {
        self.blocks().flat_map(|b| b.iter().copied())
    }

    /// Appends the literal (quotes included) to `out`.
    pub(crate) fn append_to(&self, out: &mut Vec<u8>) {
        out.reserve(self.len());
        self.blocks().for_each(|b| out.extend_from_slice(b));
    }

    /// An envelope read back from storage: `literal` as [`Envelope::append_to`] wrote it.
    #[cfg(feature = "postgres")]
    pub(crate) fn from_literal(literal: Vec<u8>) -> Envelope {
        let len = literal.len();
        Envelope(Arc::new(Blocks { blocks: vec![literal.into_boxed_slice()], len }))
    }

    /// The plain `task_result` text: the literal unescaped.
    pub(crate) fn decode(&self) -> String {
        let mut out = Vec::with_capacity(self.len());
        let mut bytes = self.bytes();
        // The literal starts and ends with a quote, which are not part of the text.
        bytes.next();
        while let Some(b) = bytes.next() {
            match b {
                b'\\' => match bytes.next() {
                    Some(b'n') => out.push(b'\n'),
                    Some(b'r') => out.push(b'\r'),
                    Some(b't') => out.push(b'\t'),
                    Some(b'b') => out.push(0x08),
                    Some(b'f') => out.push(0x0C),
                    Some(b'u') => {
                        let hex: Vec<u8> = bytes.by_ref().take(4).collect();
                        let code = std::str::from_utf8(&hex).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
                        out.push(code.unwrap_or(b'?'));
                    }
                    Some(other) => out.push(other),
                    None => {}
                },
                other => out.push(other),
            }
        }
        // The closing quote.
        out.pop();
        String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

/// The index of the first `"`, `\` or control below U+0020 in `text` from `from` on, eight
/// bytes per step.
fn next_special(text: &[u8], from: usize) -> Option<usize> {
    use crate::emit::wide::{below_0x20, equal, lane};
    let special = |word: u64| below_0x20(word) | equal(word, b'"') | equal(word, b'\\');
    let mut at = from;
    while let Some(word) = text.get(at..).and_then(<[u8]>::first_chunk::<8>) {
        let flags = special(u64::from_le_bytes(*word));
        if flags != 0 {
            return Some(at + lane(flags));
        }
        at += 8;
    }
    let rest = text.get(at..)?;
    rest.iter().position(|&b| b < 0x20 || b == b'"' || b == b'\\').map(|p| at + p)
}

/// Too large to keep: the envelope passed its byte limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TooLarge;

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the task result is larger than the runner keeps")
    }
}

impl std::error::Error for TooLarge {}

/// Builds an [`Envelope`]: [`EnvelopeWriter::raw`] takes `task_result` text, [`EnvelopeWriter::string`]
/// and the [`Write`] impl take the text of a `task_result` string value (the document), escaped
/// for the profile as `Exported::task_result` escapes it.
pub(crate) struct EnvelopeWriter {
    profile: Profile,
    blocks: Vec<Box<[u8]>>,
    block: Vec<u8>,
    len: usize,
    limit: usize,
    /// The `task_result` text of the last piece, before it is escaped into the literal.
    scratch: Vec<u8>,
    /// The last piece escaped, before it is appended.
    escaped: Vec<u8>,
    /// The start of a character cut by the end of the last write.
    pending: Vec<u8>,
    too_large: bool,
}

impl fmt::Debug for EnvelopeWriter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnvelopeWriter").field("len", &self.len).finish_non_exhaustive()
    }
}

impl EnvelopeWriter {
    /// An envelope of at most `limit` bytes (beyond it, writing fails with [`TooLarge`]).
    pub(crate) fn new(profile: Profile, limit: usize) -> EnvelopeWriter {
        let mut writer = EnvelopeWriter {
            profile,
            blocks: Vec::new(),
            block: Vec::new(),
            len: 0,
            limit,
            scratch: Vec::new(),
            escaped: Vec::new(),
            pending: Vec::new(),
            too_large: false,
        };
        writer.push(b"\"");
        writer
    }

    /// Appends `task_result` text as it is.
    pub(crate) fn raw(&mut self, text: &[u8]) {
        self.escape(text);
    }

    /// Appends the inside of a string value of `task_result`: `s` escaped for the profile.
    pub(crate) fn string(&mut self, s: &str) {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        crate::emit::escape_inside(&mut scratch, s, self.profile);
        self.escape(&scratch);
        self.scratch = scratch;
    }

    /// The envelope.
    ///
    /// # Errors
    ///
    /// [`TooLarge`] when it passed its limit.
    pub(crate) fn finish(mut self) -> Result<Envelope, TooLarge> {
        self.flush_pending();
        self.push(b"\"");
        if self.too_large {
            return Err(TooLarge);
        }
        if !self.block.is_empty() {
            let last = std::mem::take(&mut self.block);
            self.blocks.push(last.into_boxed_slice());
        }
        Ok(Envelope(Arc::new(Blocks { blocks: self.blocks, len: self.len })))
    }

    /// A character left cut at the end (not UTF-8 text from the emitter): written as it is.
    fn flush_pending(&mut self) {
        if !self.pending.is_empty() {
            let pending = std::mem::take(&mut self.pending);
            self.string(&String::from_utf8_lossy(&pending));
        }
    }

    /// Escapes `text` as the inside of a JSON string, as serde_json does: `"`, `\` and the
    /// controls below U+0020. The escaped text is gathered first and appended in one piece.
    fn escape(&mut self, text: &[u8]) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = std::mem::take(&mut self.escaped);
        out.clear();
        out.reserve(text.len() + text.len() / 4 + 8);
        let mut start = 0;
        while let Some(i) = next_special(text, start) {
            let Some(&b) = text.get(i) else { break };
            let short = match b {
                b'"' => b'"',
                b'\\' => b'\\',
                b'\n' => b'n',
                b'\r' => b'r',
                b'\t' => b't',
                0x08 => b'b',
                0x0C => b'f',
                _ => 0,
            };
            out.extend_from_slice(text.get(start..i).unwrap_or_default());
            if short == 0 {
                let hex = |n: u8| HEX.get(usize::from(n & 0xF)).copied().unwrap_or(b'0');
                out.extend_from_slice(&[b'\\', b'u', b'0', b'0', hex(b >> 4), hex(b)]);
            } else {
                out.extend_from_slice(&[b'\\', short]);
            }
            start = i + 1;
        }
        out.extend_from_slice(text.get(start..).unwrap_or_default());
        self.push(&out);
        self.escaped = out;
    }

    /// Appends literal bytes, in blocks of [`BLOCK`].
    fn push(&mut self, mut bytes: &[u8]) {
        self.len += bytes.len();
        if self.len > self.limit {
            self.too_large = true;
        }
        if self.too_large {
            return;
        }
        while !bytes.is_empty() {
            if self.block.capacity() == 0 {
                self.block.reserve_exact(BLOCK);
            }
            let room = BLOCK.saturating_sub(self.block.len()).max(1);
            let (now, rest) = bytes.split_at(room.min(bytes.len()));
            self.block.extend_from_slice(now);
            bytes = rest;
            if self.block.len() >= BLOCK {
                let full = std::mem::take(&mut self.block);
                self.blocks.push(full.into_boxed_slice());
            }
        }
    }
}

impl Write for EnvelopeWriter {
    /// Takes document bytes (UTF-8, possibly cut inside a character at either end).
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.too_large {
            return Err(io::Error::other(TooLarge));
        }
        let joined;
        let bytes = if self.pending.is_empty() {
            buf
        } else {
            let mut with = std::mem::take(&mut self.pending);
            with.extend_from_slice(buf);
            joined = with;
            &joined[..]
        };
        let (text, rest) = match std::str::from_utf8(bytes) {
            Ok(text) => (text, &[][..]),
            Err(e) if e.error_len().is_none() => {
                let (valid, rest) = bytes.split_at(e.valid_up_to());
                (std::str::from_utf8(valid).unwrap_or_default(), rest)
            }
            Err(_) => return Err(io::Error::new(io::ErrorKind::InvalidData, "the document is not UTF-8")),
        };
        self.pending = rest.to_vec();
        self.string(text);
        if self.too_large {
            return Err(io::Error::other(TooLarge));
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literal(e: &Envelope) -> String {
        let mut out = Vec::new();
        e.append_to(&mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_literal_is_what_serde_json_writes_for_the_task_result() {
        for profile in [Profile::Apig, Profile::Strict] {
            let content = "{\n\t\"a\": \"<b> & \u{2028} \u{85} \u{7f} \u{1} é 😀 \\\\ \\\"\"\n}".repeat(5000);
            let result = crate::emit::task_result("n\"a\\me\r\n", ".json", &content, profile);
            let mut writer = EnvelopeWriter::new(profile, usize::MAX);
            writer.raw(br#"{"FileName":""#);
            writer.string("n\"a\\me\r\n");
            writer.raw(br#"","FileType":""#);
            writer.string(".json");
            writer.raw(br#"","Comment":""#);
            // Written in pieces that cut characters, as an emitter's blocks may.
            for piece in content.as_bytes().chunks(7) {
                writer.write_all(piece).unwrap();
            }
            writer.raw(br#""}"#);
            let envelope = writer.finish().unwrap();
            assert_eq!(literal(&envelope), serde_json::to_string(&result).unwrap(), "{profile:?}");
            assert_eq!(envelope.len(), literal(&envelope).len());
            assert!(envelope.blocks().count() > 1 && envelope.blocks().all(|b| b.len() <= BLOCK));
            assert_eq!(envelope.decode(), result);
        }
        let text = "{\"error_code\":\"APIG.9999\",\"error_msg\":\"System error\u{1}\t\"}";
        let envelope = Envelope::of_text(text);
        assert_eq!(literal(&envelope), serde_json::to_string(text).unwrap());
        assert_eq!(envelope.decode(), text);
        assert_eq!((literal(&Envelope::empty()), Envelope::empty().decode()), ("\"\"".to_owned(), String::new()));
    }

    #[test]
    fn past_its_limit_writing_fails() {
        let mut writer = EnvelopeWriter::new(Profile::Apig, 100);
        writer.write_all(&[b'a'; 90]).unwrap();
        let e = writer.write_all(&[b'a'; 90]).unwrap_err();
        assert!(e.get_ref().is_some_and(|e| e.is::<TooLarge>()));
        assert_eq!(writer.finish().unwrap_err(), TooLarge);
    }
}
