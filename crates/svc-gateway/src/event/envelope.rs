//! The fast scanner: a payload's `op`, `s` and `t` without building `d`.

use std::borrow::Cow;
use std::ops::Range;

use crate::decode_error::{DecodeError, DecodeErrorKind};

/// The routing part of a gateway payload: opcode, sequence, event name.
///
/// [`Envelope::from_slice`] walks only the top-level object and stops as soon as it has
/// seen `op`, `s` and `t` (Discord sends them before `d`), so deciding what to do with a
/// payload costs a few dozen bytes of scanning whatever the size of `d`. It checks the
/// structure it walks but does not validate what it skips; [`crate::event::Event::from_slice`]
/// does the full parse.
///
/// ```
/// use svc_gateway::event::Envelope;
///
/// let env = Envelope::from_slice(br#"{"t":"MESSAGE_CREATE","s":42,"op":0,"d":{"content":"hi"}}"#).unwrap();
/// assert_eq!((env.op, env.s, env.t.as_deref()), (0, Some(42), Some("MESSAGE_CREATE")));
/// assert!(Envelope::from_slice(b"{\"d\":1}").is_err()); // no opcode
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// The opcode.
    pub op: u8,
    /// The sequence number (dispatches only).
    pub s: Option<u64>,
    /// The event name (dispatches only).
    pub t: Option<String>,
}

impl Envelope {
    /// Scans a payload's top level for `op`, `s` and `t`.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, DecodeError> {
        Route::scan(bytes).map(Route::into_envelope)
    }
}

/// An [`Envelope`] whose name borrows from the payload (owned only when `t` had escapes):
/// what the full decode routes on, so it never allocates a name it only compares.
#[derive(Debug)]
pub(crate) struct Route<'a> {
    pub(crate) op: u8,
    pub(crate) s: Option<u64>,
    pub(crate) t: Option<Cow<'a, str>>,
    /// Where `d`'s value lies when the payload looks like exactly
    /// `{"t":…,"s":…,"op":…,"d":VALUE}`: the fast path read the prefix (a clean name, plain
    /// numbers), `,"d":` follows it and the payload ends with `}`. So the payload is valid
    /// JSON exactly when VALUE is; VALUE may still be malformed or followed by more members,
    /// which parsing it alone reveals. `None` whenever the general scanner was needed.
    pub(crate) data: Option<Range<usize>>,
}

impl<'a> Route<'a> {
    /// Scans a payload's top level for `op`, `s` and `t`.
    pub(crate) fn scan(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        match discord_order(bytes) {
            Some(route) => Ok(route),
            None => Scanner { b: bytes, i: 0 }.envelope(),
        }
    }

    pub(crate) fn into_envelope(self) -> Envelope {
        Envelope {
            op: self.op,
            s: self.s,
            t: self.t.map(Cow::into_owned),
        }
    }
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
}

/// The fast path: Discord writes `{"t":…,"s":…,"op":…` in that order with no whitespace,
/// so that exact prefix is read without key matching. Anything else (other orders,
/// whitespace, escapes in `t`, bad numbers) gives `None` and the general scanner decides,
/// errors included, so both paths agree on every input.
fn discord_order(bytes: &[u8]) -> Option<Route<'_>> {
    let rest = bytes.strip_prefix(b"{\"t\":")?;
    // JSON strings cannot hold raw control characters: only a clean name lets `data` vouch
    // for the prefix.
    let mut clean = true;
    let (t, rest) = if let Some(rest) = rest.strip_prefix(b"null") {
        (None, rest)
    } else {
        let rest = rest.strip_prefix(b"\"")?;
        let end = rest.iter().position(|&c| c == b'"' || c == b'\\')?;
        if rest[end] != b'"' {
            return None;
        }
        let name = std::str::from_utf8(&rest[..end]).ok()?;
        clean = name.bytes().all(|c| c >= 0x20);
        (Some(Cow::Borrowed(name)), &rest[end + 1..])
    };
    let rest = rest.strip_prefix(b",\"s\":")?;
    let (s, rest) = if let Some(rest) = rest.strip_prefix(b"null") {
        (None, rest)
    } else {
        let (s, rest) = digits(rest)?;
        (Some(s), rest)
    };
    let rest = rest.strip_prefix(b",\"op\":")?;
    let (op, rest) = digits(rest)?;
    let data = match rest.strip_prefix(b",\"d\":") {
        Some(value) if clean => {
            let start = bytes.len() - value.len();
            let end = bytes.len() - bytes.iter().rev().take_while(|c| is_ws(**c)).count();
            (end > start && bytes[end - 1] == b'}').then(|| start..end - 1)
        }
        _ => None,
    };
    Some(Route {
        op: u8::try_from(op).ok()?,
        s,
        t,
        data,
    })
}

fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\n' | b'\r' | b'\t')
}

/// 1 to 19 ASCII digits (always fits a `u64`) without a leading zero, as JSON writes
/// them, and what follows them.
fn digits(bytes: &[u8]) -> Option<(u64, &[u8])> {
    let n = bytes.iter().take_while(|c| c.is_ascii_digit()).count();
    if n == 0 || n > 19 || (n > 1 && bytes[0] == b'0') {
        return None;
    }
    let value = bytes[..n]
        .iter()
        .fold(0u64, |acc, &c| acc * 10 + u64::from(c - b'0'));
    Some((value, &bytes[n..]))
}

fn malformed(what: &'static str) -> DecodeError {
    DecodeError::with_source(DecodeErrorKind::Malformed, what)
}

impl<'a> Scanner<'a> {
    fn envelope(&mut self) -> Result<Route<'a>, DecodeError> {
        self.ws();
        self.expect(b'{')?;
        let mut op: Option<u64> = None;
        let mut s: Option<Option<u64>> = None;
        let mut t: Option<Option<Cow<'a, str>>> = None;
        self.ws();
        if self.peek() == Some(b'}') {
            return Err(DecodeError::new(DecodeErrorKind::MissingOpcode));
        }
        loop {
            self.ws();
            let key = self.string_raw()?;
            self.ws();
            self.expect(b':')?;
            self.ws();
            match key {
                b"op" => op = Some(self.number()?.ok_or_else(|| malformed("op is null"))?),
                b"s" => s = Some(self.number()?),
                b"t" => t = Some(self.name()?),
                _ => self.skip_value(0)?,
            }
            if let (Some(op), Some(s), Some(_)) = (op, s, &t) {
                return finish(op, s, t.flatten());
            }
            self.ws();
            match self.next() {
                Some(b',') => {}
                Some(b'}') => break,
                _ => return Err(malformed("expected , or } in the top-level object")),
            }
        }
        let op = op.ok_or_else(|| DecodeError::new(DecodeErrorKind::MissingOpcode))?;
        finish(op, s.flatten(), t.flatten())
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }

    fn ws(&mut self) {
        while self.peek().is_some_and(is_ws) {
            self.i += 1;
        }
    }

    fn expect(&mut self, c: u8) -> Result<(), DecodeError> {
        if self.next() == Some(c) {
            Ok(())
        } else {
            Err(malformed("unexpected byte"))
        }
    }

    /// A string's raw bytes between the quotes (escapes left as they are).
    fn string_raw(&mut self) -> Result<&'a [u8], DecodeError> {
        self.expect(b'"')?;
        let start = self.i;
        self.skip_string_body()?;
        let bytes = self.b;
        Ok(&bytes[start..self.i - 1])
    }

    /// Skips to just past the closing quote.
    fn skip_string_body(&mut self) -> Result<(), DecodeError> {
        let rest = &self.b[self.i..];
        let mut j = 0;
        while j < rest.len() {
            match rest[j] {
                b'"' => {
                    self.i += j + 1;
                    return Ok(());
                }
                b'\\' => j += 2,
                _ => j += 1,
            }
        }
        Err(malformed("unterminated string"))
    }

    /// `null` or a non-negative integer.
    fn number(&mut self) -> Result<Option<u64>, DecodeError> {
        if self.b[self.i..].starts_with(b"null") {
            self.i += 4;
            return Ok(None);
        }
        let start = self.i;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.i += 1;
        }
        let digits =
            std::str::from_utf8(&self.b[start..self.i]).map_err(|_| malformed("bad number"))?;
        digits
            .parse()
            .map(Some)
            .map_err(|_| malformed("expected an unsigned integer"))
    }

    /// `null` or a string, unescaped.
    fn name(&mut self) -> Result<Option<Cow<'a, str>>, DecodeError> {
        if self.b[self.i..].starts_with(b"null") {
            self.i += 4;
            return Ok(None);
        }
        let start = self.i;
        let raw = self.string_raw()?;
        if !raw.contains(&b'\\') {
            return std::str::from_utf8(raw)
                .map(|s| Some(Cow::Borrowed(s)))
                .map_err(|_| malformed("t is not UTF-8"));
        }
        let quoted = &self.b[start..self.i];
        serde_json::from_slice::<String>(quoted)
            .map(|s| Some(Cow::Owned(s)))
            .map_err(|e| DecodeError::with_source(DecodeErrorKind::Malformed, e))
    }

    /// Skips one value of any kind, nested containers included.
    fn skip_value(&mut self, _depth: usize) -> Result<(), DecodeError> {
        let mut depth = 0usize;
        loop {
            match self.next() {
                None => return Err(malformed("truncated value")),
                Some(b'"') => self.skip_string_body()?,
                Some(b'{' | b'[') => depth += 1,
                Some(b'}' | b']') => {
                    depth = depth
                        .checked_sub(1)
                        .ok_or_else(|| malformed("unbalanced brackets"))?;
                }
                Some(_) => {
                    // Scalars: run to the next delimiter.
                    while let Some(c) = self.peek() {
                        if matches!(c, b',' | b'}' | b']' | b'"' | b'{' | b'[') {
                            break;
                        }
                        self.i += 1;
                    }
                }
            }
            if depth == 0 {
                return Ok(());
            }
        }
    }
}

fn finish(op: u64, s: Option<u64>, t: Option<Cow<'_, str>>) -> Result<Route<'_>, DecodeError> {
    let op =
        u8::try_from(op).map_err(|_| DecodeError::new(DecodeErrorKind::UnknownOpcode { op }))?;
    Ok(Route {
        op,
        s,
        t,
        data: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_fields_in_any_order_and_skips_nested_data() {
        let env = Envelope::from_slice(
            br#" { "d": {"a": [1, "x\"}", {"b": null}]}, "op": 0, "s": 7, "t": "A\u0042" } "#,
        )
        .unwrap();
        assert_eq!(
            env,
            Envelope {
                op: 0,
                s: Some(7),
                t: Some("AB".into())
            }
        );
        let env = Envelope::from_slice(br#"{"op":11,"d":null}"#).unwrap();
        assert_eq!(
            env,
            Envelope {
                op: 11,
                s: None,
                t: None
            }
        );
    }

    #[test]
    fn fast_path_agrees_with_the_general_scanner() {
        for input in [
            &br#"{"t":"MESSAGE_CREATE","s":42,"op":0,"d":{}}"#[..],
            br#"{"t":null,"s":null,"op":11}"#,
            br#"{"t":"A\u0042","s":1,"op":0,"d":1}"#,
            br#"{"t":"X","s":,"op":0}"#,
            br#"{"t":"X","s":1,"op":256}"#,
            br#"{"t":"X","s":99999999999999999999,"op":0}"#,
            br#"{"t":"X","s":1,"op":"#,
            br#"{"t":"X"#,
            b"{\"t\":\"\xff\",\"s\":1,\"op\":0}",
        ] {
            let general = Scanner { b: input, i: 0 }.envelope();
            match discord_order(input) {
                Some(fast) => {
                    let general = general.unwrap();
                    assert_eq!(
                        (fast.op, fast.s, fast.t),
                        (general.op, general.s, general.t)
                    );
                }
                None => assert!(
                    general.is_err() || input.windows(2).any(|w| w == b"\\u"),
                    "{}",
                    String::from_utf8_lossy(input)
                ),
            }
        }
    }

    #[test]
    fn rejects_truncated_and_odd_input() {
        for bad in [
            &b""[..],
            b"{",
            b"[]",
            b"{\"op\":",
            b"{\"op\":-1}",
            b"{\"d\":{\"x\":1",
            b"{\"op\":1 \"s\":2}",
            b"{}",
        ] {
            assert!(
                Envelope::from_slice(bad).is_err(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}
