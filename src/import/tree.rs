//! The document's tree: JSON's values, with objects that keep their members in document order
//! in a plain list. Most objects of an export are small, so a member is found by scanning them;
//! an object past [`INDEXED`] members also keeps an index of its keys' hashes. Reading a document
//! into this tree costs no hashing for the small objects, unlike a `serde_json::Value` with
//! ordered maps.

use std::borrow::Cow;
use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::BuildHasher;

use indexmap::IndexMap;
use serde::de::{Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Number;

/// A value of the document.
#[derive(Debug, Clone, Default)]
pub(crate) enum Value<'d> {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    /// Borrowed from the document where it is written out as it reads (no escapes).
    String(Cow<'d, str>),
    Array(Vec<Value<'d>>),
    Object(Map<'d>),
}

impl<'d> Value<'d> {
    pub(crate) fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The same value, owning all its text.
    pub(crate) fn into_owned(self) -> Value<'static> {
        match self {
            Value::Null => Value::Null,
            Value::Bool(b) => Value::Bool(b),
            Value::Number(n) => Value::Number(n),
            Value::String(s) => Value::String(Cow::Owned(s.into_owned())),
            Value::Array(items) => Value::Array(items.into_iter().map(Value::into_owned).collect()),
            Value::Object(map) => Value::Object(Map {
                entries: map.entries.into_iter().map(|(k, v)| (Cow::Owned(k.into_owned()), v.into_owned())).collect(),
                index: map.index,
            }),
        }
    }

    pub(crate) fn as_object(&self) -> Option<&Map<'d>> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }
}

/// Compact JSON, as `serde_json` writes it.
impl fmt::Display for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&serde_json::to_string(self).map_err(|_| fmt::Error)?)
    }
}

/// Objects with more members than this keep an index of their keys.
pub(crate) const INDEXED: usize = 16;

/// An object: its members in document order; a repeated key replaces the value in place.
#[derive(Debug, Clone, Default)]
pub(crate) struct Map<'d> {
    entries: Vec<(Cow<'d, str>, Value<'d>)>,
    /// Boxed, so that a small object (the most of them) stays three words and a flag.
    index: Option<Box<Index>>,
}

/// Positions of a large object's members by their keys' hashes. A hash shared by two keys maps
/// to [`SHARED`], and a lookup of that hash scans the members.
#[derive(Debug, Clone)]
struct Index {
    hasher: RandomState,
    at: IndexMap<u64, usize>,
}

const SHARED: usize = usize::MAX;

impl Index {
    /// The index of these members, with room for `len`.
    fn of(entries: &[(Cow<'_, str>, Value<'_>)], len: usize) -> Box<Index> {
        let mut index = Box::new(Index { hasher: RandomState::new(), at: IndexMap::with_capacity(2 * len) });
        for (j, (k, _)) in entries.iter().enumerate() {
            index.add(k, j);
        }
        index
    }

    fn add(&mut self, key: &str, i: usize) {
        let hash = self.hasher.hash_one(key);
        self.at.entry(hash).and_modify(|at| *at = SHARED).or_insert(i);
    }
}

impl<'d> Map<'d> {
    pub(crate) fn new() -> Map<'d> {
        Map::default()
    }

    /// The object of these members, whose keys are all different, in this order.
    pub(crate) fn from_unique(members: Vec<(Cow<'d, str>, Value<'d>)>) -> Map<'d> {
        let mut map = Map { entries: members, index: None };
        if map.entries.len() > INDEXED {
            map.index = Some(Index::of(&map.entries, map.entries.len()));
        }
        map
    }

    /// The object of these members, in this order; a repeated key's last value replaces the
    /// first one's, in its place.
    fn from_members(members: Vec<(Cow<'d, str>, Value<'d>)>) -> Map<'d> {
        let small = members.len() <= INDEXED;
        if small && members.iter().enumerate().all(|(i, (k, _))| members.iter().take(i).all(|(j, _)| j != k)) {
            crate::work::step();
            return Map { entries: members, index: None };
        }
        let mut map = Map { entries: Vec::with_capacity(members.len()), index: None };
        for (k, v) in members {
            map.insert(k, v);
        }
        map
    }

    fn position(&self, key: &str) -> Option<usize> {
        crate::work::step();
        let scan = || self.entries.iter().position(|(k, _)| k == key);
        match &self.index {
            None => scan(),
            Some(index) => match index.at.get(&index.hasher.hash_one(key)) {
                None => None,
                Some(&SHARED) => scan(),
                Some(&i) => self.entries.get(i).filter(|(k, _)| k == key).map(|_| i),
            },
        }
    }

    /// Sets `key` to `value`: a new member at the end, or the existing one's value in its place.
    pub(crate) fn insert(&mut self, key: Cow<'d, str>, value: Value<'d>) -> Option<Value<'d>> {
        if let Some(i) = self.position(&key) {
            return self.entries.get_mut(i).map(|slot| std::mem::replace(&mut slot.1, value));
        }
        self.push(key, value);
        None
    }

    /// Adds a member whose key is new.
    fn push(&mut self, key: Cow<'d, str>, value: Value<'d>) {
        let i = self.entries.len();
        match &mut self.index {
            Some(index) => index.add(&key, i),
            None if i >= INDEXED => {
                let mut index = Index::of(&self.entries, i + 1);
                index.add(&key, i);
                self.index = Some(index);
            }
            None => {}
        }
        self.entries.push((key, value));
    }

    /// Adds `key` as a new member; gives the key back when the object has it already.
    pub(crate) fn insert_new(&mut self, key: Cow<'d, str>, value: Value<'d>) -> Result<(), Cow<'d, str>> {
        if self.position(&key).is_some() {
            return Err(key);
        }
        self.push(key, value);
        Ok(())
    }

    pub(crate) fn get(&self, key: &str) -> Option<&Value<'d>> {
        self.position(key).and_then(|i| self.entries.get(i)).map(|(_, v)| v)
    }

    #[cfg(test)]
    pub(crate) fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &Value<'d>)> {
        self.entries.iter().map(|(k, v)| (&**k, v))
    }

    pub(crate) fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(k, _)| &**k)
    }

    pub(crate) fn values(&self) -> impl Iterator<Item = &Value<'d>> {
        self.entries.iter().map(|(_, v)| v)
    }
}

/// A member of an object: its key and value.
type Member<'m, 'd> = &'m (Cow<'d, str>, Value<'d>);

impl<'m, 'd> IntoIterator for &'m Map<'d> {
    type Item = (&'m str, &'m Value<'d>);
    type IntoIter = std::iter::Map<std::slice::Iter<'m, (Cow<'d, str>, Value<'d>)>, fn(Member<'m, 'd>) -> Self::Item>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (&**k, v))
    }
}

impl Serialize for Value<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Number(n) => n.serialize(s),
            Value::String(t) => s.serialize_str(t),
            Value::Array(items) => s.collect_seq(items),
            Value::Object(m) => {
                let mut map = s.serialize_map(Some(m.len()))?;
                for (k, v) in m {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// Reads JSON as `serde_json::Value` does: a repeated key's last value wins, in the first one's
/// place; a float JSON cannot hold is `null`.
impl<'de> Deserialize<'de> for Value<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value<'de>, D::Error> {
        let mut stacks = Stacks::new(usize::MAX, usize::MAX);
        Seed { stacks: &mut stacks, depth: 1, paths: false }.deserialize(d)
    }
}

/// Reads a JSON document as `serde_json::from_str` does, and tells whether a list or object of
/// it may pass the limits: one deeper than `deepest`, or, but for the root's `paths`, with
/// more than `widest` members or items. When it tells none may, the walk over the tree that
/// checks the limits exactly ([`super::read::check_tree`]) has nothing to find.
pub(crate) fn from_json(text: &str, widest: usize, deepest: usize) -> serde_json::Result<(Value<'_>, bool)> {
    let mut stacks = Stacks::new(widest, deepest);
    let mut d = serde_json::Deserializer::from_str(text);
    let value = Seed { stacks: &mut stacks, depth: 1, paths: false }.deserialize(&mut d)?;
    d.end()?;
    Ok((value, stacks.wide))
}

/// The members and items of the objects and lists being read. Each object or list is read
/// onto the end of one of them and moved off into a list of its final size, so no list grows
/// by reallocation.
struct Stacks<'de> {
    members: Vec<(Cow<'de, str>, Value<'de>)>,
    items: Vec<Value<'de>>,
    widest: usize,
    deepest: usize,
    /// A list or object may pass a limit.
    wide: bool,
}

impl Stacks<'_> {
    fn new(widest: usize, deepest: usize) -> Self {
        Stacks { members: Vec::new(), items: Vec::new(), widest, deepest, wide: false }
    }

    /// Notes a list or object of `len` at `depth` (the root's is 1).
    fn note(&mut self, len: usize, depth: usize, paths: bool) {
        if depth > self.deepest || (len > self.widest && !paths) {
            self.wide = true;
        }
    }
}

/// Reads one value with the shared stacks, at `depth`; `paths` for the root's `paths`.
struct Seed<'s, 'de> {
    stacks: &'s mut Stacks<'de>,
    depth: usize,
    paths: bool,
}

impl<'de> DeserializeSeed<'de> for Seed<'_, 'de> {
    type Value = Value<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_, 'de> {
    type Value = Value<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value<'de>, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Value<'de>, E> {
        Ok(Value::Number(n.into()))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Value<'de>, E> {
        Ok(Value::Number(n.into()))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Value<'de>, E> {
        Ok(Number::from_f64(n).map_or(Value::Null, Value::Number))
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Value<'de>, E> {
        Ok(Value::String(Cow::Borrowed(s)))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value<'de>, E> {
        Ok(Value::String(Cow::Owned(s.to_owned())))
    }
    fn visit_string<E>(self, s: String) -> Result<Value<'de>, E> {
        Ok(Value::String(Cow::Owned(s)))
    }
    fn visit_none<E>(self) -> Result<Value<'de>, E> {
        Ok(Value::Null)
    }
    fn visit_unit<E>(self) -> Result<Value<'de>, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value<'de>, D::Error> {
        self.deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value<'de>, A::Error> {
        let start = self.stacks.items.len();
        let depth = self.depth + 1;
        while let Some(item) = seq.next_element_seed(Seed { stacks: &mut *self.stacks, depth, paths: false })? {
            self.stacks.items.push(item);
        }
        let items: Vec<Value<'de>> = self.stacks.items.drain(start..).collect();
        self.stacks.note(items.len(), self.depth, self.paths);
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value<'de>, A::Error> {
        let start = self.stacks.members.len();
        let depth = self.depth + 1;
        while let Some(Key(k)) = access.next_key()? {
            let paths = self.depth == 1 && k == "paths";
            let v = access.next_value_seed(Seed { stacks: &mut *self.stacks, depth, paths })?;
            self.stacks.members.push((k, v));
        }
        let map = Map::from_members(self.stacks.members.drain(start..).collect());
        self.stacks.note(map.len(), self.depth, self.paths);
        Ok(Value::Object(map))
    }
}

/// A member's key, borrowed from the document where it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key<'de>, D::Error> {
        struct Keys;

        impl<'de> Visitor<'de> for Keys {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E>(self, s: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s)))
            }
        }

        d.deserialize_str(Keys)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_json_as_serde_json_does() {
        let text = r#"{"b": 1, "a": [true, null, 1.5, -2, "x"], "b": {"c": 18446744073709551615}, "d": {}}"#;
        let tree: Value<'_> = serde_json::from_str(text).unwrap();
        let Value::Object(map) = &tree else { panic!("an object") };
        assert!(map.iter().all(|(k, _)| ["a", "b", "d"].contains(&k)));
        let json: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(tree.to_string(), json.to_string());
        assert_eq!(tree.to_string(), r#"{"b":{"c":18446744073709551615},"a":[true,null,1.5,-2,"x"],"d":{}}"#);
    }

    /// Objects are read onto a stack and moved off at their size: a repeated key in a small or
    /// a large object still keeps its first place with its last value.
    #[test]
    fn repeated_keys_in_small_and_large_objects_read_as_serde_json_does() {
        for n in [3, 16, 17, 40] {
            let mut members: Vec<String> = (0..n).map(|i| format!("\"k{i}\": [{i}, {{\"x\": {i}}}]")).collect();
            members.push("\"k1\": \"again\"".to_owned());
            members.push(format!("\"k{}\": null", n - 1));
            let text = format!("{{\"o\": {{{}}}, \"after\": [1, 2]}}", members.join(", "));
            let tree: Value<'_> = serde_json::from_str(&text).unwrap();
            let json: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(tree.to_string(), json.to_string(), "{n}");
            let Some(Value::Object(o)) = tree.as_object().and_then(|m| m.get("o")) else { panic!("an object") };
            assert_eq!(o.len(), n);
            assert!(matches!(o.get("k1"), Some(Value::String(s)) if s == "again"));
        }
    }

    #[test]
    fn large_objects_find_every_member_and_keep_the_order() {
        let mut map = Map::new();
        for i in 0..100 {
            assert!(map.insert(format!("k{i}").into(), Value::Bool(false)).is_none());
        }
        assert!(map.insert("k7".into(), Value::Bool(true)).is_some());
        assert_eq!(map.len(), 100);
        assert!((0..100).all(|i| map.contains_key(&format!("k{i}"))));
        assert!(!map.contains_key("k100"));
        assert!(matches!(map.get("k7"), Some(Value::Bool(true))));
        assert!(map.keys().enumerate().all(|(i, k)| k == format!("k{i}")));
    }
}
