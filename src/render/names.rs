//! Names as the Strict profile writes them where validators or YAML readers restrict them (path
//! variables, component names, map keys), and one spelling per name in each namespace of the
//! document.
//!
//! A name outside what a place accepts gets a short form: its first 40 characters and a 64-bit
//! FNV-1a hash of the whole name. A hash is not unique against a name crafted to equal another's
//! short form (or against a crafted hash collision), so every namespace (the keys of one map, the
//! variables of one path) is spelled as a whole by [`spell`]: names written as stored keep their
//! spelling, and a short form that is already taken gets the lowest free `-2`, `-3`, … suffix.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// Characters of a key's JSON text (quotes and Strict escapes included) beyond which a YAML
/// reader refuses it as a key (PyYAML and libyaml: 1,024).
pub(crate) const MAX_KEY_TEXT: usize = 1_024;

/// Whether `name`'s JSON text in the Strict profile is longer than [`MAX_KEY_TEXT`].
pub(crate) fn too_long_for_a_key(name: &str) -> bool {
    // Cheap bound first: every character takes at most 6 characters of text (`\uXXXX`).
    if name.len() * 6 + 2 <= MAX_KEY_TEXT {
        return false;
    }
    let text: usize = name
        .chars()
        .map(|c| match c {
            '"' | '\\' | '\u{8}' | '\u{c}' | '\n' | '\r' | '\t' => 2,
            '\0'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{fffe}' | '\u{ffff}' => 6,
            _ => 1,
        })
        .sum();
    text + 2 > MAX_KEY_TEXT
}

/// The 64-bit FNV-1a hash of `bytes`.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// `name` shortened to its first 40 characters, `-` and 16 hex digits of its 64-bit FNV-1a hash:
/// distinct names almost always stay distinct ([`spell`] settles the rest), and the result is
/// short whatever the name.
pub(crate) fn short_key(name: &str) -> String {
    let head: String = name.chars().take(40).collect();
    format!("{head}-{:016x}", fnv1a(name.as_bytes()))
}

/// Whether `c` is one of the characters every validator accepts in a path variable's name and
/// OpenAPI 3.0 accepts in a component's name.
fn plain(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// A name where validators accept only `[A-Za-z0-9_-]` (path variables, OpenAPI 3.0 component
/// names): as it is when it has no other character and fits in a key; else its [`short_key`]
/// with every other character as `_`.
pub(crate) fn variable_name(name: &str) -> Cow<'_, str> {
    if !name.is_empty() && name.chars().all(plain) && !too_long_for_a_key(name) {
        return Cow::Borrowed(name);
    }
    Cow::Owned(short_key(name).chars().map(|c| if plain(c) { c } else { '_' }).collect())
}

/// A name where it is a key of the document: as it is, or its [`short_key`] when its JSON text
/// is longer than YAML readers take a key (a JSON file is read as YAML by validators).
pub(crate) fn key_name(name: &str) -> Cow<'_, str> {
    if too_long_for_a_key(name) {
        Cow::Owned(short_key(name))
    } else {
        Cow::Borrowed(name)
    }
}

/// How one name of a namespace is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Spelled<'a> {
    pub(crate) written: Cow<'a, str>,
    /// The short form the name would have had, when that was already another name's.
    pub(crate) taken: Option<String>,
}

/// Spells the names of one namespace, each as `first` says (as stored, or a short form), so that
/// no two are written alike: names written as stored, and `reserved` ones, keep their spelling;
/// the others, in byte order of their stored names, take their short form or, when that is
/// already written, the lowest free `{short form}-2`, `-3`, …. The result depends only on the set
/// of names. Repeated names count once.
pub(crate) fn spell<'a>(
    names: impl IntoIterator<Item = &'a str>,
    reserved: &[&str],
    first: impl Fn(&'a str) -> Cow<'a, str>,
) -> BTreeMap<&'a str, Spelled<'a>> {
    let firsts: BTreeMap<&'a str, Cow<'a, str>> = names.into_iter().map(|n| (n, first(n))).collect();
    let mut written: BTreeSet<&str> = reserved.iter().copied().collect();
    written.extend(firsts.iter().filter(|(n, w)| **n == **w).map(|(n, _)| *n));
    let mut spelled = BTreeMap::new();
    // Generated names, and the suffix to try next for each short form (so that many names that
    // share one short form cost one pass over the suffixes, not one each).
    let mut generated: Vec<(&'a str, Cow<'a, str>, Option<String>)> = Vec::new();
    let mut next: BTreeMap<String, u64> = BTreeMap::new();
    let mut owned: BTreeSet<String> = BTreeSet::new();
    for (name, form) in firsts {
        crate::work::step();
        if *name == *form {
            spelled.insert(name, Spelled { written: form, taken: None });
            continue;
        }
        if !written.contains(&*form) && !owned.contains(&*form) {
            owned.insert(form.clone().into_owned());
            generated.push((name, form, None));
            continue;
        }
        let counter = next.entry(form.clone().into_owned()).or_insert(2);
        let respelled = loop {
            let candidate = format!("{form}-{counter}");
            *counter += 1;
            if !written.contains(candidate.as_str()) && !owned.contains(&candidate) {
                break candidate;
            }
        };
        owned.insert(respelled.clone());
        generated.push((name, Cow::Owned(respelled), Some(form.into_owned())));
    }
    for (name, written, taken) in generated {
        crate::work::step();
        spelled.insert(name, Spelled { written, taken });
    }
    spelled
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_stay_and_others_get_a_short_form() {
        assert_eq!(variable_name("orderId"), "orderId");
        assert_eq!(variable_name("a.b"), format!("a_b-{:016x}", fnv1a(b"a.b")));
        assert_eq!(variable_name(""), format!("-{:016x}", fnv1a(b"")));
        let long = "x".repeat(2_000);
        assert_eq!(variable_name(&long).len(), 40 + 17);
        assert_eq!(key_name("a.b"), "a.b");
        assert_eq!(key_name(&long), short_key(&long));
    }

    #[test]
    fn a_name_crafted_as_another_names_short_form_keeps_it_and_the_other_moves_on() {
        let crafted = variable_name("a.b").into_owned();
        let spelled = spell(["a.b", crafted.as_str()], &[], variable_name);
        assert_eq!(spelled[crafted.as_str()], Spelled { written: Cow::Borrowed(crafted.as_str()), taken: None });
        assert_eq!(spelled["a.b"].written, format!("{crafted}-2"));
        assert_eq!(spelled["a.b"].taken.as_deref(), Some(crafted.as_str()));
        // The suffixed form may be taken too: the next free one is used.
        let second = format!("{crafted}-2");
        let spelled = spell(["a.b", crafted.as_str(), second.as_str()], &[], variable_name);
        assert_eq!(spelled["a.b"].written, format!("{crafted}-3"));
        // Reserved names are never written for another name.
        let spelled = spell(["a.b"], &[crafted.as_str()], variable_name);
        assert_eq!(spelled["a.b"].written, format!("{crafted}-2"));
    }

    #[test]
    fn names_with_one_short_form_are_told_apart_in_byte_order_whatever_the_input_order() {
        // A stand-in for a hash collision: every name has the same short form.
        let same = |_: &str| Cow::Owned("k-0".to_owned());
        let one = spell(["c", "a", "b"], &[], same);
        let two = spell(["b", "c", "a", "a"], &[], same);
        assert_eq!(one, two);
        let written: Vec<&str> = one.values().map(|s| &*s.written).collect();
        assert_eq!(written, ["k-0", "k-0-2", "k-0-3"]);
        assert_eq!(one["a"].taken, None);
        assert_eq!(one["c"].taken.as_deref(), Some("k-0"));
    }

    #[test]
    fn many_names_with_one_short_form_cost_one_pass_over_the_suffixes() {
        let names: Vec<String> = (0..2_000).map(|i| format!("n{i}")).collect();
        let crafted: Vec<String> = (2..1_002).map(|k| format!("k-{k}")).collect();
        let all = names.iter().chain(&crafted).map(String::as_str);
        let spelled = spell(all, &["k"], |n| if n.starts_with('n') { Cow::Owned("k".to_owned()) } else { n.into() });
        let written: BTreeSet<&str> = spelled.values().map(|s| &*s.written).collect();
        assert_eq!(written.len(), spelled.len(), "every name is written once");
        assert_eq!(spelled["n0"].written, "k-1002");
    }
}
