//! YAML exactly as js-yaml 4.1.0 `dump(tree)` writes it with default options, where `tree` is the
//! JSON export parsed by JavaScript (apig-format.md §4.3, decisions.md D2).
//!
//! A serde `Serializer` that streams: 2-space indentation, block sequences indented under their
//! key, js-yaml's scalar style choice (plain, single-quoted, double-quoted with escapes, literal
//! `|`, folded `>` at its width rule, widths counted in UTF-16 code units as JavaScript does),
//! `{}`/`[]` for empty containers and one trailing newline. Two JavaScript facts are reproduced
//! too: numbers are IEEE doubles printed by `Number.prototype.toString`, and object keys that are
//! array indices (`"0"`, `"17"`, …) come first, in numeric order.
//!
//! js-yaml writes a few strings unquoted that other YAML readers take for numbers: `+.5` (YAML
//! 1.2) and numbers with a trailing underscore such as `1_` (YAML 1.1). The Apig profile keeps
//! that (it is APIG's output); the Strict profile single-quotes every plain scalar that looks
//! numeric to some reader, which changes no value.

use std::fmt::Write as _;
use std::io::{self, Write};

use serde::ser::{self, Serialize};

use super::key::StrKey;
use super::wide::{at_least_0x7f, below_0x20, equal};
use super::{put, Error};
use crate::render::Document;

/// The newtype-struct name that marks a map whose keys are never array indices (paths), so the
/// emitter may stream inside it.
pub(crate) const PLAIN_KEYS: &str = "$apig_export::PlainKeys";

/// 2^53 - 1: integers up to this print identically as doubles.
const MAX_SAFE_INTEGER: u64 = 9_007_199_254_740_991;

/// A newline and the indentation of up to 16 levels: the text before a line is one slice of it.
const NEWLINE_INDENT: &[u8; 33] = b"\n                                ";

/// Bytes held back before they are handed to the sink, when nothing above them may still move.
const FLUSH_AT: usize = 64 * 1024;

/// Writes `doc` as YAML.
pub(crate) fn write<W: Write>(doc: &Document<'_>, strict: bool, out: &mut W) -> io::Result<()> {
    let mut ser = Yaml::new(out, doc.trailer.is_some());
    ser.strict = strict;
    doc.root.serialize(&mut ser).map_err(Error::into_io)?;
    if let Some(trailer) = &doc.trailer {
        ser.append_root_entry("x-apigateway-responses", trailer).map_err(Error::into_io)?;
    }
    ser.finish()
}

/// Writes `value` as YAML to `out`, as js-yaml 4.1.0 `dump()` writes the same value parsed from
/// JSON by JavaScript (numbers as doubles, array-index keys first).
///
/// # Errors
///
/// The sink's errors, and values with no YAML form here (non-string map keys, bytes, enum
/// variants with fields).
pub fn to_writer<W: Write, T: Serialize + ?Sized>(value: &T, out: &mut W) -> io::Result<()> {
    let mut ser = Yaml::new(out, false);
    value.serialize(&mut ser).map_err(Error::into_io)?;
    ser.finish()
}

/// [`to_writer`] into a `String`.
///
/// # Errors
///
/// As [`to_writer`], sink errors aside.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> io::Result<String> {
    let mut out = Vec::new();
    to_writer(value, &mut out)?;
    String::from_utf8(out).map_err(io::Error::other)
}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Self {
        Error(e)
    }
}

type Result<T, E = Error> = std::result::Result<T, E>;

/// Where the next node goes.
#[derive(Clone, Copy, Debug)]
enum Place {
    /// The document itself.
    Root,
    /// The value of a mapping pair; `explicit` after a `? key` line.
    Value { explicit: bool },
    /// An item of a block sequence at `seq_level`; `newline` unless it is the first of a compact one.
    Item { seq_level: usize, newline: bool },
}

#[derive(Clone, Copy, Debug)]
struct Slot {
    level: usize,
    compact: bool,
    place: Place,
}

#[derive(Debug)]
struct Frame {
    map: bool,
    slot: Slot,
    opened: bool,
    count: usize,
    /// A map whose keys are data (not struct fields): an array-index key may reorder it.
    may_reorder: bool,
    /// Absolute start of each entry and its array-index value, if its key is one.
    entries: Vec<(usize, Option<u32>)>,
}

struct Yaml<'w, W: Write> {
    out: &'w mut W,
    buf: Vec<u8>,
    flushed: usize,
    stack: Vec<Frame>,
    slot: Slot,
    pending_key: Option<String>,
    plain_keys_next: bool,
    keep_root_open: bool,
    /// Quote number-like plain scalars (the Strict profile).
    strict: bool,
}

impl<'w, W: Write> Yaml<'w, W> {
    fn new(out: &'w mut W, keep_root_open: bool) -> Self {
        Yaml {
            out,
            buf: Vec::with_capacity(FLUSH_AT + 4096),
            flushed: 0,
            stack: Vec::new(),
            slot: Slot { level: 0, compact: true, place: Place::Root },
            pending_key: None,
            plain_keys_next: false,
            keep_root_open,
            strict: false,
        }
    }

    fn position(&self) -> usize {
        self.flushed + self.buf.len()
    }

    fn newline_indent(&mut self, level: usize) {
        match NEWLINE_INDENT.get(..1 + 2 * level) {
            Some(text) => put(&mut self.buf, text),
            None => {
                self.buf.push(b'\n');
                self.buf.resize(self.buf.len() + 2 * level, b' ');
            }
        }
    }

    /// Writes what precedes a node in `slot` (`": "`, `"- "`, …); `block` is a non-empty container.
    fn lead_in(&mut self, slot: Slot, block: bool) {
        match slot.place {
            Place::Root => {}
            Place::Value { explicit } => self.buf.extend_from_slice(if block && !explicit { b":" } else { b": " }),
            Place::Item { seq_level, newline } => {
                if newline {
                    self.newline_indent(seq_level);
                }
                self.buf.extend_from_slice(b"- ");
            }
        }
    }

    fn scalar_raw(&mut self, text: &str) {
        let slot = self.slot;
        self.lead_in(slot, false);
        self.buf.extend_from_slice(text.as_bytes());
    }

    fn scalar_str(&mut self, s: &str) {
        let slot = self.slot;
        self.lead_in(slot, false);
        write_scalar(&mut self.buf, s, slot.level, false, self.strict);
    }

    fn open(&mut self, map: bool) {
        let may_reorder = map && !std::mem::take(&mut self.plain_keys_next);
        self.stack.push(Frame { map, slot: self.slot, opened: false, count: 0, may_reorder, entries: Vec::new() });
    }

    /// Prepares the top frame for its next child; returns its level and whether it is compact.
    fn child(&mut self) -> Result<(usize, bool, usize)> {
        let frame = self.stack.last_mut().ok_or_else(|| <Error as ser::Error>::custom("no open container"))?;
        let (slot, opened, count) = (frame.slot, frame.opened, frame.count);
        frame.opened = true;
        if !opened {
            self.lead_in(slot, true);
        }
        Ok((slot.level, slot.compact, count))
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let (level, compact, count) = self.child()?;
        self.slot = Slot {
            level: level + 1,
            compact: true,
            place: Place::Item { seq_level: level, newline: !compact || count > 0 },
        };
        value.serialize(&mut *self)?;
        self.finish_child(None)
    }

    fn entry<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<()> {
        let (level, compact, count) = self.child()?;
        let start = self.position();
        if !compact || count > 0 {
            self.newline_indent(level);
        }
        let key_start = self.buf.len();
        write_scalar(&mut self.buf, key, level + 1, true, self.strict);
        let written = self.buf.get(key_start..).unwrap_or_default();
        // UTF-16 units never outnumber bytes: only a long key needs counting.
        let explicit = written.len() > 1024 && utf16_len(written) > 1024;
        if explicit {
            self.buf.splice(key_start..key_start, b"? ".iter().copied());
            self.newline_indent(level);
        }
        self.slot = Slot { level: level + 1, compact: explicit, place: Place::Value { explicit } };
        value.serialize(&mut *self)?;
        self.finish_child(Some((start, array_index(key))))
    }

    fn finish_child(&mut self, entry: Option<(usize, Option<u32>)>) -> Result<()> {
        if let Some(frame) = self.stack.last_mut() {
            frame.count += 1;
            if let Some(e) = entry {
                if frame.may_reorder {
                    frame.entries.push(e);
                }
            }
        }
        if self.buf.len() >= FLUSH_AT && self.stack.iter().all(|f| !f.may_reorder) {
            self.out.write_all(&self.buf)?;
            self.flushed += self.buf.len();
            self.buf.clear();
        }
        Ok(())
    }

    fn close(&mut self) -> Result<()> {
        if self.keep_root_open && self.stack.len() == 1 {
            return Ok(());
        }
        let frame = self.stack.pop().ok_or_else(|| <Error as ser::Error>::custom("no open container"))?;
        if frame.count == 0 {
            self.lead_in(frame.slot, false);
            self.buf.extend_from_slice(if frame.map { b"{}" } else { b"[]" });
        } else if frame.entries.iter().any(|(_, index)| index.is_some()) {
            self.reorder(&frame);
        }
        Ok(())
    }

    /// Puts array-index keys first, in numeric order, as JavaScript's `Object.keys` does.
    fn reorder(&mut self, frame: &Frame) {
        let level = frame.slot.level;
        let prefix_len = |i: usize| if i == 0 && frame.slot.compact { 0 } else { 1 + 2 * level };
        let starts: Vec<usize> = frame.entries.iter().map(|(s, _)| s.saturating_sub(self.flushed)).collect();
        let Some(&first) = starts.first() else { return };
        let bodies: Vec<Vec<u8>> = (0..starts.len())
            .map(|i| {
                let from = starts.get(i).copied().unwrap_or(first) + prefix_len(i);
                let to = starts.get(i + 1).copied().unwrap_or(self.buf.len());
                self.buf.get(from..to).unwrap_or_default().to_vec()
            })
            .collect();
        let mut order: Vec<usize> = (0..bodies.len()).collect();
        order.sort_by_key(|&i| match frame.entries.get(i).and_then(|e| e.1) {
            Some(n) => (0, u64::from(n), i),
            None => (1, 0, i),
        });
        self.buf.truncate(first);
        for (pos, i) in order.into_iter().enumerate() {
            if prefix_len(pos) > 0 {
                self.newline_indent(level);
            }
            self.buf.extend_from_slice(bodies.get(i).map(Vec::as_slice).unwrap_or_default());
        }
    }

    fn append_root_entry<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<()> {
        self.entry(key, value)?;
        self.keep_root_open = false;
        self.close()
    }

    fn finish(mut self) -> io::Result<()> {
        self.buf.push(b'\n');
        self.out.write_all(&self.buf)
    }
}

impl<W: Write> ser::Serializer for &mut Yaml<'_, W> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_bool(self, v: bool) -> Result<()> {
        self.scalar_raw(if v { "true" } else { "false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<()> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<()> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<()> {
        self.serialize_f64(f64::from(v))
    }
    #[allow(clippy::cast_precision_loss)] // JavaScript numbers are doubles: the loss is the point
    fn serialize_i64(self, v: i64) -> Result<()> {
        if v.unsigned_abs() <= MAX_SAFE_INTEGER {
            // A safe integer prints the same in JavaScript.
            let slot = self.slot;
            self.lead_in(slot, false);
            let _ = write!(self.buf, "{v}");
            return Ok(());
        }
        self.serialize_f64(v as f64)
    }
    fn serialize_u8(self, v: u8) -> Result<()> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<()> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<()> {
        self.serialize_f64(f64::from(v))
    }
    #[allow(clippy::cast_precision_loss)]
    fn serialize_u64(self, v: u64) -> Result<()> {
        if v <= MAX_SAFE_INTEGER {
            let slot = self.slot;
            self.lead_in(slot, false);
            let _ = write!(self.buf, "{v}");
            return Ok(());
        }
        self.serialize_f64(v as f64)
    }
    fn serialize_f32(self, v: f32) -> Result<()> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<()> {
        let text = js_yaml_number(v);
        self.scalar_raw(&text);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<()> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<()> {
        self.scalar_str(v);
        Ok(())
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<()> {
        Err(ser::Error::custom("bytes have no YAML form here"))
    }
    fn serialize_none(self) -> Result<()> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<()> {
        self.scalar_raw("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<()> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<()> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, name: &'static str, value: &T) -> Result<()> {
        self.plain_keys_next = name == PLAIN_KEYS;
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<()> {
        self.open(true);
        self.entry(variant, value)?;
        self.close()
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self> {
        self.open(false);
        Ok(self)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Self> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(ser::Error::custom("tuple variants have no YAML form here"))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self> {
        self.open(true);
        Ok(self)
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self> {
        self.open(true);
        if let Some(frame) = self.stack.last_mut() {
            frame.may_reorder = false;
        }
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(ser::Error::custom("struct variants have no YAML form here"))
    }
}

impl<W: Write> ser::SerializeSeq for &mut Yaml<'_, W> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }
    fn end(self) -> Result<()> {
        self.close()
    }
}

impl<W: Write> ser::SerializeTuple for &mut Yaml<'_, W> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }
    fn end(self) -> Result<()> {
        self.close()
    }
}

impl<W: Write> ser::SerializeTupleStruct for &mut Yaml<'_, W> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }
    fn end(self) -> Result<()> {
        self.close()
    }
}

impl<W: Write> ser::SerializeMap for &mut Yaml<'_, W> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        self.pending_key = Some(key.serialize(StrKey::<_, Error>::new(str::to_owned))?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let key = self.pending_key.take().ok_or_else(|| <Error as ser::Error>::custom("value without a key"))?;
        self.entry(&key, value)
    }
    fn serialize_entry<K: Serialize + ?Sized, V: Serialize + ?Sized>(&mut self, key: &K, value: &V) -> Result<()> {
        let key = key.serialize(StrKey::<_, Error>::new(str::to_owned))?;
        self.entry(&key, value)
    }
    fn end(self) -> Result<()> {
        self.close()
    }
}

impl<W: Write> ser::SerializeStruct for &mut Yaml<'_, W> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<()> {
        self.entry(key, value)
    }
    fn end(self) -> Result<()> {
        self.close()
    }
}

/// `Some(n)` when JavaScript treats `key` as an array index: `0` or `[1-9][0-9]*`, at most 2^32 - 2.
fn array_index(key: &str) -> Option<u32> {
    let b = key.as_bytes();
    let canonical = !b.is_empty()
        && b.len() <= 10
        && b.iter().all(u8::is_ascii_digit)
        && (b.len() == 1 || b.first() != Some(&b'0'));
    if !canonical {
        return None;
    }
    key.parse::<u64>().ok().filter(|&n| n <= 4_294_967_294).and_then(|n| u32::try_from(n).ok())
}

// ---------------------------------------------------------------------------------------------
// Scalars

/// `Number.prototype.toString(10)` as js-yaml's int / float types print it.
pub(crate) fn js_yaml_number(v: f64) -> String {
    if v.is_nan() {
        return ".nan".to_owned();
    }
    if v.is_infinite() {
        return if v > 0.0 { ".inf".to_owned() } else { "-.inf".to_owned() };
    }
    if v == 0.0 {
        return if v.is_sign_negative() { "-0.0".to_owned() } else { "0".to_owned() };
    }
    let text = js_number_to_string(v);
    if v.fract() != 0.0 {
        // SCIENTIFIC_WITHOUT_DOT: `5e-7` becomes `5.e-7`.
        let digits_then_e = {
            let t = text.strip_prefix(['-', '+']).unwrap_or(&text);
            let d = t.bytes().take_while(u8::is_ascii_digit).count();
            d > 0 && t.as_bytes().get(d) == Some(&b'e')
        };
        if digits_then_e {
            return text.replacen('e', ".e", 1);
        }
    }
    text
}

/// ECMAScript `Number::toString` for a finite, non-zero double.
fn js_number_to_string(v: f64) -> String {
    if v < 0.0 {
        return format!("-{}", js_number_to_string(-v));
    }
    // Shortest round-trip digits and exponent, from Rust's own shortest formatting.
    let sci = format!("{v:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    let k = digits.len() as i64;
    let n = exp.parse::<i64>().unwrap_or(0) + 1;
    let zeros = |count: i64| "0".repeat(usize::try_from(count).unwrap_or(0));
    if k <= n && n <= 21 {
        format!("{digits}{}", zeros(n - k))
    } else if 0 < n && n <= 21 {
        let (int, frac) = digits.split_at(usize::try_from(n).unwrap_or(0));
        format!("{int}.{frac}")
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", zeros(-n))
    } else {
        let e = n - 1;
        let sign = if e >= 0 { '+' } else { '-' };
        let (first, rest) = digits.split_at(1);
        if rest.is_empty() {
            format!("{first}e{sign}{}", e.abs())
        } else {
            format!("{first}.{rest}e{sign}{}", e.abs())
        }
    }
}

fn utf16_len(bytes: &[u8]) -> usize {
    std::str::from_utf8(bytes).map_or(bytes.len(), |s| s.encode_utf16().count())
}

fn is_printable(c: char) -> bool {
    let c = u32::from(c);
    (0x20..=0x7E).contains(&c)
        || ((0xA1..=0xD7FF).contains(&c) && c != 0x2028 && c != 0x2029)
        || ((0xE000..=0xFFFD).contains(&c) && c != 0xFEFF)
        || (0x10000..=0x10FFFF).contains(&c)
}

fn is_white(c: char) -> bool {
    c == ' ' || c == '\t'
}

fn plain_safe_first(c: char) -> bool {
    is_printable(c) && !is_white(c) && !"-?:,[]{}#&*!|=>'\"%@`".contains(c)
}

fn plain_safe_last(c: char) -> bool {
    !is_white(c) && c != ':'
}

/// js-yaml's `isPlainSafe` in block context.
fn plain_safe(c: char, prev: Option<char>) -> bool {
    let ns_or_white = is_printable(c);
    let ns = ns_or_white && !is_white(c);
    (ns_or_white && c != '#' && (ns || prev != Some(':')))
        || (prev.is_some_and(|p| is_printable(p) && !is_white(p)) && c == '#')
        || (prev == Some(':') && ns)
}

/// YAML 1.1 booleans, which js-yaml single-quotes (`DEPRECATED_BOOLEANS_SYNTAX`).
const DEPRECATED_BOOLEANS: [&str; 16] =
    ["y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N", "no", "No", "NO", "off", "Off", "OFF"];

/// Words js-yaml's default schema reads as null, a boolean or a merge key.
const TYPED_WORDS: [&str; 11] = ["~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "<<"];

/// No word of [`DEPRECATED_BOOLEANS`] is longer: longer scalars skip the list.
const LONGEST_BOOLEAN: usize = 3;
/// No word of [`DEPRECATED_BOOLEANS`] or [`TYPED_WORDS`] is longer: longer scalars skip both.
const LONGEST_WORD: usize = 5;
// Evaluated at compile time: a longer word, or an index out of bounds, fails the build.
#[allow(clippy::indexing_slicing)]
const _: () = {
    let mut i = 0;
    while i < DEPRECATED_BOOLEANS.len() {
        assert!(DEPRECATED_BOOLEANS[i].len() <= LONGEST_BOOLEAN);
        i += 1;
    }
    let mut i = 0;
    while i < TYPED_WORDS.len() {
        assert!(TYPED_WORDS[i].len() <= LONGEST_WORD);
        i += 1;
    }
};

/// Whether js-yaml's default schema would read `s` as something other than a string.
fn is_ambiguous(s: &str) -> bool {
    (s.len() <= LONGEST_WORD && TYPED_WORDS.contains(&s))
        || resolves_int(s.as_bytes())
        || resolves_float(s.as_bytes())
        || resolves_timestamp(s.as_bytes())
}

fn resolves_int(d: &[u8]) -> bool {
    let at = |i: usize| d.get(i).copied();
    let mut i = 0;
    let mut ch = at(0);
    if ch.is_none() {
        return false;
    }
    if ch == Some(b'-') || ch == Some(b'+') {
        i += 1;
        ch = at(i);
    }
    if ch == Some(b'0') {
        if i + 1 == d.len() {
            return true;
        }
        i += 1;
        ch = at(i);
        let radix: Option<fn(u8) -> bool> = match ch {
            Some(b'b') => Some(|c| c == b'0' || c == b'1'),
            Some(b'x') => Some(|c: u8| c.is_ascii_hexdigit()),
            Some(b'o') => Some(|c| (b'0'..=b'7').contains(&c)),
            _ => None,
        };
        if let Some(ok) = radix {
            let mut has_digits = false;
            let mut last = ch;
            for &c in d.iter().skip(i + 1) {
                last = Some(c);
                if c == b'_' {
                    continue;
                }
                if !ok(c) {
                    return false;
                }
                has_digits = true;
            }
            return has_digits && last != Some(b'_');
        }
    }
    if ch == Some(b'_') {
        return false;
    }
    let mut has_digits = false;
    let mut last = ch;
    for &c in d.iter().skip(i) {
        last = Some(c);
        if c == b'_' {
            continue;
        }
        if !c.is_ascii_digit() {
            return false;
        }
        has_digits = true;
    }
    has_digits && last != Some(b'_')
}

/// `^(?:[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9_]+(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$`,
/// not ending with `_`.
fn resolves_float(d: &[u8]) -> bool {
    if d.last() == Some(&b'_') {
        return false;
    }
    let digits_us = |s: &[u8]| s.iter().all(|c| c.is_ascii_digit() || *c == b'_');
    let exponent = |s: &[u8]| -> bool {
        match s.split_first() {
            None => true,
            Some((e, rest)) if *e == b'e' || *e == b'E' => {
                let rest = rest.strip_prefix(b"-").or_else(|| rest.strip_prefix(b"+")).unwrap_or(rest);
                !rest.is_empty() && rest.iter().all(u8::is_ascii_digit)
            }
            Some(_) => false,
        }
    };
    let unsigned = d.strip_prefix(b"-").or_else(|| d.strip_prefix(b"+")).unwrap_or(d);
    if matches!(unsigned, b".inf" | b".Inf" | b".INF") || matches!(d, b".nan" | b".NaN" | b".NAN") {
        return true;
    }
    // [-+]?[0-9][0-9_]*(\.[0-9_]*)?(e..)?
    if unsigned.first().is_some_and(u8::is_ascii_digit) {
        let int_end = unsigned.iter().position(|c| !(c.is_ascii_digit() || *c == b'_')).unwrap_or(unsigned.len());
        let rest = unsigned.get(int_end..).unwrap_or_default();
        let rest = match rest.strip_prefix(b".") {
            Some(r) => {
                let frac_end = r.iter().position(|c| !(c.is_ascii_digit() || *c == b'_')).unwrap_or(r.len());
                r.get(frac_end..).unwrap_or_default()
            }
            None => rest,
        };
        if exponent(rest) {
            return true;
        }
    }
    // \.[0-9_]+(e..)?   (no sign)
    if let Some(r) = d.strip_prefix(b".") {
        let frac_end = r.iter().position(|c| !(c.is_ascii_digit() || *c == b'_')).unwrap_or(r.len());
        if frac_end > 0
            && digits_us(r.get(..frac_end).unwrap_or_default())
            && exponent(r.get(frac_end..).unwrap_or_default())
        {
            return true;
        }
    }
    false
}

/// `^\d{4}-\d\d-\d\d$` or js-yaml's timestamp pattern.
fn resolves_timestamp(d: &[u8]) -> bool {
    let digit = |i: usize| d.get(i).is_some_and(u8::is_ascii_digit);
    if d.len() == 10
        && (0..4).all(digit)
        && d.get(4) == Some(&b'-')
        && digit(5)
        && digit(6)
        && d.get(7) == Some(&b'-')
        && digit(8)
        && digit(9)
    {
        return true;
    }
    let mut p = Cursor { d, i: 0 };
    (|| {
        p.digits(4, 4)?;
        p.byte(b'-')?;
        p.digits(1, 2)?;
        p.byte(b'-')?;
        p.digits(1, 2)?;
        let separated = p.byte(b'T').is_some() || p.byte(b't').is_some() || p.many(|c| c == b' ' || c == b'\t') > 0;
        if !separated {
            return None;
        }
        p.digits(1, 2)?;
        p.byte(b':')?;
        p.digits(2, 2)?;
        p.byte(b':')?;
        p.digits(2, 2)?;
        if p.byte(b'.').is_some() {
            p.many(|c| c.is_ascii_digit());
        }
        let before_tz = p.i;
        p.many(|c| c == b' ' || c == b'\t');
        if p.byte(b'Z').is_none() {
            if p.byte(b'-').is_some() || p.byte(b'+').is_some() {
                p.digits(1, 2)?;
                let save = p.i;
                if p.byte(b':').is_some() && p.digits(2, 2).is_none() {
                    p.i = save;
                }
            } else {
                p.i = before_tz;
            }
        }
        (p.i == d.len()).then_some(())
    })()
    .is_some()
}

struct Cursor<'d> {
    d: &'d [u8],
    i: usize,
}

impl Cursor<'_> {
    fn byte(&mut self, b: u8) -> Option<()> {
        (self.d.get(self.i) == Some(&b)).then(|| self.i += 1)
    }
    fn many(&mut self, ok: impl Fn(u8) -> bool) -> usize {
        let n = self.d.get(self.i..).unwrap_or_default().iter().take_while(|c| ok(**c)).count();
        self.i += n;
        n
    }
    /// `min` to `max` digits, greedy (the patterns' `[0-9][0-9]?` backtracking is not needed:
    /// what follows a digit group is never a digit).
    fn digits(&mut self, min: usize, max: usize) -> Option<()> {
        let n = self.d.get(self.i..).unwrap_or_default().iter().take(max).take_while(|c| c.is_ascii_digit()).count();
        (n >= min).then(|| self.i += n)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Literal,
    Folded,
    Double,
}

fn deprecated_boolean_or_base60(s: &str) -> bool {
    if s.len() <= LONGEST_BOOLEAN && DEPRECATED_BOOLEANS.contains(&s) {
        return true;
    }
    // ^[-+]?[0-9_]+(?::[0-9_]+)+(?:\.[0-9_]*)?$
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    if !body.starts_with(|c: char| c.is_ascii_digit() || c == '_') {
        return false;
    }
    let (main, frac) = match body.split_once('.') {
        Some((m, f)) => (m, Some(f)),
        None => (body, None),
    };
    let part = |p: &str| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit() || c == b'_');
    let (mut parts, mut all_digits) = (0usize, true);
    for p in main.split(':') {
        parts += 1;
        all_digits = all_digits && part(p);
    }
    parts >= 2 && all_digits && frac.is_none_or(|f| f.bytes().all(|c| c.is_ascii_digit() || c == b'_'))
}

/// js-yaml's `chooseScalarStyle` for block context (single-line only for keys).
fn choose_style(s: &str, single_line_only: bool, width: usize) -> Style {
    let first = s.chars().next();
    let last = s.chars().next_back();
    let mut plain = first.is_some_and(plain_safe_first) && last.is_some_and(plain_safe_last);
    let mut prev: Option<char> = None;
    let mut has_line_break = false;
    let mut foldable = false;
    let mut i = 0usize; // UTF-16 index
    let mut line_start_index = 0usize;
    let mut at_line_start = true;
    let mut line_first_space = false;
    for c in s.chars() {
        if at_line_start {
            line_first_space = c == ' ';
            at_line_start = false;
        }
        if !single_line_only && c == '\n' {
            has_line_break = true;
            foldable = foldable || (i - line_start_index > width && !line_first_space);
            line_start_index = i + 1;
            at_line_start = true;
        } else if !is_printable(c) {
            return Style::Double;
        }
        plain = plain && plain_safe(c, prev);
        prev = Some(c);
        i += c.len_utf16();
    }
    if at_line_start {
        line_first_space = false;
    }
    if !single_line_only {
        foldable = foldable || (i - line_start_index > width && !line_first_space);
    }
    if !has_line_break && !foldable {
        return if plain && !is_ambiguous(s) { Style::Plain } else { Style::Single };
    }
    if foldable {
        Style::Folded
    } else {
        Style::Literal
    }
}

/// What [`choose_style`] reads of a string made only of printable ASCII (U+0020 to U+007E),
/// found in one scan, eight bytes per step: whether it holds `": "` or `" #"`, the only pairs that
/// keep such a string from being plain. `None` for any other string.
fn printable_ascii(bytes: &[u8]) -> Option<bool> {
    let (mut other, mut pairs, mut after_colon, mut after_space) = (0u64, 0u64, 0u64, 0u64);
    let mut step = |word: u64| {
        other |= below_0x20(word) | at_least_0x7f(word);
        let (colon, space, hash) = (equal(word, b':'), equal(word, b' '), equal(word, b'#'));
        // A flag moved up one byte marks the byte after; the last byte's carries into the next word.
        pairs |= (((colon << 8) | after_colon) & space) | (((space << 8) | after_space) & hash);
        (after_colon, after_space) = (colon >> 56, space >> 56);
    };
    let mut rest = bytes;
    while let Some((word, tail)) = rest.split_first_chunk::<8>() {
        step(u64::from_le_bytes(*word));
        rest = tail;
    }
    if !rest.is_empty() {
        // The last few bytes, padded with a letter, which none of the tests flags.
        let mut word = [b'a'; 8];
        word.iter_mut().zip(rest).for_each(|(w, b)| *w = *b);
        step(u64::from_le_bytes(word));
    }
    (other == 0).then_some(pairs != 0)
}

/// [`choose_style`] for a string of printable ASCII, given whether it holds `": "` or `" #"`:
/// it has no line break and no character to escape, its width is its length, and in it only
/// those pairs make a character unsafe in a plain scalar (a leading `#` fails the first-character test).
fn ascii_style(s: &str, pairs: bool, single_line_only: bool, width: usize) -> Style {
    let b = s.as_bytes();
    if !single_line_only && b.len() > width && b.first() != Some(&b' ') {
        return Style::Folded;
    }
    let plain =
        !pairs && s.chars().next().is_some_and(plain_safe_first) && s.chars().next_back().is_some_and(plain_safe_last);
    if plain && !is_ambiguous(s) {
        Style::Plain
    } else {
        Style::Single
    }
}

/// A fast path for the most common scalars: short, starting with a letter, `/` or `_`, not ending
/// with a space, made of characters that never need quoting in block context (spaces included:
/// without `:` and `#` they are plain), and not one of the words js-yaml quotes.
/// Such a string is written plain by every rule below (no other type resolves from it).
fn obviously_plain(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() <= 40
        && b.first().is_some_and(|c| c.is_ascii_alphabetic() || *c == b'/' || *c == b'_')
        && b.last() != Some(&b' ')
        // Without an early exit: no branch per byte (the scalars are short).
        && b.iter().fold(true, |all, &c| all & PLAIN_BYTES.get(usize::from(c)).copied().unwrap_or(false))
        && (b.len() > LONGEST_WORD || (!DEPRECATED_BOOLEANS.contains(&s) && !TYPED_WORDS.contains(&s)))
}

/// The bytes [`obviously_plain`] accepts anywhere: ASCII letters, digits and ` _-./{}$+()=`.
// Evaluated at compile time: an index out of bounds would fail the build, not panic.
#[allow(clippy::indexing_slicing)]
const PLAIN_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        table[c] = b.is_ascii_alphanumeric()
            || matches!(b, b' ' | b'_' | b'-' | b'.' | b'/' | b'{' | b'}' | b'$' | b'+' | b'(' | b')' | b'=');
        c += 1;
    }
    table
};

/// Whether some YAML reader may take `s` for a number: YAML 1.1 or 1.2 integer, float or
/// sexagesimal notation (`_` anywhere, as YAML 1.1 allows), after an optional sign. Slightly
/// broader than any one reader: quoting a string never changes its value.
/// Deliberately broad: quoting a string never changes its value.
fn number_like(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let all = |t: &str, ok: fn(char) -> bool| !t.is_empty() && t.chars().all(|c| ok(c) || c == '_');
    if let Some(hex) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        return all(hex, |c| c.is_ascii_hexdigit());
    }
    if let Some(oct) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
        return all(oct, |c| ('0'..='7').contains(&c));
    }
    if let Some(bin) = body.strip_prefix("0b") {
        return all(bin, |c| c == '0' || c == '1');
    }
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (body.get(..i).unwrap_or_default(), body.get(i + 1..)),
        None => (body, None),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
        !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
    });
    let dot = mantissa.find('.');
    mantissa.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && mantissa.chars().all(|c| c.is_ascii_digit() || "_.:".contains(c))
        && mantissa.matches('.').count() <= 1
        && dot.is_none_or(|d| !mantissa.get(d..).unwrap_or_default().contains(':'))
        && exponent_ok
}

/// Writes `s` as js-yaml's `writeScalar` would at `level`; `strict` also quotes number-like
/// plain scalars.
fn write_scalar(out: &mut Vec<u8>, s: &str, level: usize, is_key: bool, strict: bool) {
    if obviously_plain(s) {
        put(out, s.as_bytes());
        return;
    }
    if s.is_empty() {
        out.extend_from_slice(b"''");
        return;
    }
    if deprecated_boolean_or_base60(s) {
        out.push(b'\'');
        out.extend_from_slice(s.as_bytes());
        out.push(b'\'');
        return;
    }
    let indent = 2 * level.max(1);
    let width = 40usize.max(80usize.saturating_sub(indent));
    let style = match printable_ascii(s.as_bytes()) {
        Some(pairs) => ascii_style(s, pairs, is_key, width),
        None => choose_style(s, is_key, width),
    };
    match style {
        Style::Plain if !(strict && number_like(s)) => put(out, s.as_bytes()),
        Style::Plain | Style::Single => {
            out.push(b'\'');
            for part in s.split('\'').enumerate() {
                if part.0 > 0 {
                    out.extend_from_slice(b"''");
                }
                out.extend_from_slice(part.1.as_bytes());
            }
            out.push(b'\'');
        }
        Style::Double => {
            out.push(b'"');
            escape_double(out, s);
            out.push(b'"');
        }
        Style::Literal => {
            out.push(b'|');
            block_header(out, s);
            indent_lines(out, s, indent);
        }
        Style::Folded => {
            out.push(b'>');
            block_header(out, s);
            indent_lines(out, &fold_string(s, width), indent);
        }
    }
}

fn block_header(out: &mut Vec<u8>, s: &str) {
    if s.trim_start_matches('\n').starts_with(' ') {
        out.push(b'2');
    }
    let clip = s.ends_with('\n');
    let keep = clip && (s.ends_with("\n\n") || s == "\n");
    if keep {
        out.push(b'+');
    } else if !clip {
        out.push(b'-');
    }
    out.push(b'\n');
}

/// `dropEndingNewline(indentString(s, spaces))`: empty lines stay unindented.
fn indent_lines(out: &mut Vec<u8>, s: &str, spaces: usize) {
    let body = s.strip_suffix('\n').unwrap_or(s);
    for (n, line) in body.split('\n').enumerate() {
        if n > 0 {
            out.push(b'\n');
        }
        if !line.is_empty() {
            out.resize(out.len() + spaces, b' ');
            out.extend_from_slice(line.as_bytes());
        }
    }
}

fn escape_double(out: &mut Vec<u8>, s: &str) {
    let mut text = String::new();
    for c in s.chars() {
        let seq = match c {
            '\0' => Some("\\0"),
            '\u{7}' => Some("\\a"),
            '\u{8}' => Some("\\b"),
            '\t' => Some("\\t"),
            '\n' => Some("\\n"),
            '\u{b}' => Some("\\v"),
            '\u{c}' => Some("\\f"),
            '\r' => Some("\\r"),
            '\u{1b}' => Some("\\e"),
            '"' => Some("\\\""),
            '\\' => Some("\\\\"),
            '\u{85}' => Some("\\N"),
            '\u{a0}' => Some("\\_"),
            '\u{2028}' => Some("\\L"),
            '\u{2029}' => Some("\\P"),
            _ => None,
        };
        match seq {
            Some(seq) => text.push_str(seq),
            None if is_printable(c) => text.push(c),
            None => {
                let code = u32::from(c);
                let _ = match code {
                    0..=0xFF => write!(text, "\\x{code:02X}"),
                    0x100..=0xFFFF => write!(text, "\\u{code:04X}"),
                    _ => write!(text, "\\U{code:08X}"),
                };
            }
        }
    }
    out.extend_from_slice(text.as_bytes());
}

/// js-yaml's `foldString`, on UTF-16 code units.
fn fold_string(s: &str, width: usize) -> String {
    // js-yaml counts UTF-16 units; in ASCII text those are the bytes.
    if s.is_ascii() {
        let folded = fold_units(s.as_bytes(), width, b'\n', b' ');
        String::from_utf8(folded).unwrap_or_default()
    } else {
        let units: Vec<u16> = s.encode_utf16().collect();
        String::from_utf16_lossy(&fold_units(&units, width, u16::from(b'\n'), u16::from(b' ')))
    }
}

/// js-yaml's `foldString` over code units, `nl` and `sp` being the newline and the space.
fn fold_units<T: Copy + PartialEq>(units: &[T], width: usize, nl: T, sp: T) -> Vec<T> {
    let first_lf = units.iter().position(|&u| u == nl).unwrap_or(units.len());
    let mut result: Vec<T> = Vec::with_capacity(units.len() + units.len() / 16 + 8);
    fold_line(&mut result, units.get(..first_lf).unwrap_or_default(), width, nl, sp);
    let mut prev_more_indented = units.first().is_some_and(|&u| u == nl || u == sp);
    let mut i = first_lf;
    while i < units.len() {
        let newlines = units.get(i..).unwrap_or_default().iter().take_while(|&&u| u == nl).count();
        let line_start = i + newlines;
        let line_len = units.get(line_start..).unwrap_or_default().iter().take_while(|&&u| u != nl).count();
        let line = units.get(line_start..line_start + line_len).unwrap_or_default();
        let more_indented = line.first() == Some(&sp);
        result.extend(std::iter::repeat_n(nl, newlines));
        if !prev_more_indented && !more_indented && !line.is_empty() {
            result.push(nl);
        }
        fold_line(&mut result, line, width, nl, sp);
        prev_more_indented = more_indented;
        i = line_start + line_len;
    }
    result
}

/// js-yaml's greedy `foldLine`, appended to `out`: breaks only at a space followed by a non-space.
fn fold_line<T: Copy + PartialEq>(out: &mut Vec<T>, line: &[T], width: usize, nl: T, sp: T) {
    if line.is_empty() || line.first() == Some(&sp) {
        out.extend_from_slice(line);
        return;
    }
    let slice = |a: usize, b: usize| line.get(a..b).unwrap_or_default();
    let (mut start, mut curr) = (0usize, 0usize);
    // Every break but the first is preceded by a newline.
    let mut broken = false;
    let mut j = 0;
    while j + 1 < line.len() {
        if line.get(j) == Some(&sp) && line.get(j + 1) != Some(&sp) {
            let next = j;
            if next - start > width {
                let end = if curr > start { curr } else { next };
                if broken {
                    out.push(nl);
                }
                broken = true;
                out.extend_from_slice(slice(start, end));
                start = end + 1;
            }
            curr = next;
            j += 2;
        } else {
            j += 1;
        }
    }
    if broken {
        out.push(nl);
    }
    if line.len() - start > width && curr > start {
        out.extend_from_slice(slice(start, curr));
        out.push(nl);
        out.extend_from_slice(slice(curr + 1, line.len()));
    } else {
        out.extend_from_slice(slice(start, line.len()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalar(s: &str, level: usize) -> String {
        let mut out = Vec::new();
        write_scalar(&mut out, s, level, false, false);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn numbers_print_as_javascript_does() {
        for (v, text) in [
            (0.0, "0"),
            (-0.0, "-0.0"),
            (5.0, "5"),
            (-12.0, "-12"),
            (1.5, "1.5"),
            (0.1, "0.1"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (1.5e300, "1.5e+300"),
            (5e-7, "5.e-7"),
            (1.25e-7, "1.25e-7"),
            (0.000001, "0.000001"),
            (9007199254740993.0, "9007199254740992"),
        ] {
            assert_eq!(js_yaml_number(v), text, "{v}");
        }
    }

    #[test]
    fn array_indices() {
        assert_eq!(array_index("0"), Some(0));
        assert_eq!(array_index("4294967294"), Some(4_294_967_294));
        for not in ["", "01", "-1", "4294967295", "1.0", " 1", "a"] {
            assert_eq!(array_index(not), None, "{not:?}");
        }
    }

    #[test]
    fn scalar_styles() {
        assert_eq!(scalar("", 1), "''");
        assert_eq!(scalar("yes", 1), "'yes'");
        assert_eq!(scalar("12:30", 1), "'12:30'");
        assert_eq!(scalar("2026-06-18-14:32:33", 1), "2026-06-18-14:32:33");
        assert_eq!(scalar("1_000", 1), "'1_000'");
        assert_eq!(scalar("2024-01-02", 1), "'2024-01-02'");
        assert_eq!(scalar("it's", 1), "it's");
        assert_eq!(scalar("'q'", 1), "'''q'''");
        assert_eq!(scalar("a\tb", 1), "\"a\\tb\"");
        assert_eq!(scalar("a\nb", 1), "|-\n  a\n  b");
        assert_eq!(scalar(" a\n", 2), "|2\n     a");
        assert_eq!(scalar("/users/{id}", 1), "/users/{id}");
        // js-yaml's quirks, kept in the Apig profile...
        assert_eq!(scalar("+.5", 1), "+.5");
        assert_eq!(scalar("1_", 1), "1_");
        // ...and quoted in the Strict profile.
        for (s, quoted) in [
            ("+.5", "'+.5'"),
            ("1_", "'1_'"),
            ("3.46_", "'3.46_'"),
            ("0x1F_", "'0x1F_'"),
            ("abc", "abc"),
            ("v1.0", "v1.0"),
            ("2026-06-18-14:32:33", "2026-06-18-14:32:33"),
            ("1e+3_", "1e+3_"),
            ("1.1.1.1:443", "1.1.1.1:443"),
            ("3f2a9c", "3f2a9c"),
            ("0x3f_", "'0x3f_'"),
            ("190:20:30.1_", "'190:20:30.1_'"),
        ] {
            let mut out = Vec::new();
            write_scalar(&mut out, s, 1, false, true);
            assert_eq!(String::from_utf8(out).unwrap(), quoted, "{s}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// The one-scan style of a printable ASCII string is the character-by-character one.
        #[test]
        fn ascii_style_matches_choose_style(s in "[ -~]{0,120}|[a :#'-]{0,90}|[a:# \t\n\u{7f}\u{e9}]{0,20}", key: bool, width in 40usize..80) {
            let chosen = choose_style(&s, key, width);
            match printable_ascii(s.as_bytes()) {
                Some(pairs) => {
                    proptest::prop_assert_eq!(pairs, s.contains(": ") || s.contains(" #"));
                    proptest::prop_assert_eq!(ascii_style(&s, pairs, key, width), chosen);
                }
                None => proptest::prop_assert!(!s.bytes().all(|b| (0x20..0x7f).contains(&b))),
            }
        }

        /// Folding ASCII text byte by byte gives what folding its UTF-16 units gives.
        #[test]
        fn ascii_folding_matches_utf16_folding(s in "[a-z :{}\"\n]{0,400}", width in 1usize..100) {
            let units: Vec<u16> = s.encode_utf16().collect();
            let by_units = String::from_utf16_lossy(&fold_units(&units, width, u16::from(b'\n'), u16::from(b' ')));
            proptest::prop_assert_eq!(fold_string(&s, width), by_units);
        }
    }
}
