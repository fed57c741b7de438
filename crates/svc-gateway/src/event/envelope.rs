//! The fast scanner: a payload's `op`, `s` and `t` without building `d`.

use crate::decode_error::{DecodeError, DecodeErrorKind};

/// The routing part of a gateway payload: opcode, sequence, event name.
///
/// [`Envelope::from_slice`] walks only the top-level object and stops as soon as it has
/// seen `op`, `s` and `t` (Discord sends them before `d`), so deciding what to do with a
/// payload costs a few dozen bytes of scanning whatever the size of `d`. It checks the
/// structure it walks but does not validate what it skips; [`crate::Event::from_slice`]
/// does the full parse.
///
/// ```
/// use svc_gateway::Envelope;
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
        Scanner { b: bytes, i: 0 }.envelope()
    }
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
}

fn malformed(what: &'static str) -> DecodeError {
    DecodeError::with_source(DecodeErrorKind::Malformed, what)
}

impl<'a> Scanner<'a> {
    fn envelope(&mut self) -> Result<Envelope, DecodeError> {
        self.ws();
        self.expect(b'{')?;
        let mut op: Option<u64> = None;
        let mut s: Option<Option<u64>> = None;
        let mut t: Option<Option<String>> = None;
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
            if let (Some(op), Some(s), Some(t)) = (op, s, &t) {
                return finish(op, s, t.clone());
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
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
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
    fn name(&mut self) -> Result<Option<String>, DecodeError> {
        if self.b[self.i..].starts_with(b"null") {
            self.i += 4;
            return Ok(None);
        }
        let start = self.i;
        let raw = self.string_raw()?;
        if !raw.contains(&b'\\') {
            return std::str::from_utf8(raw)
                .map(|s| Some(s.to_owned()))
                .map_err(|_| malformed("t is not UTF-8"));
        }
        let quoted = &self.b[start..self.i];
        serde_json::from_slice::<String>(quoted)
            .map(Some)
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

fn finish(op: u64, s: Option<u64>, t: Option<String>) -> Result<Envelope, DecodeError> {
    let op =
        u8::try_from(op).map_err(|_| DecodeError::new(DecodeErrorKind::UnknownOpcode { op }))?;
    Ok(Envelope { op, s, t })
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
