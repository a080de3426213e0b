//! Word-at-a-time byte classification: eight bytes per step in a `u64`, each test leaving the
//! high bit set in exactly the bytes that pass it (no carry crosses from one byte to the next),
//! so that flags of several tests combine with `|` and `&` and the first is found by counting
//! trailing zeros. Portable code, no `unsafe`.

const LOW_BITS: u64 = 0x7F7F_7F7F_7F7F_7F7F;
const HIGH_BIT: u64 = 0x8080_8080_8080_8080;

/// `byte` in every byte of a word.
#[inline(always)]
pub(crate) const fn splat(byte: u8) -> u64 {
    0x0101_0101_0101_0101 * byte as u64
}

/// High bit set in each byte of `word` that is zero, and only there.
#[inline(always)]
pub(crate) fn zero_bytes(word: u64) -> u64 {
    // The low seven bits plus 0x7F carry into the high bit unless they are all zero; no byte
    // carries into the next.
    !(((word & LOW_BITS) + LOW_BITS) | word) & HIGH_BIT
}

/// High bit set in each byte of `word` equal to `byte`.
#[inline(always)]
pub(crate) fn equal(word: u64, byte: u8) -> u64 {
    zero_bytes(word ^ splat(byte))
}

/// High bit set in each byte of `word` below 0x20.
#[inline(always)]
pub(crate) fn below_0x20(word: u64) -> u64 {
    // The low seven bits plus 0x60 reach the high bit from 0x20 on (at most 0xDF: no carry out).
    !(((word & LOW_BITS) + splat(0x60)) | word) & HIGH_BIT
}

/// The index within its word of the first flagged byte.
#[inline(always)]
pub(crate) fn lane(flags: u64) -> usize {
    (flags.trailing_zeros() / 8) as usize
}

/// High bit set in each byte of `word` at or above 0x7F (DEL and every non-ASCII byte).
#[inline(always)]
pub(crate) fn at_least_0x7f(word: u64) -> u64 {
    // The low seven bits plus one reach the high bit only from 0x7F; bytes from 0x80 have it.
    (((word & LOW_BITS) + splat(0x01)) | word) & HIGH_BIT
}
