//! A YAML reader for import: one document into a `serde_json::Value`, as js-yaml 4 `load()` reads
//! it (its default schema decides what a plain scalar is), bounded whatever the input.
//!
//! Written for what APIG's export and hand-written Swagger files use: block mappings and
//! sequences (compact and indentless ones included), explicit `? ` keys, flow collections, plain,
//! single- and double-quoted scalars (multi-line ones folded), literal and folded block scalars
//! with indentation and chomping indicators, comments, `---` / `...`, directives, anchors,
//! aliases and the core tags. It reads in one pass, in time linear in the input:
//!
//! - nesting deeper than the limit stops the reading where it happens (a recursive reader would
//!   otherwise need a stack as deep as the document);
//! - an alias costs the length of the text it repeats, taken from a budget: aliases cannot
//!   expand a document past the size limit (no "billion laughs");
//! - every error names its line and column.
//!
//! Not supported (an error says so): more than one document, complex (collection) keys, tags
//! other than the core schema's, and the merge key `<<` (read as an ordinary key).
//!
//! Why the crate reads YAML itself instead of through `serde_yaml` (which the tests still use as
//! an independent YAML 1.2 reader):
//!
//! - **Scalars.** APIG's YAML is js-yaml's, and js-yaml's default schema decides what a plain
//!   scalar is: `+.5` is a string to js-yaml (its float pattern has no sign before a leading dot),
//!   so the export writes it unquoted. `serde_yaml` reads it by YAML 1.2's core schema, as the
//!   number 0.5, and gives back neither the scalar's text nor whether it was quoted, so no
//!   conversion afterwards can restore `"+.5"`; the round trip export → import → export would
//!   change the document. Here plain scalars resolve with the emitter's own
//!   `resolves_int`/`resolves_float`, so what the emitter writes reads back as the same tree.
//! - **Depth while parsing.** The import's nesting limit ([`Limits::max_depth`], 64 by default)
//!   must stop the reading where the nesting passes it. `serde_yaml` 0.9 loads every event of the
//!   document before its fixed recursion limit (128) applies, and on a flow collection
//!   100,000 levels deep that loading took 34 s in a release build (10,000 levels: 0.3 s), where
//!   this reader stops at level 65 after reading 65 bytes.
//!
//! (`serde_yaml` does refuse alias bombs, with its own repetition limit; here aliases are bounded
//! by [`Limits::max_bytes`] instead, counted as the text they repeat.)
//!
//! [`Limits::max_depth`]: super::Limits::max_depth
//! [`Limits::max_bytes`]: super::Limits::max_bytes

use indexmap::IndexMap;
use std::borrow::Cow;

use serde_json::Number;

use super::tree::{self, Map, Value};

use crate::emit::yaml::{resolves_float, resolves_int};
use crate::quote::Quoted;

/// Why a document could not be read, and where (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Error {
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) message: String,
    /// The reading stopped at a limit (depth or alias budget), not at a syntax error.
    pub(crate) limit: Option<Limit>,
}

/// Which limit stopped the reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Limit {
    Depth,
    Size,
}

type Result<T> = std::result::Result<T, Error>;

/// Reads one YAML document. `max_depth` bounds nesting; aliases may add at most `budget` bytes
/// of repeated text.
#[cfg(test)]
pub(crate) fn parse(src: &str, max_depth: usize, budget: usize) -> Result<Value<'_>> {
    parse_noting(src, max_depth, budget, usize::MAX).map(|(v, _)| v)
}

/// [`parse`], also telling whether a sequence or mapping of the document may be past a limit:
/// one with more than `widest` entries, or any repeated by an alias (which may nest it deeper
/// than the reader counted). When it tells none may, the walk over the tree that checks the
/// limits exactly ([`super::read::check_tree`]) has nothing to find.
pub(crate) fn parse_noting(src: &str, max_depth: usize, budget: usize, widest: usize) -> Result<(Value<'_>, bool)> {
    if src.contains('\r') {
        let normalized = src.replace("\r\n", "\n").replace('\r', "\n");
        return read(&normalized, max_depth, budget, widest).map(|(v, wide)| (v.into_owned(), wide));
    }
    read(src, max_depth, budget, widest)
}

/// Reads one document whose line breaks are `\n`; its plain scalars and keys borrow from `src`.
fn read(src: &str, max_depth: usize, budget: usize, widest: usize) -> Result<(Value<'_>, bool)> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let mut r = Reader {
        s: src.as_bytes(),
        src,
        i: 0,
        line: 1,
        line_start: 0,
        depth: 0,
        max_depth,
        budget,
        anchors: IndexMap::new(),
        expanded: 0,
        verbatim: false,
        cache: None,
        plain: (usize::MAX, 0),
        members: Vec::new(),
        items: Vec::new(),
        widest,
        wide: false,
        paths_value: false,
    };
    let root = r.document()?;
    Ok((root, r.wide))
}

struct Reader<'a> {
    s: &'a [u8],
    src: &'a str,
    i: usize,
    line: usize,
    line_start: usize,
    depth: usize,
    max_depth: usize,
    budget: usize,
    anchors: IndexMap<String, (Value<'a>, usize)>,
    /// Bytes repeated by aliases so far.
    expanded: usize,
    /// The next plain scalar is a string whatever it looks like (`!!str`, `!`).
    verbatim: bool,
    /// The last answer of [`Reader::next_line`]: (from, to, line, line_start, indent).
    cache: Option<(usize, usize, usize, usize, Option<usize>)>,
    /// The last answer of [`Reader::plain_line`]: where it started and ended. A scalar is
    /// scanned once to learn whether it is a key and again to be read.
    plain: (usize, usize),
    /// The members of the block mappings and the items of the block sequences being read: each
    /// is read onto the end of one of these and moved off into a list of its final size.
    members: Vec<(Cow<'a, str>, Value<'a>)>,
    items: Vec<Value<'a>>,
    /// Sequences and mappings with more entries than this, and aliases, set `wide`.
    widest: usize,
    wide: bool,
    /// The value being read is the root's `paths`, which no entry limit holds.
    paths_value: bool,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn at(&self, k: usize) -> Option<u8> {
        self.s.get(self.i + k).copied()
    }

    fn column(&self) -> usize {
        self.i - self.line_start
    }

    fn err(&self, message: impl Into<String>) -> Error {
        Error { line: self.line, column: self.column() + 1, message: message.into(), limit: None }
    }

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > self.max_depth {
            let mut e = self.err(format!("nesting deeper than {} levels", self.max_depth));
            e.limit = Some(Limit::Depth);
            return Err(e);
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// Steps over a line break at the current position (there must be one).
    fn newline(&mut self) {
        self.i += 1;
        self.line += 1;
        self.line_start = self.i;
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
    }

    /// Whether the byte at `k` ahead is a space, a tab, a line break or the end.
    fn blank_at(&self, k: usize) -> bool {
        matches!(self.at(k), None | Some(b' ' | b'\t' | b'\n'))
    }

    /// After content on a line: spaces, an optional comment, then the line break (or the end).
    fn end_of_line(&mut self) -> Result<()> {
        self.skip_space();
        match self.peek() {
            None => Ok(()),
            Some(b'\n') => {
                self.newline();
                Ok(())
            }
            Some(b'#') if self.i == 0 || matches!(self.s.get(self.i - 1), Some(b' ' | b'\t')) => {
                while !matches!(self.peek(), None | Some(b'\n')) {
                    self.i += 1;
                }
                if self.peek().is_some() {
                    self.newline();
                }
                Ok(())
            }
            Some(_) => Err(self.err("unexpected characters after a value")),
        }
    }

    /// Moves to the start of the next line with content (not blank, not only a comment) and
    /// returns its indentation, or `None` at the end of the input. The position is left at the
    /// start of that line.
    fn next_line(&mut self) -> Result<Option<usize>> {
        if let Some((from, to, line, line_start, indent)) = self.cache {
            if from == self.i {
                self.i = to;
                self.line = line;
                self.line_start = line_start;
                return Ok(indent);
            }
        }
        let from = self.i;
        let answer = loop {
            if self.peek().is_none() {
                break None;
            }
            if self.i != self.line_start {
                // Mid-line: the rest of it must be blank or a comment.
                self.end_of_line()?;
                continue;
            }
            let start = self.i;
            let k = start + spaces_from(self.s, start);
            match self.s.get(k) {
                None => break None,
                Some(b'\n') => {
                    self.i = k;
                    self.newline();
                }
                Some(b'#') => {
                    self.i = k;
                    self.end_of_line()?;
                }
                Some(b'\t') => {
                    // A tab after the indentation: blank if the rest is blank.
                    let mut j = k;
                    while matches!(self.s.get(j), Some(b' ' | b'\t')) {
                        j += 1;
                    }
                    if matches!(self.s.get(j), None | Some(b'\n' | b'#')) {
                        self.i = j;
                        self.end_of_line()?;
                    } else {
                        self.i = k;
                        return Err(self.err("a tab character cannot indent YAML"));
                    }
                }
                Some(_) => {
                    self.i = start;
                    break Some(k - start);
                }
            }
        };
        self.cache = Some((from, self.i, self.line, self.line_start, answer));
        Ok(answer)
    }

    /// After a plain scalar that ends mid-line (`from`: the position, line and line start
    /// there, before spaces and the line break), at the start of the next line, which `breaks`
    /// blank lines precede and which is indented by `indent` spaces (`None`: not only spaces, or
    /// the end): when that line has content right after its indentation, stores what
    /// [`Reader::next_line`] from `from` answers, so that its next call does not scan the
    /// indentation again. Anything else (blank or comment lines, tabs, the end) is left to
    /// `next_line`.
    fn prime_next_line(
        &mut self,
        (from, _, from_line_start): (usize, usize, usize),
        breaks: usize,
        indent: Option<usize>,
    ) {
        let Some(n) = indent.filter(|_| breaks == 0 && from != from_line_start && self.i == self.line_start) else {
            return;
        };
        if !matches!(self.s.get(self.i + n), None | Some(b'#' | b'\t' | b'\n' | b' ')) {
            self.cache = Some((from, self.i, self.line, self.line_start, Some(n)));
        }
    }

    /// Whether the current line (at its start) is a document marker `---` or `...`.
    fn at_document_marker(&self) -> bool {
        self.i == self.line_start
            && (self.s.get(self.i..self.i + 3) == Some(b"---") || self.s.get(self.i..self.i + 3) == Some(b"..."))
            && self.blank_at(3)
    }

    fn document(&mut self) -> Result<Value<'a>> {
        // Directives and the document start.
        loop {
            if self.next_line()?.is_none() {
                return Ok(Value::Null);
            }
            if self.peek() == Some(b'%') {
                while !matches!(self.peek(), None | Some(b'\n')) {
                    self.i += 1;
                }
                continue;
            }
            if self.s.get(self.i..self.i + 3) == Some(b"---") && self.blank_at(3) {
                self.i += 3;
            }
            break;
        }
        let root = self.value(-1, true, true)?;
        match self.next_line()? {
            None => Ok(root),
            Some(0) if self.s.get(self.i..self.i + 3) == Some(b"...") && self.blank_at(3) => {
                self.i += 3;
                match self.next_line()? {
                    None => Ok(root),
                    Some(_) => Err(self.err("only one YAML document can be imported")),
                }
            }
            Some(0) if self.at_document_marker() => Err(self.err("only one YAML document can be imported")),
            Some(indent) => {
                self.i += indent;
                Err(self.err("unexpected content: bad indentation or a second root node"))
            }
        }
    }

    /// Reads the node that follows an indicator (`key:`, `- `, `? `, the document start) on the
    /// current line, or, when the line ends there, on the following lines. `parent` is the
    /// indentation of the collection it belongs to; `indentless` allows a sequence at that same
    /// indentation (a mapping's value); `compact` allows a mapping or sequence to start on this line.
    fn value(&mut self, parent: isize, indentless: bool, compact: bool) -> Result<Value<'a>> {
        crate::work::step();
        self.skip_space();
        if self.peek().is_some_and(starts_plain_value) {
            return self.plain_value(parent, compact);
        }
        let props = self.properties()?;
        self.skip_space();
        let (start, before) = (self.i, self.expanded);
        self.verbatim = is_str_tag(props.1.as_deref());
        let node = if matches!(self.peek(), None | Some(b'\n' | b'#'))
            && (self.peek() != Some(b'#') || matches!(self.s.get(self.i.wrapping_sub(1)), Some(b' ' | b'\t')))
        {
            self.end_of_line()?;
            match self.next_line()? {
                Some(indent) if !self.at_document_marker() && to_isize(indent) > parent => {
                    self.i += indent;
                    self.node_at(indent, parent, true)?
                }
                Some(indent)
                    if indentless
                        && to_isize(indent) == parent
                        && self.s.get(self.i + indent) == Some(&b'-')
                        && self.blank_at(indent + 1) =>
                {
                    self.i += indent;
                    self.block_seq(indent)?
                }
                _ => Value::Null,
            }
        } else {
            let column = self.column();
            if !compact && self.starts_collection_here()? {
                return Err(self.err("a mapping or sequence cannot start here: move it to a line of its own"));
            }
            self.node_at(column, parent, compact)?
        };
        self.finish(props, node, start, before)
    }

    /// [`Reader::value`] of a node that starts with a character that can only begin a plain
    /// scalar ([`starts_plain_value`]): no properties, no block collection, no block scalar. The
    /// same steps as the general reading (a key there begins a mapping where `compact` allows
    /// one, and is refused at the node's start elsewhere; a scalar over several lines is
    /// folded), without the dispatch over every other kind of node.
    fn plain_value(&mut self, parent: isize, compact: bool) -> Result<Value<'a>> {
        self.verbatim = false;
        let start = self.i;
        self.plain_line(false);
        let key = self.peek() == Some(b':') && self.blank_at(1);
        self.i = start;
        match (key, compact) {
            (true, true) => self.block_map(self.column()),
            (true, false) => Err(self.err("a mapping or sequence cannot start here: move it to a line of its own")),
            (false, _) => self.plain_block(parent).map(resolve),
        }
    }

    /// Whether a block mapping or sequence starts at the current position.
    fn starts_collection_here(&mut self) -> Result<bool> {
        match self.peek() {
            Some(b'-' | b'?') if self.blank_at(1) => Ok(true),
            Some(b'|' | b'>' | b'[' | b'{' | b'*') => Ok(false),
            _ => {
                let save = (self.i, self.line, self.line_start);
                let key = self.inline_scalar_is_key();
                (self.i, self.line, self.line_start) = save;
                key
            }
        }
    }

    /// Anchor and tag before a node, in either order.
    #[inline]
    fn properties(&mut self) -> Result<(Option<String>, Option<String>)> {
        if !matches!(self.peek(), Some(b'&' | b'!')) {
            return Ok((None, None));
        }
        self.anchor_and_tag()
    }

    fn anchor_and_tag(&mut self) -> Result<(Option<String>, Option<String>)> {
        let (mut anchor, mut tag) = (None, None);
        loop {
            match self.peek() {
                Some(b'&') if anchor.is_none() => {
                    self.i += 1;
                    anchor = Some(self.name()?);
                }
                Some(b'!') if tag.is_none() => {
                    let start = self.i;
                    if self.at(1) == Some(b'<') {
                        while !matches!(self.peek(), None | Some(b'>' | b'\n')) {
                            self.i += 1;
                        }
                        if self.peek() != Some(b'>') {
                            return Err(self.err("unterminated verbatim tag"));
                        }
                        self.i += 1;
                    } else {
                        while !self.blank_at(0) && !matches!(self.peek(), Some(b',' | b'[' | b']' | b'{' | b'}')) {
                            self.i += 1;
                        }
                    }
                    tag = Some(self.src.get(start..self.i).unwrap_or_default().to_owned());
                }
                _ => return Ok((anchor, tag)),
            }
            self.skip_space();
        }
    }

    /// An anchor or alias name.
    fn name(&mut self) -> Result<String> {
        let start = self.i;
        while !self.blank_at(0) && !matches!(self.peek(), Some(b',' | b'[' | b']' | b'{' | b'}')) {
            self.i += 1;
        }
        if start == self.i {
            return Err(self.err("an anchor or alias needs a name"));
        }
        Ok(self.src.get(start..self.i).unwrap_or_default().to_owned())
    }

    /// Applies a tag, and records an anchor with what the node costs to repeat: the text it
    /// spans and what the aliases inside it repeat.
    fn finish(
        &mut self,
        props: (Option<String>, Option<String>),
        node: Value<'a>,
        start: usize,
        before: usize,
    ) -> Result<Value<'a>> {
        self.verbatim = false;
        let (anchor, tag) = props;
        if anchor.is_none() && tag.is_none() {
            return Ok(node);
        }
        let node = match tag {
            None => node,
            Some(tag) => self.tagged(&tag, node)?,
        };
        if let Some(anchor) = anchor {
            let cost = self.i.saturating_sub(start).max(1).saturating_add(self.expanded - before);
            self.anchors.insert(anchor, (node.clone(), cost));
        }
        Ok(node)
    }

    fn tagged(&self, tag: &str, node: Value<'a>) -> Result<Value<'a>> {
        let core = if tag == "!" {
            Some("str")
        } else {
            tag.strip_prefix("!!")
                .or_else(|| tag.strip_prefix("!<tag:yaml.org,2002:").and_then(|t| t.strip_suffix('>')))
        };
        match (core, node) {
            (Some("str" | "binary" | "timestamp"), Value::Number(n)) => Ok(Value::String(number_text(&n).into())),
            (Some("str" | "binary" | "timestamp"), Value::Bool(b)) => Ok(Value::String(b.to_string().into())),
            (Some("str" | "binary" | "timestamp"), Value::Null) => Ok(Value::String(Cow::Borrowed(""))),
            (Some("str" | "binary" | "timestamp"), node @ Value::String(_)) => Ok(node),
            (Some("int" | "float"), node @ Value::Number(_)) => Ok(node),
            (Some("bool"), node @ Value::Bool(_)) => Ok(node),
            (Some("null"), Value::Null) => Ok(Value::Null),
            (Some("map" | "omap" | "pairs" | "set"), node @ Value::Object(_)) => Ok(node),
            (Some("seq" | "omap" | "pairs"), node @ Value::Array(_)) => Ok(node),
            _ => Err(self.err(format!("tag {} does not fit its value, or is not supported", Quoted(tag)))),
        }
    }

    /// A node whose first character is at the current position, at `column` of its line.
    fn node_at(&mut self, column: usize, parent: isize, compact: bool) -> Result<Value<'a>> {
        match self.peek() {
            Some(b'-') if self.blank_at(1) && compact => self.block_seq(column),
            Some(b'?') if self.blank_at(1) && compact => self.block_map(column),
            Some(b'|' | b'>') => self.block_scalar(parent),
            Some(b'[' | b'{') => {
                let node = self.flow_node()?;
                self.skip_space();
                if self.peek() == Some(b':') && self.blank_at(1) {
                    return Err(self.err("a collection cannot be a mapping key here"));
                }
                Ok(node)
            }
            Some(b'*') => {
                let save = (self.i, self.line, self.line_start);
                let node = self.alias()?;
                self.skip_space();
                if self.peek() == Some(b':') && self.blank_at(1) && compact {
                    (self.i, self.line, self.line_start) = save;
                    return self.block_map(column);
                }
                Ok(node)
            }
            _ => {
                let save = (self.i, self.line, self.line_start);
                if compact && self.inline_scalar_is_key()? {
                    (self.i, self.line, self.line_start) = save;
                    return self.block_map(column);
                }
                (self.i, self.line, self.line_start) = save;
                match self.peek() {
                    Some(b'"') => self.double_quoted().map(Value::String),
                    Some(b'\'') => self.single_quoted().map(Value::String),
                    _ => {
                        let verbatim = std::mem::take(&mut self.verbatim);
                        let text = self.plain_block(parent)?;
                        Ok(if verbatim { Value::String(text) } else { resolve(text) })
                    }
                }
            }
        }
    }

    /// Reads a one-line scalar at the position and tells whether `: ` follows it (it is a key).
    fn inline_scalar_is_key(&mut self) -> Result<bool> {
        match self.peek() {
            Some(quote @ (b'"' | b'\'')) => {
                // A scalar without escapes that ends on this line is only skipped; any other
                // is read, as a value would be, so that its errors are reported here.
                let from = self.i;
                self.i += 1;
                while !matches!(self.peek(), None | Some(b'"' | b'\'' | b'\\' | b'\n')) {
                    self.i += 1;
                }
                let simple = self.peek() == Some(quote) && (quote == b'"' || self.at(1) != Some(b'\''));
                if simple {
                    self.i += 1;
                } else {
                    self.i = from;
                    let line = self.line;
                    if quote == b'"' {
                        self.double_quoted()?;
                    } else {
                        self.single_quoted()?;
                    }
                    if self.line != line {
                        return Ok(false);
                    }
                }
            }
            Some(b'-' | b'?' | b':') if self.blank_at(1) => return Ok(false),
            Some(b'|' | b'>' | b'[' | b'{' | b'#' | b'%' | b'@' | b'`') => return Ok(false),
            _ => {
                self.plain_line(false);
                return Ok(self.peek() == Some(b':') && self.blank_at(1));
            }
        }
        self.skip_space();
        Ok(self.peek() == Some(b':') && self.blank_at(1))
    }

    /// One line of a plain scalar in block context (`key` stops at `: `); returns its text
    /// without trailing spaces. Stops before ` #`, `: ` or the line end.
    fn plain_line(&mut self, _key: bool) -> &'a str {
        let start = self.i;
        if self.plain.0 == start {
            self.i = self.plain.1;
            return self.src.get(start..self.i).unwrap_or_default();
        }
        let mut end = self.i;
        while let Some(c) = self.peek() {
            match c {
                b'\n' => break,
                b':' if self.blank_at(1) => break,
                b'#' if self.i > start && matches!(self.s.get(self.i - 1), Some(b' ' | b'\t')) => break,
                b' ' | b'\t' => self.i += 1,
                _ => {
                    self.i += 1;
                    end = self.i;
                }
            }
        }
        self.i = end;
        self.plain = (start, end);
        self.src.get(start..end).unwrap_or_default()
    }

    /// A plain scalar in block context, folded over its continuation lines (indented more than
    /// `parent`).
    fn plain_block(&mut self, parent: isize) -> Result<Cow<'a, str>> {
        let first = self.plain_line(false);
        if self.peek() == Some(b':') && self.blank_at(1) {
            return Err(self.err("a mapping key is not allowed here"));
        }
        // One line is borrowed from the source; continuation lines fold into an owned copy.
        let mut text = Cow::Borrowed(first);
        loop {
            let save = (self.i, self.line, self.line_start);
            self.skip_space();
            if self.peek() != Some(b'\n') {
                // A comment, or the end.
                (self.i, self.line, self.line_start) = save;
                return Ok(text);
            }
            self.newline();
            // Count empty lines, find the next content line.
            let mut breaks = 0usize;
            // Whether the content line's indentation is spaces only.
            let mut spaced;
            let indent = loop {
                let spaces = self.i + spaces_from(self.s, self.i);
                let mut k = spaces;
                while matches!(self.s.get(k), Some(b' ' | b'\t')) {
                    k += 1;
                }
                spaced = k == spaces;
                match self.s.get(k) {
                    Some(b'\n') => {
                        self.i = k;
                        self.newline();
                        breaks += 1;
                    }
                    None => break None,
                    Some(_) => break Some(k - self.i),
                }
            };
            let continues = indent.is_some_and(|n| {
                to_isize(n) > parent && self.s.get(self.i + n) != Some(&b'#') && !self.at_document_marker()
            });
            let Some(indent) = indent.filter(|_| continues) else {
                self.prime_next_line(save, breaks, indent.filter(|_| spaced));
                (self.i, self.line, self.line_start) = save;
                return Ok(text);
            };
            self.i += indent;
            let line = self.plain_line(false);
            if self.peek() == Some(b':') && self.blank_at(1) {
                return Err(self.err("a mapping key is not allowed inside a multi-line plain scalar"));
            }
            let folded = text.to_mut();
            if breaks == 0 {
                folded.push(' ');
            } else {
                folded.extend(std::iter::repeat_n('\n', breaks));
            }
            folded.push_str(line);
            crate::work::step();
        }
    }

    fn alias(&mut self) -> Result<Value<'a>> {
        self.i += 1;
        let at = (self.line, self.column());
        let name = self.name()?;
        let Some((value, cost)) = self.anchors.get(&name) else {
            return Err(self.err(format!("unknown alias {}", Quoted(&name))));
        };
        if *cost > self.budget {
            return Err(Error {
                line: at.0,
                column: at.1,
                message: "aliases repeat more text than the size limit allows".to_owned(),
                limit: Some(Limit::Size),
            });
        }
        self.budget -= cost;
        self.expanded += cost;
        self.wide = true;
        Ok(value.clone())
    }

    fn block_map(&mut self, column: usize) -> Result<Value<'a>> {
        self.enter()?;
        // A small mapping's members are on `self.members` from `start`; a large one is moved
        // into `large`, which indexes its keys.
        let exempt = std::mem::take(&mut self.paths_value);
        let start = self.members.len();
        let mut large: Option<Map<'a>> = None;
        loop {
            let (line, col) = (self.line, self.column() + 1);
            let key_props = self.properties()?;
            self.skip_space();
            let (key, value) = if self.peek() == Some(b'?') && self.blank_at(1) {
                self.i += 1;
                let key = self.value(to_isize(column), false, true)?;
                let key = key_text(key).ok_or_else(|| self.err("a collection cannot be a mapping key"))?;
                let value = match self.next_line()? {
                    Some(indent) if indent == column && self.s.get(self.i + indent) == Some(&b':') => {
                        self.i += indent + 1;
                        self.value(to_isize(column), true, true)?
                    }
                    _ => Value::Null,
                };
                (key, value)
            } else {
                let key = match self.peek() {
                    Some(b'"') => self.double_quoted()?,
                    Some(b'\'') => self.single_quoted()?,
                    Some(b'*') => {
                        key_text(self.alias()?).ok_or_else(|| self.err("a collection cannot be a mapping key"))?
                    }
                    _ => {
                        let text = self.plain_line(true);
                        if only_string(text) {
                            Cow::Borrowed(text)
                        } else {
                            key_text(resolve(text.into())).unwrap_or_default()
                        }
                    }
                };
                let key = match key_props.1 {
                    Some(tag) => key_text(self.tagged(&tag, Value::String(key))?).unwrap_or_default(),
                    None => key,
                };
                self.skip_space();
                if !(self.peek() == Some(b':') && self.blank_at(1)) {
                    return Err(self.err("expected `:` after a mapping key"));
                }
                self.i += 1;
                self.paths_value = self.depth == 1 && key == "paths";
                let value = self.value(to_isize(column), true, false)?;
                self.paths_value = false;
                (key, value)
            };
            let added = match &mut large {
                Some(map) => map.insert_new(key, value),
                None => {
                    let small = self.members.get(start..).unwrap_or_default();
                    if small.iter().any(|(k, _)| same_key(k, &key)) {
                        Err(key)
                    } else {
                        self.members.push((key, value));
                        if self.members.len() - start >= tree::INDEXED {
                            large = Some(Map::from_unique(self.members.drain(start..).collect()));
                        }
                        Ok(())
                    }
                }
            };
            if let Err(key) = added {
                return Err(Error {
                    line,
                    column: col,
                    message: format!("duplicate key {}", Quoted(&key)),
                    limit: None,
                });
            }
            match self.next_line()? {
                Some(indent) if indent == column && !self.at_document_marker() => {
                    if self.s.get(self.i + indent) == Some(&b'-') && self.blank_at(indent + 1) {
                        break;
                    }
                    self.i += indent;
                }
                Some(indent) if indent > column => {
                    self.i += indent;
                    return Err(self.err("bad indentation of a mapping entry"));
                }
                _ => break,
            }
        }
        self.leave();
        let map = match large {
            Some(map) => map,
            None => Map::from_unique(self.members.drain(start..).collect()),
        };
        self.wide |= !exempt && map.len() > self.widest;
        Ok(Value::Object(map))
    }

    fn block_seq(&mut self, column: usize) -> Result<Value<'a>> {
        self.enter()?;
        let exempt = std::mem::take(&mut self.paths_value);
        let start = self.items.len();
        loop {
            // At `-`.
            self.i += 1;
            let item = self.value(to_isize(column), false, true)?;
            self.items.push(item);
            match self.next_line()? {
                Some(indent)
                    if indent == column && self.s.get(self.i + indent) == Some(&b'-') && self.blank_at(indent + 1) =>
                {
                    if self.at_document_marker() {
                        break;
                    }
                    self.i += indent;
                }
                Some(indent) if indent > column => {
                    self.i += indent;
                    return Err(self.err("bad indentation of a sequence entry"));
                }
                _ => break,
            }
        }
        self.leave();
        let items: Vec<Value<'a>> = self.items.drain(start..).collect();
        self.wide |= !exempt && items.len() > self.widest;
        Ok(Value::Array(items))
    }

    /// A literal (`|`) or folded (`>`) scalar; its content is indented more than `parent`.
    fn block_scalar(&mut self, parent: isize) -> Result<Value<'a>> {
        let folded = self.peek() == Some(b'>');
        self.i += 1;
        let (mut indicator, mut chomp) = (None, 0i8);
        for _ in 0..2 {
            match self.peek() {
                Some(d @ b'1'..=b'9') if indicator.is_none() => {
                    indicator = Some(usize::from(d - b'0'));
                    self.i += 1;
                }
                Some(b'-') if chomp == 0 => {
                    chomp = -1;
                    self.i += 1;
                }
                Some(b'+') if chomp == 0 => {
                    chomp = 1;
                    self.i += 1;
                }
                _ => {}
            }
        }
        self.end_of_line()?;
        let mut indent = indicator.map(|d| usize::try_from(parent).map_or(d, |p| p + d));
        // The content's lines: the text after the indentation, `None` for an empty line.
        let mut lines: Vec<Option<&'a str>> = Vec::new();
        while self.peek().is_some() {
            let mut k = self.i;
            while self.s.get(k) == Some(&b' ') {
                k += 1;
            }
            let spaces = k - self.i;
            let end = self.s.get(k..).and_then(|r| r.iter().position(|&c| c == b'\n')).map_or(self.s.len(), |p| k + p);
            let blank = k == end;
            let n = match indent {
                Some(n) => n,
                None if blank => spaces + 1,
                None if to_isize(spaces) <= parent => break,
                None => {
                    indent = Some(spaces);
                    spaces
                }
            };
            if !blank && (spaces < n || self.at_document_marker()) {
                break;
            }
            crate::work::step();
            lines.push(if blank && spaces <= n { None } else { self.src.get(self.i + n..end) });
            self.i = end;
            if self.peek().is_some() {
                self.newline();
            }
        }
        // Trailing empty lines belong to chomping.
        let content_end = lines.iter().rposition(Option::is_some).map_or(0, |p| p + 1);
        let trailing = lines.len() - content_end;
        let mut out = String::new();
        let mut prev_text: Option<bool> = None; // Some(true) after a text line, Some(false) after a spaced one
        let mut breaks = 0usize;
        for line in lines.iter().take(content_end) {
            let Some(text) = line else {
                breaks += 1;
                continue;
            };
            let spaced = text.starts_with([' ', '\t']);
            match prev_text {
                None => out.extend(std::iter::repeat_n('\n', breaks)),
                Some(prev) if folded && prev && !spaced => {
                    if breaks == 0 {
                        out.push(' ');
                    } else {
                        out.extend(std::iter::repeat_n('\n', breaks));
                    }
                }
                Some(_) => out.extend(std::iter::repeat_n('\n', breaks + 1)),
            }
            out.push_str(text);
            prev_text = Some(!spaced);
            breaks = 0;
        }
        let has_content = content_end > 0;
        match chomp {
            -1 => {}
            0 => {
                if has_content {
                    out.push('\n');
                }
            }
            _ => {
                if has_content {
                    out.push('\n');
                }
                out.extend(std::iter::repeat_n('\n', trailing));
            }
        }
        Ok(Value::String(out.into()))
    }

    // --- flow context ---------------------------------------------------------------------

    /// Spaces, line breaks and comments inside a flow collection.
    fn flow_space(&mut self) -> Result<()> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t') => self.i += 1,
                Some(b'\n') => self.newline(),
                Some(b'#') if matches!(self.s.get(self.i.wrapping_sub(1)), Some(b' ' | b'\t' | b'\n')) => {
                    while !matches!(self.peek(), None | Some(b'\n')) {
                        self.i += 1;
                    }
                }
                None => return Err(self.err("unterminated flow collection")),
                _ => return Ok(()),
            }
        }
    }

    fn flow_node(&mut self) -> Result<Value<'a>> {
        crate::work::step();
        let props = self.properties()?;
        if props.0.is_some() || props.1.is_some() {
            self.flow_space()?;
        }
        let (start, before) = (self.i, self.expanded);
        let verbatim = is_str_tag(props.1.as_deref());
        let node = match self.peek() {
            Some(b'[') => {
                self.enter()?;
                self.i += 1;
                let mut items = Vec::new();
                loop {
                    self.flow_space()?;
                    if self.peek() == Some(b']') {
                        self.i += 1;
                        break;
                    }
                    let item = self.flow_node()?;
                    self.flow_space()?;
                    let item = if self.peek() == Some(b':') {
                        self.i += 1;
                        self.flow_space()?;
                        let value =
                            if matches!(self.peek(), Some(b',' | b']')) { Value::Null } else { self.flow_node()? };
                        let key = key_text(item).ok_or_else(|| self.err("a collection cannot be a mapping key"))?;
                        self.flow_space()?;
                        let mut pair = Map::new();
                        pair.insert(key, value);
                        // A mapping the reader's depth count does not include.
                        self.wide = true;
                        Value::Object(pair)
                    } else {
                        item
                    };
                    items.push(item);
                    match self.peek() {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            break;
                        }
                        _ => return Err(self.err("expected `,` or `]` in a flow sequence")),
                    }
                }
                self.leave();
                self.wide |= items.len() > self.widest;
                Value::Array(items)
            }
            Some(b'{') => {
                self.enter()?;
                self.i += 1;
                let mut map = Map::new();
                loop {
                    self.flow_space()?;
                    if self.peek() == Some(b'}') {
                        self.i += 1;
                        break;
                    }
                    let (line, col) = (self.line, self.column() + 1);
                    if self.peek() == Some(b'?') && self.blank_at(1) {
                        self.i += 1;
                        self.flow_space()?;
                    }
                    let key = self.flow_node()?;
                    let key = key_text(key).ok_or_else(|| self.err("a collection cannot be a mapping key"))?;
                    self.flow_space()?;
                    let value = if self.peek() == Some(b':') {
                        self.i += 1;
                        self.flow_space()?;
                        if matches!(self.peek(), Some(b',' | b'}')) {
                            Value::Null
                        } else {
                            self.flow_node()?
                        }
                    } else {
                        Value::Null
                    };
                    if let Err(key) = map.insert_new(key, value) {
                        return Err(Error {
                            line,
                            column: col,
                            message: format!("duplicate key {}", Quoted(&key)),
                            limit: None,
                        });
                    }
                    self.flow_space()?;
                    match self.peek() {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            break;
                        }
                        _ => return Err(self.err("expected `,` or `}` in a flow mapping")),
                    }
                }
                self.leave();
                self.wide |= map.len() > self.widest;
                Value::Object(map)
            }
            Some(b'"') => Value::String(self.double_quoted()?),
            Some(b'\'') => Value::String(self.single_quoted()?),
            Some(b'*') => self.alias()?,
            Some(b',' | b']' | b'}') => Value::Null,
            _ => {
                let text = self.plain_flow()?;
                if verbatim {
                    Value::String(text.into())
                } else {
                    resolve(text.into())
                }
            }
        };
        self.finish(props, node, start, before)
    }

    /// A plain scalar in flow context, folded over lines.
    fn plain_flow(&mut self) -> Result<String> {
        let mut text = String::new();
        let mut pending_breaks = 0usize;
        loop {
            let start = self.i;
            let mut end = self.i;
            while let Some(c) = self.peek() {
                match c {
                    b'\n' | b',' | b'[' | b']' | b'{' | b'}' => break,
                    b':' if self.blank_at(1) || matches!(self.at(1), Some(b',' | b'[' | b']' | b'{' | b'}')) => break,
                    b'#' if self.i > start && matches!(self.s.get(self.i - 1), Some(b' ' | b'\t')) => break,
                    b' ' | b'\t' => self.i += 1,
                    _ => {
                        self.i += 1;
                        end = self.i;
                    }
                }
            }
            let part = self.src.get(start..end).unwrap_or_default();
            if !part.is_empty() {
                if !text.is_empty() {
                    if pending_breaks <= 1 {
                        text.push(' ');
                    } else {
                        text.extend(std::iter::repeat_n('\n', pending_breaks - 1));
                    }
                }
                text.push_str(part);
                pending_breaks = 0;
            }
            self.i = end;
            // Continue on the next line unless an indicator ends the scalar.
            let save = (self.i, self.line, self.line_start);
            self.skip_space();
            if self.peek() == Some(b'\n') {
                self.newline();
                pending_breaks += 1;
                self.skip_space();
                while self.peek() == Some(b'\n') {
                    self.newline();
                    pending_breaks += 1;
                    self.skip_space();
                }
                if matches!(self.peek(), None | Some(b',' | b']' | b'}' | b'#' | b'[' | b'{'))
                    || (self.peek() == Some(b':') && (self.blank_at(1)))
                {
                    (self.i, self.line, self.line_start) = save;
                    return Ok(text);
                }
                continue;
            }
            (self.i, self.line, self.line_start) = save;
            return Ok(text);
        }
    }

    // --- quoted scalars ---------------------------------------------------------------------

    /// A single-quoted scalar: borrowed from the source when it is one line without `''`.
    fn single_quoted(&mut self) -> Result<Cow<'a, str>> {
        let (line, column) = (self.line, self.column() + 1);
        self.i += 1;
        let first = self.i;
        while !matches!(self.peek(), None | Some(b'\'' | b'\n')) {
            self.i += 1;
        }
        if self.peek() == Some(b'\'') && self.at(1) != Some(b'\'') {
            let text = self.src.get(first..self.i).unwrap_or_default();
            self.i += 1;
            return Ok(Cow::Borrowed(text));
        }
        self.i = first;
        let mut out = String::new();
        loop {
            let start = self.i;
            while !matches!(self.peek(), None | Some(b'\'' | b'\n')) {
                self.i += 1;
            }
            out.push_str(self.src.get(start..self.i).unwrap_or_default());
            match self.peek() {
                None => {
                    return Err(Error {
                        line,
                        column,
                        message: "unterminated single-quoted scalar".into(),
                        limit: None,
                    })
                }
                Some(b'\'') if self.at(1) == Some(b'\'') => {
                    out.push('\'');
                    self.i += 2;
                }
                Some(b'\'') => {
                    self.i += 1;
                    return Ok(Cow::Owned(out));
                }
                _ => self.fold_quoted(&mut out, 0),
            }
        }
    }

    /// A double-quoted scalar: borrowed from the source when it is one line without escapes.
    fn double_quoted(&mut self) -> Result<Cow<'a, str>> {
        let (line, column) = (self.line, self.column() + 1);
        self.i += 1;
        let first = self.i;
        while !matches!(self.peek(), None | Some(b'"' | b'\\' | b'\n')) {
            self.i += 1;
        }
        if self.peek() == Some(b'"') {
            let text = self.src.get(first..self.i).unwrap_or_default();
            self.i += 1;
            return Ok(Cow::Borrowed(text));
        }
        self.i = first;
        let mut out = String::new();
        // Where trailing raw whitespace begins (escaped characters are not trimmed).
        let mut kept = 0usize;
        loop {
            let start = self.i;
            while !matches!(self.peek(), None | Some(b'"' | b'\\' | b'\n')) {
                self.i += 1;
            }
            out.push_str(self.src.get(start..self.i).unwrap_or_default());
            match self.peek() {
                None => {
                    return Err(Error {
                        line,
                        column,
                        message: "unterminated double-quoted scalar".into(),
                        limit: None,
                    })
                }
                Some(b'"') => {
                    self.i += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    let c = self.at(1).ok_or_else(|| self.err("unterminated escape"))?;
                    self.i += 2;
                    let hex = |r: &mut Self, n: usize| -> Result<char> {
                        let digits = r.src.get(r.i..r.i + n).ok_or_else(|| r.err("short escape"))?;
                        let code = u32::from_str_radix(digits, 16).map_err(|_| r.err("bad escape digits"))?;
                        r.i += n;
                        char::from_u32(code).ok_or_else(|| r.err("escape is not a character"))
                    };
                    let ch = match c {
                        b'0' => '\0',
                        b'a' => '\u{7}',
                        b'b' => '\u{8}',
                        b't' | b'\t' => '\t',
                        b'n' => '\n',
                        b'v' => '\u{b}',
                        b'f' => '\u{c}',
                        b'r' => '\r',
                        b'e' => '\u{1b}',
                        b' ' => ' ',
                        b'"' => '"',
                        b'/' => '/',
                        b'\\' => '\\',
                        b'N' => '\u{85}',
                        b'_' => '\u{a0}',
                        b'L' => '\u{2028}',
                        b'P' => '\u{2029}',
                        b'x' => hex(self, 2)?,
                        b'u' => {
                            let first =
                                hex_code(self.src.get(self.i..self.i + 4)).ok_or_else(|| self.err("bad \\u escape"))?;
                            self.i += 4;
                            if (0xD800..0xDC00).contains(&first) && self.s.get(self.i..self.i + 2) == Some(b"\\u") {
                                let second = hex_code(self.src.get(self.i + 2..self.i + 6)).unwrap_or(0);
                                if (0xDC00..0xE000).contains(&second) {
                                    self.i += 6;
                                    char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
                                        .ok_or_else(|| self.err("bad surrogate pair"))?
                                } else {
                                    return Err(self.err("lone surrogate in a \\u escape"));
                                }
                            } else {
                                char::from_u32(first).ok_or_else(|| self.err("lone surrogate in a \\u escape"))?
                            }
                        }
                        b'U' => hex(self, 8)?,
                        b'\n' => {
                            // An escaped line break: joined without a space.
                            self.i -= 1;
                            self.newline();
                            self.skip_space();
                            while self.peek() == Some(b'\n') {
                                out.push('\n');
                                self.newline();
                                self.skip_space();
                            }
                            kept = out.len();
                            continue;
                        }
                        _ => {
                            self.i -= 1;
                            return Err(self.err("unknown escape sequence"));
                        }
                    };
                    out.push(ch);
                    kept = out.len();
                }
                _ => {
                    self.fold_quoted(&mut out, kept);
                    kept = out.len();
                }
            }
        }
    }

    /// At a line break inside a quoted scalar: trims the spaces before it (down to `keep`),
    /// skips the next lines' indentation, and writes a space or the empty lines' breaks.
    fn fold_quoted(&mut self, out: &mut String, keep: usize) {
        let trimmed = out.trim_end_matches([' ', '\t']).len().max(keep.min(out.len()));
        out.truncate(trimmed);
        self.newline();
        self.skip_space();
        let mut breaks = 0;
        while self.peek() == Some(b'\n') {
            breaks += 1;
            self.newline();
            self.skip_space();
        }
        if breaks == 0 {
            out.push(' ');
        } else {
            out.extend(std::iter::repeat_n('\n', breaks));
        }
    }
}

fn is_str_tag(tag: Option<&str>) -> bool {
    matches!(tag, Some("!" | "!!str" | "!<tag:yaml.org,2002:str>"))
}

fn hex_code(s: Option<&str>) -> Option<u32> {
    let s = s?;
    if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(s, 16).ok()
}

fn to_isize(n: usize) -> isize {
    isize::try_from(n).unwrap_or(isize::MAX)
}

/// A scalar as a mapping key: its text (numbers as JavaScript prints them); `None` for a collection.
fn key_text(v: Value<'_>) -> Option<Cow<'_, str>> {
    match v {
        Value::String(s) => Some(s),
        Value::Null => Some(Cow::Borrowed("null")),
        Value::Bool(b) => Some(Cow::Borrowed(if b { "true" } else { "false" })),
        Value::Number(n) => Some(Cow::Owned(number_text(&n))),
        Value::Array(_) | Value::Object(_) => None,
    }
}

/// A number as JavaScript's `String(n)` writes it.
pub(crate) fn number_text(n: &Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    n.as_f64().map(crate::emit::yaml::js_yaml_number).unwrap_or_default()
}

/// What js-yaml's default schema reads a plain scalar as.
fn resolve(text: Cow<'_, str>) -> Value<'_> {
    if only_string(&text) {
        return Value::String(text);
    }
    // Decimal digits only, too few to pass 64 bits: what `parse_int` makes of them, directly.
    let digits = text.as_bytes();
    if (1..=19).contains(&digits.len()) && digits.iter().all(u8::is_ascii_digit) {
        if let Ok(n) = text.parse::<u64>() {
            return Value::Number(n.into());
        }
    }
    match &*text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let b = text.as_bytes();
    if resolves_int(b) {
        if let Some(n) = parse_int(&text) {
            return Value::Number(n);
        }
    } else if resolves_float(b) {
        let cleaned: String = text.chars().filter(|&c| c != '_').collect();
        return match cleaned.parse::<f64>().ok().and_then(Number::from_f64) {
            Some(n) => Value::Number(n),
            // `.inf` and `.nan` have no JSON form (JSON.stringify writes null).
            None => Value::Null,
        };
    }
    Value::String(text)
}

/// How many spaces `s` has from `at` on (eight at a time while it can: indentation is long).
fn spaces_from(s: &[u8], at: usize) -> usize {
    const EIGHT: u64 = u64::from_ne_bytes(*b"        ");
    let mut k = at;
    while s.get(k..k + 8).and_then(|run| <[u8; 8]>::try_from(run).ok()).map(u64::from_ne_bytes) == Some(EIGHT) {
        k += 8;
    }
    while s.get(k) == Some(&b' ') {
        k += 1;
    }
    k - at
}

/// `a == b`, telling most different keys of the same length apart by their first byte, without
/// a call to compare the rest.
fn same_key(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().first() == b.as_bytes().first() && a == b
}

/// Whether plain text can only be a string: null, booleans and numbers start with one of these.
fn only_string(text: &str) -> bool {
    text.as_bytes().first().is_some_and(|c| {
        !matches!(c, b'~' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'+' | b'-' | b'.' | b'0'..=b'9')
    })
}

/// Whether a node that starts with `c` can only be a plain scalar: not an indicator (`-`, `?`,
/// `:`, `[`, `{`, `|`, `>`, `*`, `&`, `!`, quotes, `#`, …), a space or a line break.
fn starts_plain_value(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'/' | b'$' | b'_' | b'.' | b'+' | b'~')
}

/// js-yaml's integer: sign, `0b`/`0x`/`0o` prefixes, `_` separators.
fn parse_int(text: &str) -> Option<Number> {
    let cleaned: Cow<'_, str> =
        if text.contains('_') { Cow::Owned(text.chars().filter(|&c| c != '_').collect()) } else { Cow::Borrowed(text) };
    let (negative, body) = match cleaned.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, cleaned.strip_prefix('+').unwrap_or(&cleaned)),
    };
    let (radix, digits) = if let Some(d) = body.strip_prefix("0b") {
        (2, d)
    } else if let Some(d) = body.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = body.strip_prefix("0o") {
        (8, d)
    } else {
        (10, body)
    };
    match u64::from_str_radix(digits, radix) {
        Ok(v) if !negative => Some(Number::from(v)),
        Ok(v) => match i64::try_from(v) {
            Ok(v) => Some(Number::from(-v)),
            #[allow(clippy::cast_precision_loss)]
            Err(_) => Number::from_f64(-(v as f64)),
        },
        // Past 64 bits: a double, as in JavaScript.
        Err(_) => {
            let mut value = 0f64;
            for d in digits.chars() {
                value = value * f64::from(radix) + f64::from(d.to_digit(radix)?);
            }
            Number::from_f64(if negative { -value } else { value })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value as Json};

    /// The tree as a `serde_json::Value`, to compare with `json!`.
    fn read(s: &str) -> Json {
        serde_json::to_value(parse(s, 64, 1 << 20).unwrap_or_else(|e| panic!("{s:?}: {e:?}"))).unwrap()
    }

    fn fails(s: &str) -> Error {
        parse(s, 64, 1 << 20).expect_err(s)
    }

    #[test]
    fn block_collections() {
        assert_eq!(
            read("a: 1\nb:\n  c: x\n  d: [1, 'two', \"3\"]\n"),
            json!({"a": 1, "b": {"c": "x", "d": [1, "two", "3"]}})
        );
        assert_eq!(
            read("s:\n- a\n- b: 1\n  c: 2\n- - x\n  - y\nt: {}\n"),
            json!({"s": ["a", {"b": 1, "c": 2}, ["x", "y"]], "t": {}})
        );
        assert_eq!(read("- a\n-\n  b: 1\n- []\n"), json!(["a", {"b": 1}, []]));
        assert_eq!(read("? long key\n: value\n? k2\n: - a\n  - b\n"), json!({"long key": "value", "k2": ["a", "b"]}));
        assert_eq!(read("# c\n---\nk: v # comment\n...\n"), json!({"k": "v"}));
        assert_eq!(read("k:\n"), json!({"k": null}));
        assert_eq!(read("k: v"), json!({"k": "v"}));
        assert_eq!(read("k:\n  - a"), json!({"k": ["a"]}));
        assert_eq!(read("k: |\n  x"), json!({"k": "x\n"}));
        assert_eq!(read("'200':\n  x: 1\n300: y\n"), json!({"200": {"x": 1}, "300": "y"}));
        assert_eq!(read("a: &x {b: 1}\nc: *x\n"), json!({"a": {"b": 1}, "c": {"b": 1}}));
    }

    #[test]
    fn scalars_as_js_yaml_reads_them() {
        let v = read("a: +.5\nb: 1_\nc: '1e3'\nd: 1e3\ne: 0x1F\nf: true\ng: ~\nh: 2024-01-01\ni: -.5\nj: 007\n");
        assert_eq!(
            v,
            json!({"a": "+.5", "b": "1_", "c": "1e3", "d": 1000.0, "e": 31, "f": true, "g": null, "h": "2024-01-01", "i": "-.5", "j": 7})
        );
        assert_eq!(read("a: 'it''s'\nb: \"\\t\\u00e9\\x41\\U0001F680\"\n"), json!({"a": "it's", "b": "\té\u{41}🚀"}));
        assert_eq!(read("a: one\n  two\n\n  three\n"), json!({"a": "one two\nthree"}));
        assert_eq!(read("a: 'one\n  two\n\n  three'\n"), json!({"a": "one two\nthree"}));
        assert_eq!(read("a: \"one \\\n  two\"\n"), json!({"a": "one two"}));
        assert_eq!(read("a: !!str 12\nb: ! 13\n"), json!({"a": "12", "b": "13"}));
    }

    #[test]
    fn block_scalars() {
        assert_eq!(read("a: |\n  x\n   y\n\nb: 1\n"), json!({"a": "x\n y\n", "b": 1}));
        assert_eq!(read("a: |-\n  x\n\n  y\n\n"), json!({"a": "x\n\ny"}));
        assert_eq!(read("a: |+\n  x\n\n"), json!({"a": "x\n\n"}));
        assert_eq!(read("a: |2-\n   lead\n  x\n"), json!({"a": " lead\nx"}));
        assert_eq!(
            read(">\n folded\n line\n\n next\n line\n   * bullet\n\n   * list\n   * lines\n\n last\n line\n"),
            json!("folded line\nnext line\n  * bullet\n\n  * list\n  * lines\n\nlast line\n")
        );
        assert_eq!(read("- url: >-\n    http://abc.com\n"), json!([{"url": "http://abc.com"}]));
        assert_eq!(read("- k: |-\n    a\n    b\n  j: 1\n"), json!([{"k": "a\nb", "j": 1}]));
    }

    #[test]
    fn errors_are_located() {
        let e = fails("a: 1\nb: [1, 2\n");
        assert!(e.message.contains("unterminated"), "{e:?}");
        let e = fails("a: 1\na: 2\n");
        assert_eq!((e.line, e.column, e.message.as_str()), (2, 1, "duplicate key \"a\""));
        let e = fails("a: b: c\n");
        assert_eq!(e.line, 1);
        let e = fails("a:\n\tb: 1\n");
        assert!(e.message.contains("tab"), "{e:?}");
        assert!(fails("a: *nope\n").message.contains("unknown alias"));
        assert!(fails("a: 1\n---\nb: 2\n").message.contains("one YAML document"));
    }

    /// A plain scalar (or a mapping that begins with one) is read without the general dispatch,
    /// and the line after it is measured once: values over several lines, comments, blank
    /// lines, tabs, document markers and keys where a value belongs read and fail as they
    /// always did.
    #[test]
    fn plain_values_and_the_lines_after_them() {
        assert_eq!(
            read("a: one  \n  two  \nb: x#y # c\nc: v\n\nd: 1\ne: /p/{id}\n  # note\nf: $x.y\n"),
            json!({"a": "one two", "b": "x#y", "c": "v", "d": 1, "e": "/p/{id}", "f": "$x.y"})
        );
        assert_eq!(
            read("- k: a\n  j: +1\n  l: ~\n- m: .5\n  n: b:c\n    o\n"),
            json!([{"k": "a", "j": 1, "l": null}, {"m": 0.5, "n": "b:c o"}])
        );
        assert_eq!(read("k:\n  a: x\n  b: 2\nz: _\n"), json!({"k": {"a": "x", "b": 2}, "z": "_"}));
        assert_eq!(read("k: v\n...\n"), json!({"k": "v"}));
        assert_eq!(read("k:\n  a: x\n    - b\n"), json!({"k": {"a": "x - b"}}));
        assert_eq!(read("k: v   "), json!({"k": "v"}));
        assert_eq!(
            read("- a: 1\n  b: x\n- plain\n  more\n- 12\n- c:\n    - d\n"),
            json!([{"a": 1, "b": "x"}, "plain more", 12, {"c": ["d"]}])
        );
        assert_eq!(
            read("a: 007\nb: 9999999999999999999\nc: 18446744073709551616\nd: 0\ne: 1_0\nf: 0x10\ng: 12a\n"),
            json!({"a": 7, "b": 9_999_999_999_999_999_999u64, "c": 18_446_744_073_709_551_616.0, "d": 0, "e": 10, "f": 16, "g": "12a"})
        );
        let located = |s: &str| {
            let e = fails(s);
            (e.line, e.column, e.message)
        };
        let here = "a mapping or sequence cannot start here: move it to a line of its own".to_owned();
        assert_eq!(located("a: b: c\n"), (1, 4, here.clone()));
        assert_eq!(located("- a: b: c\n"), (1, 6, here.clone()));
        assert_eq!(located("x:\n  a: 1\n  b: c: d\n"), (3, 6, here));
        let inside = "a mapping key is not allowed inside a multi-line plain scalar".to_owned();
        assert_eq!(located("a: x\n b: 1\n"), (2, 3, inside.clone()));
        assert_eq!(located("a: x\n \tb: 1\n"), (2, 4, inside));
        assert_eq!(located("k:\n  a: x\n\tb: 1\n"), (3, 1, "a tab character cannot indent YAML".to_owned()));
        assert_eq!(located("k: v\n---\nj: 1\n"), (2, 1, "only one YAML document can be imported".to_owned()));
        assert_eq!(located("k:\n  a: x\n b: 1\n"), (3, 2, "bad indentation of a mapping entry".to_owned()));
    }

    /// Mappings are kept on the reader's stack while small and indexed past 16 members: a
    /// repeated key is refused at its place either way, and the members keep their order.
    #[test]
    fn duplicate_keys_in_small_and_large_mappings() {
        let keys = |n: usize, repeat: &str| {
            let mut lines: Vec<String> = (0..n).map(|i| format!("  k{i}: {i}\n")).collect();
            lines.push(format!("  {repeat}: x\n"));
            format!("top:\n{}", lines.concat())
        };
        for n in [3, 15, 16, 17, 40] {
            let e = fails(&keys(n, "k1"));
            assert_eq!((e.line, e.column, e.message.as_str()), (n + 2, 3, "duplicate key \"k1\""), "{n}");
            let e = fails(&keys(n, &format!("k{}", n - 1)));
            assert_eq!((e.line, e.message.contains("duplicate key")), (n + 2, true), "{n}");
            let tree = read(&keys(n, "last"));
            let members: Vec<&String> = tree["top"].as_object().unwrap().keys().collect();
            assert_eq!(members.len(), n + 1);
            assert!(members.iter().take(n).enumerate().all(|(i, k)| **k == format!("k{i}")), "{n}");
        }
    }

    /// A quoted scalar is borrowed or copied, and only skipped or read when telling a key: the
    /// text and the errors are the same either way.
    #[test]
    fn quoted_scalars_as_keys_and_values() {
        assert_eq!(
            read("'a': 'b'\n\"c\": \"d\"\n'it''s': \"t\\tab\"\n\"e\\u0041\": 'x'\n"),
            json!({"a": "b", "c": "d", "it's": "t\tab", "eA": "x"})
        );
        assert_eq!(read("k: \"one\n  two\"\n"), json!({"k": "one two"}));
        assert_eq!(read("- \"a\": 1\n- 'b'\n"), json!([{"a": 1}, "b"]));
        let e = fails("k: \"bad \\q\"\n");
        assert!(e.message.contains("unknown escape"), "{e:?}");
        let e = fails("- \"bad \\q\": 1\n");
        assert!(e.message.contains("unknown escape"), "{e:?}");
        let e = fails("k: 'open\n");
        assert!(e.message.contains("unterminated single-quoted"), "{e:?}");
    }

    #[test]
    fn limits() {
        let deep = format!("{}1{}", "[".repeat(100), "]".repeat(100));
        let e = parse(&deep, 64, 0).expect_err("too deep");
        assert_eq!((e.limit, e.column), (Some(Limit::Depth), 65));
        let deep_block: String = (0..100).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        assert_eq!(parse(&deep_block, 64, 0).expect_err("too deep").limit, Some(Limit::Depth));
        let dashes = format!("{}x\n", "- ".repeat(100));
        assert_eq!(parse(&dashes, 64, 0).expect_err("too deep").limit, Some(Limit::Depth));
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..20 {
            bomb.push_str(&format!(
                "b{i}: &b{i} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n",
                p = if i == 0 { "a".to_owned() } else { format!("b{}", i - 1) }
            ));
        }
        let e = parse(&bomb, 64, 10_000).expect_err("bomb");
        assert_eq!(e.limit, Some(Limit::Size));
    }

    /// Numbers compared as the doubles JavaScript holds.
    fn same(a: &Json, b: &Json) -> bool {
        match (a, b) {
            (Json::Number(x), Json::Number(y)) => x.as_f64() == y.as_f64(),
            (Json::Array(x), Json::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
            (Json::Object(x), Json::Object(y)) => {
                x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
            }
            _ => a == b,
        }
    }

    #[test]
    fn every_golden_yaml_reads_as_its_json() {
        let mut count = 0;
        for dir in std::fs::read_dir("fixtures/expected").unwrap() {
            for file in std::fs::read_dir(dir.unwrap().path()).unwrap() {
                let path = file.unwrap().path();
                if path.extension().is_some_and(|e| e == "yaml") {
                    let yaml = std::fs::read_to_string(&path).unwrap();
                    let json: Json =
                        serde_json::from_slice(&std::fs::read(path.with_extension("json")).unwrap()).unwrap();
                    let read = parse(&yaml, 64, yaml.len()).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
                    let read = serde_json::to_value(read).unwrap();
                    assert!(same(&read, &json), "{}", path.display());
                    count += 1;
                }
            }
        }
        assert!(count > 100, "{count}");
    }
}
