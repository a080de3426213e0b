//! [`Text`]: the catalog's strings, stored at their exact length.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An immutable string of the catalog (a name, a path, a description, a sample).
///
/// A catalog holds hundreds of strings per API, and most of them are short or empty. `Text`
/// keeps each one in an allocation of exactly its length, behind a 16-byte handle; a `String`
/// takes 24 bytes and may carry spare capacity. An empty `Text` allocates nothing. It reads as a
/// `&str` (through `Deref`), compares with `str` and `String`, and is built with `.into()`:
///
/// ```
/// use apig_export::model::{Api, Text};
///
/// let mut api = Api::default();
/// api.name = "get_item".into();
/// api.req_uri = format!("/items/{}", "{id}").into();
/// assert_eq!(api.name, "get_item");
/// assert!(api.req_uri.ends_with("{id}"));
/// let owned: String = api.name.clone().into();
/// assert_eq!(owned, "get_item");
/// assert_eq!(Text::default().len(), 0);
/// ```
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text(Box<str>);

impl Text {
    /// The text as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text(s.into())
    }
}

impl From<&String> for Text {
    fn from(s: &String) -> Text {
        Text(s.as_str().into())
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(s.into_boxed_str())
    }
}

impl From<Box<str>> for Text {
    fn from(s: Box<str>) -> Text {
        Text(s)
    }
}

impl From<Text> for String {
    fn from(t: Text) -> String {
        t.0.into_string()
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        self == &*other.0
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == &*other.0
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        **self == *other.0
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Text, E> {
                Ok(Text::from(s))
            }
            fn visit_string<E: serde::de::Error>(self, s: String) -> Result<Text, E> {
                Ok(Text::from(s))
            }
        }
        deserializer.deserialize_string(Visitor)
    }
}
