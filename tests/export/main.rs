//! What an export writes: goldens byte for byte, fidelity to real APIG exports, scopes, the
//! quirk table, what the Strict profile renames and what follows it, schema validity, the
//! documented examples, how output reaches the sink, bounded warnings, and the command-line
//! example.

#[path = "../common/mod.rs"]
mod common;

mod bounds;
mod cli;
mod docs;
mod fidelity;
mod golden;
mod quirks;
mod schema;
mod scopes;
mod strict;
mod writes;
