//! Map keys of both formats: every map of an export has string keys, so a key is read as a
//! `&str` and handed to the format, which writes it its own way.

use std::marker::PhantomData;

use serde::ser::{self, Impossible, Serialize};

/// Serializes a map key by calling `F` with it as a string; any other kind of key is an error.
pub(crate) struct StrKey<F, E> {
    write: F,
    error: PhantomData<E>,
}

impl<F, E> StrKey<F, E> {
    pub(crate) fn new(write: F) -> StrKey<F, E> {
        StrKey { write, error: PhantomData }
    }
}

fn not_a_string<E: ser::Error>() -> E {
    E::custom("map keys must be strings")
}

impl<R, E: ser::Error, F: FnOnce(&str) -> R> ser::Serializer for StrKey<F, E> {
    type Ok = R;
    type Error = E;
    type SerializeSeq = Impossible<R, E>;
    type SerializeTuple = Impossible<R, E>;
    type SerializeTupleStruct = Impossible<R, E>;
    type SerializeTupleVariant = Impossible<R, E>;
    type SerializeMap = Impossible<R, E>;
    type SerializeStruct = Impossible<R, E>;
    type SerializeStructVariant = Impossible<R, E>;

    fn serialize_str(self, v: &str) -> Result<R, E> {
        Ok((self.write)(v))
    }
    fn serialize_char(self, v: char) -> Result<R, E> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<R, E> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<R, E> {
        value.serialize(self)
    }
    fn serialize_bool(self, _: bool) -> Result<R, E> {
        Err(not_a_string())
    }
    fn serialize_i8(self, _: i8) -> Result<R, E> {
        Err(not_a_string())
    }
    fn serialize_i16(self, _: i16) -> Result<R, E> {
        Err(not_a_string())
    }
    fn serialize_i32(self, _: i32) -> Result<R, E> {
        Err(not_a_string())
    }
    fn serialize_i64(self, _: i64) -> Result<R, E> {
        Err(not_a_string())
    }
    fn serialize_u8(self, _: u8) -> Result<R, E> {
        Err(not_a_string())
    }
    fn serialize_u16(self, _: u16) -> Result<R, E> {
        Err(not_a_string())
    }
    fn serialize_u32(self, _: u32) -> Result<R, E> {
        Err(not_a_string())
    }
    fn serialize_u64(self, _: u64) -> Result<R, E> {
        Err(not_a_string())
    }
    fn serialize_f32(self, _: f32) -> Result<R, E> {
        Err(not_a_string())
    }
    fn serialize_f64(self, _: f64) -> Result<R, E> {
        Err(not_a_string())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<R, E> {
        Err(not_a_string())
    }
    fn serialize_none(self) -> Result<R, E> {
        Err(not_a_string())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<R, E> {
        Err(not_a_string())
    }
    fn serialize_unit(self) -> Result<R, E> {
        Err(not_a_string())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<R, E> {
        Err(not_a_string())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<R, E> {
        Err(not_a_string())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, E> {
        Err(not_a_string())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, E> {
        Err(not_a_string())
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, E> {
        Err(not_a_string())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, E> {
        Err(not_a_string())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, E> {
        Err(not_a_string())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, E> {
        Err(not_a_string())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, E> {
        Err(not_a_string())
    }
}

/// What a format decided about each struct field name it met: a field name is a `&'static str`
/// of the renderer, met thousands of times in a large export, and how it is written depends on
/// the name alone. A small direct-mapped table, indexed by the name's address and checked
/// against address and length, so that a name is analysed once per export (or again after
/// another name took its slot).
pub(crate) struct FieldNames {
    slots: [(usize, usize, bool); FieldNames::SLOTS],
}

impl FieldNames {
    const BITS: u32 = 8;
    const SLOTS: usize = 1 << FieldNames::BITS;

    pub(crate) fn new() -> FieldNames {
        // Address 0 is never a string's.
        FieldNames { slots: [(0, 0, false); FieldNames::SLOTS] }
    }

    /// Whether `name` is written as it is, as `analyse` says (asked only when not known yet).
    #[inline(always)]
    pub(crate) fn as_is(&mut self, name: &'static str, analyse: impl FnOnce(&str) -> bool) -> bool {
        let address = name.as_ptr() as usize;
        // Fibonacci hashing of the address: names packed side by side land far apart.
        let slot = address.wrapping_mul(0x9E37_79B9_7F4A_7C15_u64 as usize) >> (usize::BITS - FieldNames::BITS);
        match self.slots.get_mut(slot) {
            Some(&mut (a, len, verdict)) if a == address && len == name.len() => verdict,
            Some(entry) => {
                let verdict = analyse(name);
                *entry = (address, name.len(), verdict);
                verdict
            }
            None => analyse(name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_analysed_once_until_another_takes_its_slot() {
        let mut names = FieldNames::new();
        let mut asked = 0;
        for _ in 0..3 {
            assert!(names.as_is("description", |_| {
                asked += 1;
                true
            }));
        }
        assert_eq!(asked, 1);
        // Two names that share an address but not a length are two entries.
        let both = "typed";
        let (short, long): (&'static str, &'static str) = (&both[..4], both);
        assert!(!names.as_is(short, |n| n == "typed"));
        assert!(names.as_is(long, |n| n == "typed"));
        assert!(!names.as_is(short, |n| n == "typed"));
    }
}
