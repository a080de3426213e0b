//! JSON as Go's `json.MarshalIndent(v, "", "\t")` writes it: a TAB per level, `": "` after keys,
//! `[]` / `{}` for empty containers, no trailing newline. The Apig profile also escapes
//! `<`, `>`, `&`, U+2028 and U+2029 as Go does. The Strict profile escapes instead what makes a
//! YAML 1.1 reader see another text: the characters YAML forbids raw (U+007F to U+009F, U+FFFE,
//! U+FFFF) and its line breaks beyond LF and CR (U+0085, U+2028, U+2029), so that validators
//! reading JSON through a YAML parser read the same tree; the string values are the same.
//!
//! A serde `Serializer` of our own, writing into a buffer that is handed to the sink in blocks of
//! at least [`FLUSH_AT`] bytes, whatever the sink: an unbuffered file or socket receives a few
//! large writes, not one per token. Each string is first tested, eight bytes per step, for any
//! byte that may need escaping in the profile ([`Escapes`]); most have none and are copied whole
//! between their quotes. The others are scanned again for where those bytes are, and the runs
//! between them copied whole. A struct field's name is tested once per export ([`FieldNames`]).
//! Numbers are written by serde_json, so that they read exactly as before.

use std::io::{self, Write};

use serde::ser::{self, Serialize};

use super::key::{FieldNames, StrKey};
use super::wide::{below_0x20, equal, lane, splat};
use super::{put, Error};
use crate::render::Document;
use crate::Profile;

/// Bytes gathered before they are handed to the sink.
const FLUSH_AT: usize = 64 * 1024;

/// Writes `doc` as JSON.
pub(crate) fn write<W: Write>(doc: &Document<'_>, profile: Profile, out: &mut W) -> io::Result<()> {
    let mut json = Json::new(out, Escapes::of(profile));
    let Some(trailer) = &doc.trailer else {
        doc.root.serialize(&mut json).map_err(Error::into_io)?;
        return json.finish();
    };
    // The root object is written without its closing brace, then the trailing member follows:
    // APIG concatenates it after a newline (`\n,\n\t"x-…": …\n}`); Strict makes it an ordinary member.
    json.leave_open = true;
    doc.root.serialize(&mut json).map_err(Error::into_io)?;
    json.leave_open = false;
    json.buf.extend_from_slice(if profile == Profile::Apig {
        b"\n,\n\t\"x-apigateway-responses\": "
    } else {
        b",\n\t\"x-apigateway-responses\": "
    });
    json.depth = 1;
    trailer.serialize(&mut json).map_err(Error::into_io)?;
    json.buf.extend_from_slice(b"\n}");
    json.finish()
}

/// The `task_result` of a finished export task: `{"FileName":…,"FileType":…,"Comment":…}`, as
/// Go's `json.Marshal` writes it (compact, with Go's escaping in the Apig profile).
pub(crate) fn task_result(file_name: &str, file_type: &str, content: &str, profile: Profile) -> String {
    let escapes = Escapes::of(profile);
    let mut out = Vec::with_capacity(content.len() + content.len() / 8 + file_name.len() + 64);
    out.extend_from_slice(b"{\"FileName\":");
    write_str(&mut out, file_name, escapes);
    out.extend_from_slice(b",\"FileType\":");
    write_str(&mut out, file_type, escapes);
    out.extend_from_slice(b",\"Comment\":");
    write_str(&mut out, content, escapes);
    out.push(b'}');
    // Escapes are ASCII and go between whole characters: the text stays UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// Which characters a profile escapes beyond `"`, `\` and the controls below U+0020.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Escapes {
    /// Go's HTML-safe set: `<`, `>`, `&`, U+2028, U+2029.
    Go,
    /// What YAML 1.1 forbids raw or reads as a line break: U+007F to U+009F, U+2028, U+2029,
    /// U+FFFE, U+FFFF.
    Yaml,
}

impl Escapes {
    fn of(profile: Profile) -> Escapes {
        match profile {
            Profile::Apig => Escapes::Go,
            Profile::Strict => Escapes::Yaml,
        }
    }
}

/// Flags (in their high bit) the bytes of `word` that start a character the profile may escape:
/// controls, `"`, `\`, and `<` `>` `&` 0xE2 (`GO`) or 0x7F 0xC2 0xE2 0xEF (Yaml). Exact per byte: no
/// flag spills into the next byte.
#[inline(always)]
fn candidates<const GO: bool>(word: u64) -> u64 {
    let common = below_0x20(word) | equal(word, b'\\');
    if GO {
        // `"` (0x22) and `&` (0x26) differ in one bit, as do `<` (0x3C) and `>` (0x3E).
        common | equal(word | splat(0x04), b'&') | equal(word | splat(0x02), b'>') | equal(word, 0xE2)
    } else {
        common | equal(word, b'"') | equal(word, 0x7F) | equal(word, 0xC2) | equal(word, 0xE2) | equal(word, 0xEF)
    }
}

/// Whether a byte is a candidate (as [`candidates`] flags it), for strings shorter than a word.
// Evaluated at compile time: an index out of bounds would fail the build, not panic.
#[allow(clippy::indexing_slicing)]
const fn candidate_table(go: bool) -> [bool; 256] {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = b < 0x20
            || b == b'"' as usize
            || b == b'\\' as usize
            || if go {
                b == b'<' as usize || b == b'>' as usize || b == b'&' as usize || b == 0xE2
            } else {
                b == 0x7F || b == 0xC2 || b == 0xE2 || b == 0xEF
            };
        b += 1;
    }
    table
}

const CANDIDATE_GO: [bool; 256] = candidate_table(true);
const CANDIDATE_YAML: [bool; 256] = candidate_table(false);

/// An escape sequence: its bytes and how many bytes of the input it replaces.
struct Escape {
    text: [u8; 6],
    len: usize,
    replaces: usize,
}

impl Escape {
    fn short(c: u8) -> Escape {
        Escape { text: [b'\\', c, 0, 0, 0, 0], len: 2, replaces: 1 }
    }

    /// `\uXXXX` (lower-case hex, as Go writes it) for the character `code`, `replaces` bytes long.
    fn unicode(code: u16, replaces: usize) -> Escape {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let hex = |shift: u16| HEX.get(usize::from((code >> shift) & 0xF)).copied().unwrap_or(b'0');
        Escape { text: [b'\\', b'u', hex(12), hex(8), hex(4), hex(0)], len: 6, replaces }
    }
}

/// The escape of the character starting at `bytes[i]`, a candidate byte, if it needs one.
#[inline]
fn escape_at<const GO: bool>(bytes: &[u8], i: usize) -> Option<Escape> {
    let escapes = if GO { Escapes::Go } else { Escapes::Yaml };
    let at = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
    let b = at(0);
    Some(match (b, escapes) {
        (b'"', _) => Escape::short(b'"'),
        (b'\\', _) => Escape::short(b'\\'),
        (0x08, _) => Escape::short(b'b'),
        (0x0C, _) => Escape::short(b'f'),
        (b'\n', _) => Escape::short(b'n'),
        (b'\r', _) => Escape::short(b'r'),
        (b'\t', _) => Escape::short(b't'),
        (0x00..=0x1F, _) => Escape::unicode(u16::from(b), 1),
        (b'<' | b'>' | b'&', Escapes::Go) => Escape::unicode(u16::from(b), 1),
        // U+2028 and U+2029: E2 80 A8 and E2 80 A9 (both profiles).
        (0xE2, _) if at(1) == 0x80 && matches!(at(2), 0xA8 | 0xA9) => Escape::unicode(u16::from(at(2)) + 0x1F80, 3),
        (0x7F, Escapes::Yaml) => Escape::unicode(0x7F, 1),
        // U+0080 to U+009F: C2 80 to C2 9F.
        (0xC2, Escapes::Yaml) if matches!(at(1), 0x80..=0x9F) => Escape::unicode(u16::from(at(1)), 2),
        // U+FFFE and U+FFFF: EF BF BE and EF BF BF.
        (0xEF, Escapes::Yaml) if at(1) == 0xBF && matches!(at(2), 0xBE | 0xBF) => {
            Escape::unicode(u16::from(at(2)) + 0xFF40, 3)
        }
        _ => return None,
    })
}

/// Appends `s` as a JSON string, escaped for the profile.
#[inline]
fn write_str(buf: &mut Vec<u8>, s: &str, escapes: Escapes) {
    match escapes {
        Escapes::Go => write_string::<true>(buf, s.as_bytes()),
        Escapes::Yaml => write_string::<false>(buf, s.as_bytes()),
    }
}

/// Appends `bytes` as a JSON string. Most strings hold no candidate at all: one scan of whole
/// words decides that, and the string is copied between its quotes as it is.
#[inline(always)]
fn write_string<const GO: bool>(buf: &mut Vec<u8>, bytes: &[u8]) {
    if any_candidate::<GO>(bytes) {
        write_escaped::<GO>(buf, bytes);
    } else {
        buf.reserve(bytes.len() + 2);
        buf.push(b'"');
        put(buf, bytes);
        buf.push(b'"');
    }
}

/// Non-zero if any byte of `word` is a candidate ([`candidates`]), with fewer operations: a
/// flag here may be wrong about *which* byte (a borrow runs into the byte above a match), never
/// about whether there is one, which is all a yes-or-no question needs.
#[inline(always)]
fn maybe_candidates<const GO: bool>(word: u64) -> u64 {
    const ONES: u64 = splat(0x01);
    // High bit of some byte set iff some byte of `x` is zero, or below `n` (`n` ≤ 0x80).
    let zero = |x: u64| x.wrapping_sub(ONES) & !x;
    let below = |n: u8| word.wrapping_sub(splat(n)) & !word;
    let hits = if GO {
        // `"` (0x22) and `&` (0x26) differ in one bit, as do `<` (0x3C) and `>` (0x3E).
        below(0x20)
            | zero((word | splat(0x04)) ^ splat(b'&'))
            | zero((word | splat(0x02)) ^ splat(b'>'))
            | zero(word ^ splat(b'\\'))
            | zero(word ^ splat(0xE2))
    } else {
        below(0x20)
            | zero(word ^ splat(b'"'))
            | zero(word ^ splat(b'\\'))
            | zero(word ^ splat(0x7F))
            | zero(word ^ splat(0xC2))
            | zero(word ^ splat(0xE2))
            | zero(word ^ splat(0xEF))
    };
    hits & splat(0x80)
}

/// [`any_candidate`] for the profile's escapes.
fn any_candidate_in(bytes: &[u8], escapes: Escapes) -> bool {
    match escapes {
        Escapes::Go => any_candidate::<true>(bytes),
        Escapes::Yaml => any_candidate::<false>(bytes),
    }
}

/// Whether any byte of `bytes` is a candidate ([`candidates`]): whole words, the last one
/// overlapping the one before; a string shorter than a word is read as one word made of
/// overlapping pieces of it (a byte read twice is tested twice, which changes nothing).
#[inline(always)]
fn any_candidate<const GO: bool>(bytes: &[u8]) -> bool {
    let word = |w: &[u8; 8]| maybe_candidates::<GO>(u64::from_le_bytes(*w));
    if let Some(last) = bytes.last_chunk::<8>() {
        let mut flags = word(last);
        let mut rest = bytes;
        while let Some((w, tail)) = rest.split_first_chunk::<8>() {
            flags |= word(w);
            rest = tail;
        }
        return flags != 0;
    }
    let four = |w: &[u8; 4]| u32::from_le_bytes(*w);
    let w = match (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) {
        (Some(head), Some(tail)) => u64::from(four(head)) | u64::from(four(tail)) << 32,
        _ => match bytes {
            [] => return false,
            [a] => u64::from_le_bytes([*a; 8]),
            [a, b] => u64::from_le_bytes([*a, *b, *a, *b, *a, *b, *a, *b]),
            [a, b, c, ..] => u64::from_le_bytes([*a, *b, *c, *a, *b, *c, *a, *b]),
        },
    };
    maybe_candidates::<GO>(w) != 0
}

#[cold]
fn write_escaped<const GO: bool>(buf: &mut Vec<u8>, bytes: &[u8]) {
    buf.reserve(bytes.len() + 2);
    buf.push(b'"');
    escape_run::<GO>(buf, bytes);
    buf.push(b'"');
}

/// Appends `s` escaped for `profile` as the inside of a JSON string (no quotes), exactly as
/// [`task_result`] escapes its values: `s` may be any piece of a longer string cut between
/// characters.
pub(crate) fn escape_inside(buf: &mut Vec<u8>, s: &str, profile: Profile) {
    match Escapes::of(profile) {
        Escapes::Go => escape_run::<true>(buf, s.as_bytes()),
        Escapes::Yaml => escape_run::<false>(buf, s.as_bytes()),
    }
}

fn escape_run<const GO: bool>(buf: &mut Vec<u8>, bytes: &[u8]) {
    // Every candidate of a word is handled before the next word is read; `copied` is where the
    // bytes not yet written start (past a multi-byte escape, candidates inside it are skipped).
    let mut copied = 0;
    let mut at = 0;
    while let Some(word) = bytes.get(at..).and_then(<[u8]>::first_chunk::<8>) {
        let flags = candidates::<GO>(u64::from_le_bytes(*word));
        if flags != 0 {
            copied = escape_flagged::<GO>(buf, bytes, at, flags, copied);
        }
        at += 8;
    }
    let left = bytes.len().saturating_sub(at);
    if left > 0 {
        if let Some(word) = bytes.last_chunk::<8>() {
            // The last eight bytes, overlapping some already scanned: those lanes are cleared.
            let base = bytes.len() - 8;
            let flags = candidates::<GO>(u64::from_le_bytes(*word)) & (u64::MAX << (8 * (8 - left)));
            if flags != 0 {
                copied = escape_flagged::<GO>(buf, bytes, base, flags, copied);
            }
        } else {
            // A string shorter than a word: byte by byte.
            let table = if GO { &CANDIDATE_GO } else { &CANDIDATE_YAML };
            for (i, &b) in bytes.iter().enumerate() {
                if i >= copied && table.get(usize::from(b)).copied().unwrap_or(true) {
                    copied = escape_one::<GO>(buf, bytes, i, copied);
                }
            }
        }
    }
    put(buf, bytes.get(copied..).unwrap_or_default());
}

/// Escapes the candidates `flags` marks in the word at `base`; returns where unwritten bytes start.
#[inline(always)]
fn escape_flagged<const GO: bool>(
    buf: &mut Vec<u8>,
    bytes: &[u8],
    base: usize,
    mut flags: u64,
    mut copied: usize,
) -> usize {
    while flags != 0 {
        let i = base + lane(flags);
        flags &= flags - 1;
        if i >= copied {
            copied = escape_one::<GO>(buf, bytes, i, copied);
        }
    }
    copied
}

/// Writes the bytes from `copied` to the candidate at `i` and its escape, if it needs one;
/// returns where unwritten bytes start.
#[inline(always)]
fn escape_one<const GO: bool>(buf: &mut Vec<u8>, bytes: &[u8], i: usize, copied: usize) -> usize {
    // The most frequent escapes (JSON samples are full of quotes) without the general match.
    if let Some(&b @ (b'"' | b'\\')) = bytes.get(i) {
        put(buf, bytes.get(copied..i).unwrap_or_default());
        buf.extend_from_slice(&[b'\\', b]);
        return i + 1;
    }
    match escape_at::<GO>(bytes, i) {
        Some(escape) => {
            put(buf, bytes.get(copied..i).unwrap_or_default());
            match escape.text {
                [b'\\', c, ..] if escape.len == 2 => buf.extend_from_slice(&[b'\\', c]),
                six => buf.extend_from_slice(&six),
            }
            i + escape.replaces
        }
        None => copied,
    }
}

/// A comma, a newline and 32 tabs: the text before an element at up to 32 levels is one slice of it.
const SEPARATOR: &[u8; 34] = b",\n\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";

type Result<T, E = Error> = std::result::Result<T, E>;

/// The pretty-printing serializer: the buffer, the sink it is flushed to, and the nesting depth.
struct Json<'w, W: Write> {
    out: &'w mut W,
    buf: Vec<u8>,
    /// Open containers, plus the base level of a document part written inside the root.
    depth: usize,
    escapes: Escapes,
    /// Which field names need no escaping.
    names: FieldNames,
    /// Leave the outermost object unclosed (no final newline and brace).
    leave_open: bool,
}

impl<'w, W: Write> Json<'w, W> {
    fn new(out: &'w mut W, escapes: Escapes) -> Self {
        Json {
            out,
            buf: Vec::with_capacity(FLUSH_AT + FLUSH_AT / 4),
            depth: 0,
            escapes,
            names: FieldNames::new(),
            leave_open: false,
        }
    }

    /// What precedes an element or a key: a comma unless it is the first, a newline and the indentation.
    #[inline(always)]
    fn separator(&mut self, first: bool) {
        let from = usize::from(first);
        let len = 2 + self.depth - from;
        // Up to 14 levels (nearly every line): 16 bytes copied at once, the excess cut off.
        if let (true, Some(text)) = (len <= 16, SEPARATOR.get(from..).and_then(<[u8]>::first_chunk::<16>)) {
            let start = self.buf.len();
            self.buf.extend_from_slice(text);
            self.buf.truncate(start + len);
            return;
        }
        self.buf.extend_from_slice(SEPARATOR.get(from..2).unwrap_or_default());
        self.buf.resize(self.buf.len() + self.depth, b'\t');
    }

    /// Hands the buffer to the sink once it holds a large block.
    #[inline]
    fn maybe_flush(&mut self) -> Result<()> {
        if self.buf.len() >= FLUSH_AT {
            self.out.write_all(&self.buf).map_err(Error::Io)?;
            self.buf.clear();
        }
        Ok(())
    }

    fn open(&mut self, bracket: u8) -> Compound<'_, 'w, W> {
        self.buf.push(bracket);
        self.depth += 1;
        Compound { json: self, first: true }
    }

    fn number<T: Serialize>(&mut self, v: T) -> Result<()> {
        serde_json::to_writer(&mut self.buf, &v).map_err(ser::Error::custom)
    }

    fn finish(mut self) -> io::Result<()> {
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        Ok(())
    }
}

/// An open array or object.
struct Compound<'a, 'w, W: Write> {
    json: &'a mut Json<'w, W>,
    first: bool,
}

impl<W: Write> Compound<'_, '_, W> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.json.separator(self.first);
        self.first = false;
        value.serialize(&mut *self.json)?;
        self.json.maybe_flush()
    }

    /// A struct field's name: scanned once per export ([`FieldNames`]); a name with nothing to
    /// escape, as the renderer's names are, is then copied between its quotes.
    #[inline(always)]
    fn key(&mut self, key: &'static str) {
        self.json.separator(self.first);
        self.first = false;
        let escapes = self.json.escapes;
        let buf = &mut self.json.buf;
        if self.json.names.as_is(key, |k| !any_candidate_in(k.as_bytes(), escapes)) {
            buf.reserve(key.len() + 4);
            buf.push(b'"');
            put(buf, key.as_bytes());
            buf.extend_from_slice(b"\": ");
        } else {
            write_str(buf, key, escapes);
            buf.extend_from_slice(b": ");
        }
    }

    fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        value.serialize(&mut *self.json)?;
        self.json.maybe_flush()
    }

    fn close(self, bracket: u8) -> Result<()> {
        let json = self.json;
        json.depth = json.depth.saturating_sub(1);
        if json.leave_open && json.depth == 0 {
            return Ok(());
        }
        if !self.first {
            json.buf.extend_from_slice(SEPARATOR.get(1..2).unwrap_or_default());
            json.buf.resize(json.buf.len() + json.depth, b'\t');
        }
        json.buf.push(bracket);
        Ok(())
    }
}

impl<'a, 'w, W: Write> ser::Serializer for &'a mut Json<'w, W> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a, 'w, W>;
    type SerializeTuple = Compound<'a, 'w, W>;
    type SerializeTupleStruct = Compound<'a, 'w, W>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = Compound<'a, 'w, W>;
    type SerializeStruct = Compound<'a, 'w, W>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_bool(self, v: bool) -> Result<()> {
        self.buf.extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<()> {
        self.number(v)
    }
    fn serialize_i16(self, v: i16) -> Result<()> {
        self.number(v)
    }
    fn serialize_i32(self, v: i32) -> Result<()> {
        self.number(v)
    }
    fn serialize_i64(self, v: i64) -> Result<()> {
        self.number(v)
    }
    fn serialize_i128(self, v: i128) -> Result<()> {
        self.number(v)
    }
    fn serialize_u8(self, v: u8) -> Result<()> {
        self.number(v)
    }
    fn serialize_u16(self, v: u16) -> Result<()> {
        self.number(v)
    }
    fn serialize_u32(self, v: u32) -> Result<()> {
        self.number(v)
    }
    fn serialize_u64(self, v: u64) -> Result<()> {
        self.number(v)
    }
    fn serialize_u128(self, v: u128) -> Result<()> {
        self.number(v)
    }
    fn serialize_f32(self, v: f32) -> Result<()> {
        self.number(v)
    }
    fn serialize_f64(self, v: f64) -> Result<()> {
        self.number(v)
    }
    fn serialize_char(self, v: char) -> Result<()> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    #[inline(always)]
    fn serialize_str(self, v: &str) -> Result<()> {
        write_str(&mut self.buf, v, self.escapes);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<()> {
        let mut seq = self.open(b'[');
        for b in v {
            ser::SerializeSeq::serialize_element(&mut seq, b)?;
        }
        seq.close(b']')
    }
    fn serialize_none(self) -> Result<()> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<()> {
        self.buf.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<()> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<()> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<()> {
        let mut map = self.open(b'{');
        map.key(variant);
        map.value(value)?;
        map.close(b'}')
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq> {
        Ok(self.open(b'['))
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple> {
        Ok(self.open(b'['))
    }
    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeTupleStruct> {
        Ok(self.open(b'['))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(ser::Error::custom("tuple variants have no JSON form here"))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Ok(self.open(b'{'))
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct> {
        Ok(self.open(b'{'))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(ser::Error::custom("struct variants have no JSON form here"))
    }
}

impl<W: Write> ser::SerializeSeq for Compound<'_, '_, W> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }
    fn end(self) -> Result<()> {
        self.close(b']')
    }
}

impl<W: Write> ser::SerializeTuple for Compound<'_, '_, W> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }
    fn end(self) -> Result<()> {
        self.close(b']')
    }
}

impl<W: Write> ser::SerializeTupleStruct for Compound<'_, '_, W> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }
    fn end(self) -> Result<()> {
        self.close(b']')
    }
}

impl<W: Write> ser::SerializeMap for Compound<'_, '_, W> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        self.json.separator(self.first);
        self.first = false;
        let (buf, escapes) = (&mut self.json.buf, self.json.escapes);
        key.serialize(StrKey::<_, Error>::new(|key: &str| write_str(buf, key, escapes)))?;
        self.json.buf.extend_from_slice(b": ");
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.value(value)
    }
    fn end(self) -> Result<()> {
        self.close(b'}')
    }
}

impl<W: Write> ser::SerializeStruct for Compound<'_, '_, W> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<()> {
        self.key(key);
        self.value(value)
    }
    fn end(self) -> Result<()> {
        self.close(b'}')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the profile escapes, decided one character at a time (the reference for the scan).
    fn reference(s: &str, escapes: Escapes) -> String {
        let mut out = String::from("\"");
        for c in s.chars() {
            let code = u32::from(c);
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\0'..='\u{1f}' => out.push_str(&format!("\\u{code:04x}")),
                '<' | '>' | '&' | '\u{2028}' | '\u{2029}' if escapes == Escapes::Go => {
                    out.push_str(&format!("\\u{code:04x}"))
                }
                '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{fffe}' | '\u{ffff}' if escapes == Escapes::Yaml => {
                    out.push_str(&format!("\\u{code:04x}"))
                }
                _ => out.push(c),
            }
        }
        out.push('"');
        out
    }

    fn escaped(s: &str, escapes: Escapes) -> String {
        let mut buf = Vec::new();
        write_str(&mut buf, s, escapes);
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn every_escape_of_both_profiles() {
        let all: String = ('\0'..='\u{ff}').chain(['\u{2027}', '\u{2028}', '\u{2029}', '\u{202a}']).collect();
        let all = format!("{all}\u{fffd}\u{fffe}\u{ffff}\u{10000}€<>&\"\\");
        for escapes in [Escapes::Go, Escapes::Yaml] {
            // Every offset within a word, so that each byte is met in each lane and in the tail.
            for shift in 0..9 {
                let s = format!("{}{all}", "x".repeat(shift));
                assert_eq!(escaped(&s, escapes), reference(&s, escapes), "{escapes:?} shift {shift}");
            }
        }
        assert_eq!(escaped("a<b>&\u{2028}", Escapes::Go), r#""a\u003cb\u003e\u0026\u2028""#);
        assert_eq!(escaped("a<b>&\u{7f}\u{9f}\u{ffff}", Escapes::Yaml), r#""a<b>&\u007f\u009f\uffff""#);
    }

    #[test]
    fn field_names_are_escaped_as_any_string_is_every_time() {
        #[derive(serde::Serialize)]
        struct Odd {
            #[serde(rename = "a<b")]
            angle: bool,
            #[serde(rename = "q\"")]
            quote: bool,
            plain: bool,
        }
        let odd = Odd { angle: true, quote: false, plain: true };
        for (escapes, angle) in [(Escapes::Go, r"a\u003cb"), (Escapes::Yaml, "a<b")] {
            let mut out = Vec::new();
            let mut json = Json::new(&mut out, escapes);
            // Twice: the second time the names are known.
            [&odd, &odd].serialize(&mut json).unwrap();
            json.finish().unwrap();
            let item = format!("{{\n\t\t\"{angle}\": true,\n\t\t\"q\\\"\": false,\n\t\t\"plain\": true\n\t}}");
            assert_eq!(String::from_utf8(out).unwrap(), format!("[\n\t{item},\n\t{item}\n]"), "{escapes:?}");
        }
    }

    #[test]
    fn lanes_do_not_leak_into_each_other() {
        // Bytes just above and below each candidate, in every lane.
        for lane in 0..8 {
            for b in [
                0x1Fu8, 0x20, 0x21, 0x22, 0x23, 0x25, 0x26, 0x27, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F, 0x5B, 0x5C, 0x5D, 0x7E,
                0x7F,
            ] {
                let mut word = [b'a'; 8];
                word[lane] = b;
                let w = u64::from_le_bytes(word);
                for escapes in [Escapes::Go, Escapes::Yaml] {
                    let flags = match escapes {
                        Escapes::Go => candidates::<true>(w),
                        Escapes::Yaml => candidates::<false>(w),
                    };
                    let expected = match escapes {
                        Escapes::Go => matches!(b, 0x00..=0x1F | b'"' | b'\\' | b'<' | b'>' | b'&'),
                        Escapes::Yaml => matches!(b, 0x00..=0x1F | b'"' | b'\\' | 0x7F),
                    };
                    let want = if expected { 0x80u64 << (8 * lane) } else { 0 };
                    assert_eq!(flags, want, "{escapes:?} byte {b:#x} lane {lane}");
                }
            }
        }
    }

    #[test]
    fn the_quick_test_finds_every_candidate_and_nothing_else() {
        // Each byte value at each place of strings of 0 to 20 bytes, among bytes just above and
        // below the candidates (where a borrow or carry would show).
        let fillers = [b'a', 0x21, 0x23, 0x3D, 0x3F, 0x5B, 0x5D, 0x7E, 0x80, 0xC3, 0xE3, 0xFF];
        for len in 0..=20usize {
            for filler in fillers {
                for at in 0..len {
                    for b in 0..=255u8 {
                        let mut s = vec![filler; len];
                        s[at] = b;
                        for (go, table) in [(true, &CANDIDATE_GO), (false, &CANDIDATE_YAML)] {
                            let want = s.iter().any(|&c| table[usize::from(c)]);
                            let got = if go { any_candidate::<true>(&s) } else { any_candidate::<false>(&s) };
                            assert_eq!(got, want, "go {go} len {len} filler {filler:#x} byte {b:#x} at {at}");
                        }
                    }
                }
                let s = vec![filler; len];
                assert!(!any_candidate::<true>(&s) || CANDIDATE_GO[usize::from(filler)]);
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// The wide scan escapes exactly what the character-by-character rule does.
        #[test]
        fn scan_matches_the_rule(s in "[a<>&\"\\\\\u{0}-\u{1f}\u{7f}-\u{a0}\u{2028}\u{2029}\u{fffe}\u{ffff}\u{e9}\u{20ac}\u{1f600}]{0,40}") {
            for escapes in [Escapes::Go, Escapes::Yaml] {
                proptest::prop_assert_eq!(escaped(&s, escapes), reference(&s, escapes));
            }
        }
    }
}
