//! YAML exactly as js-yaml 4.1.0 `dump(tree)` writes it with default options, where `tree` is the
//! JSON export parsed by JavaScript: APIG's YAML is its JSON document put through js-yaml.
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

use std::io::{self, Write};

use serde::ser::{self, Serialize};

mod number;
mod resolve;
mod scalar;

use scalar::*;

// The import's YAML reader resolves plain scalars and prints numbers as this writer does.
pub(crate) use number::js_yaml_number;
pub(crate) use resolve::{resolves_float, resolves_int};

use crate::emit::key::{FieldNames, StrKey};
use crate::emit::{put, Error};
use crate::render::Document;

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
pub fn to_writer<W: Write, T: Serialize + ?Sized>(value: &T, out: &mut W) -> Result<(), Error> {
    let mut ser = Yaml::new(out, false);
    value.serialize(&mut ser)?;
    Ok(ser.finish()?)
}

/// [`to_writer`] into a `String`.
///
/// # Errors
///
/// As [`to_writer`], sink errors aside.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    let mut out = Vec::new();
    to_writer(value, &mut out)?;
    // The writer writes UTF-8 only.
    String::from_utf8(out).map_err(|e| Error::Unsupported(e.to_string()))
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
    /// Which struct field names are written plain.
    names: FieldNames,
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
            names: FieldNames::new(),
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
            // Two constant pieces, not one of two lengths: a copy of fixed size, no call.
            Place::Value { explicit } if block && !explicit => self.buf.push(b':'),
            Place::Value { .. } => self.buf.extend_from_slice(b": "),
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
        put(&mut self.buf, text.as_bytes());
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
        self.entry_with(key, false, value)
    }

    /// A struct field: its name is analysed once per export ([`FieldNames`]); a name that is
    /// written as it is (plain, short) is then copied.
    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<()> {
        let strict = self.strict;
        let as_is = self.names.as_is(key, |k| {
            let mut written = Vec::with_capacity(k.len() + 2);
            write_scalar(&mut written, k, 1, true, strict);
            written == k.as_bytes() && k.len() <= 1024
        });
        self.entry_with(key, as_is, value)
    }

    /// A mapping pair; `as_is` when the key is known to be written as it is.
    #[inline(always)]
    fn entry_with<T: Serialize + ?Sized>(&mut self, key: &str, as_is: bool, value: &T) -> Result<()> {
        let (level, compact, count) = self.child()?;
        let start = self.position();
        if !compact || count > 0 {
            self.newline_indent(level);
        }
        let explicit = if as_is {
            put(&mut self.buf, key.as_bytes());
            false
        } else {
            let key_start = self.buf.len();
            write_scalar(&mut self.buf, key, level + 1, true, self.strict);
            let written = self.buf.get(key_start..).unwrap_or_default();
            // UTF-16 units never outnumber bytes: only a long key needs counting.
            let explicit = written.len() > 1024 && utf16_len(written) > 1024;
            if explicit {
                self.buf.splice(key_start..key_start, b"? ".iter().copied());
                self.newline_indent(level);
            }
            explicit
        };
        self.slot = Slot { level: level + 1, compact: explicit, place: Place::Value { explicit } };
        value.serialize(&mut *self)?;
        self.finish_child(Some((start, key)))
    }

    fn finish_child(&mut self, entry: Option<(usize, &str)>) -> Result<()> {
        if let Some(frame) = self.stack.last_mut() {
            frame.count += 1;
            if let Some((start, key)) = entry {
                if frame.may_reorder {
                    frame.entries.push((start, array_index(key)));
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
            write_integer(&mut self.buf, v);
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
            write_integer(&mut self.buf, v);
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
        self.plain_keys_next = name == crate::render::PLAIN_KEYS;
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
        key.serialize(StrKey::<_, Error>::new(|key: &str| self.entry(key, value)))?
    }
    fn end(self) -> Result<()> {
        self.close()
    }
}

impl<W: Write> ser::SerializeStruct for &mut Yaml<'_, W> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<()> {
        self.field(key, value)
    }
    fn end(self) -> Result<()> {
        self.close()
    }
}

/// Appends the integer `v` in decimal, as the JSON emitter writes numbers (serde_json's integer
/// formatting, without `core::fmt`).
fn write_integer<T: Serialize>(buf: &mut Vec<u8>, v: T) {
    // Writing an integer into a `Vec` cannot fail.
    let _ = serde_json::to_writer(buf, &v);
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
    fn field_names_are_written_as_any_key_is_every_time() {
        #[derive(serde::Serialize)]
        struct Odd {
            #[serde(rename = "on")]
            on: u8,
            #[serde(rename = "$ref")]
            reference: u8,
            #[serde(rename = "12")]
            twelve: u8,
            #[serde(rename = "a: b")]
            colon: u8,
            plain: u8,
        }
        let odd = Odd { on: 1, reference: 2, twelve: 3, colon: 4, plain: 5 };
        // The second and third items meet the names again, already analysed.
        let text = to_string(&[&odd, &odd, &odd]).unwrap();
        let item = "'on': 1\n  $ref: 2\n  '12': 3\n  'a: b': 4\n  plain: 5";
        assert_eq!(text, format!("- {item}\n- {item}\n- {item}\n"));
        // The same names as map keys, which are never remembered.
        let map: std::collections::BTreeMap<&str, u8> = [("on", 1), ("$ref", 2), ("plain", 5)].into();
        assert_eq!(to_string(&map).unwrap(), "$ref: 2\n'on': 1\nplain: 5\n");
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
