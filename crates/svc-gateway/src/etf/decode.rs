//! ETF term → JSON text, in one pass without an intermediate tree.

use std::io::Write;

use super::error::EtfError;

const VERSION: u8 = 131;
const NEW_FLOAT_EXT: u8 = 70;
const COMPRESSED: u8 = 80;
const SMALL_INTEGER_EXT: u8 = 97;
const INTEGER_EXT: u8 = 98;
const FLOAT_EXT: u8 = 99;
const ATOM_EXT: u8 = 100;
const SMALL_TUPLE_EXT: u8 = 104;
const LARGE_TUPLE_EXT: u8 = 105;
const NIL_EXT: u8 = 106;
const STRING_EXT: u8 = 107;
const LIST_EXT: u8 = 108;
const BINARY_EXT: u8 = 109;
const SMALL_BIG_EXT: u8 = 110;
const LARGE_BIG_EXT: u8 = 111;
const SMALL_ATOM_EXT: u8 = 115;
const MAP_EXT: u8 = 116;
const ATOM_UTF8_EXT: u8 = 118;
const SMALL_ATOM_UTF8_EXT: u8 = 119;

/// Deeper nesting than this is refused (no gateway payload comes close).
const MAX_DEPTH: usize = 128;

/// Rewrites one ETF term (with its version byte) as JSON text.
pub(crate) fn to_json(input: &[u8]) -> Result<Vec<u8>, EtfError> {
    let mut reader = Reader {
        input,
        pos: 0,
        out: Vec::with_capacity(input.len().saturating_mul(2)),
    };
    match reader.byte()? {
        VERSION => {}
        COMPRESSED => return Err(EtfError::new("compressed terms are not supported", 0)),
        _ => return Err(EtfError::new("not an ETF term (version 131 expected)", 0)),
    }
    reader.term(0)?;
    if reader.pos != input.len() {
        return Err(EtfError::new("trailing bytes after the term", reader.pos));
    }
    Ok(reader.out)
}

struct Reader<'a> {
    input: &'a [u8],
    pos: usize,
    out: Vec<u8>,
}

enum Atom<'a> {
    Latin1(&'a [u8]),
    Utf8(&'a str),
}

impl<'a> Reader<'a> {
    fn take(&mut self, len: usize) -> Result<&'a [u8], EtfError> {
        let end = self
            .pos
            .checked_add(len)
            .filter(|end| *end <= self.input.len())
            .ok_or_else(|| EtfError::new("truncated term", self.pos))?;
        let bytes = &self.input[self.pos..end];
        self.pos = end;
        Ok(bytes)
    }

    fn byte(&mut self) -> Result<u8, EtfError> {
        Ok(self.take(1)?[0])
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], EtfError> {
        let mut array = [0; N];
        array.copy_from_slice(self.take(N)?);
        Ok(array)
    }

    fn u16(&mut self) -> Result<usize, EtfError> {
        Ok(usize::from(u16::from_be_bytes(self.array()?)))
    }

    fn u32(&mut self) -> Result<usize, EtfError> {
        let value = u32::from_be_bytes(self.array()?);
        usize::try_from(value).map_err(|_| EtfError::new("length too large", self.pos))
    }

    fn write(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(bytes);
    }

    fn string(&mut self, text: &str) {
        // Writing into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut self.out, text);
    }

    fn number(&mut self, value: impl std::fmt::Display) {
        let _ = write!(self.out, "{value}");
    }

    fn float(&mut self, value: f64, at: usize) -> Result<(), EtfError> {
        if !value.is_finite() {
            return Err(EtfError::new("float is not finite", at));
        }
        let _ = serde_json::to_writer(&mut self.out, &value);
        Ok(())
    }

    fn utf8(bytes: &'a [u8], at: usize) -> Result<&'a str, EtfError> {
        std::str::from_utf8(bytes).map_err(|_| EtfError::new("binary is not UTF-8", at))
    }

    fn atom(&mut self, tag: u8) -> Result<Atom<'a>, EtfError> {
        let at = self.pos;
        let len = match tag {
            ATOM_EXT | ATOM_UTF8_EXT => self.u16()?,
            _ => usize::from(self.byte()?),
        };
        let bytes = self.take(len)?;
        Ok(match tag {
            ATOM_EXT | SMALL_ATOM_EXT => Atom::Latin1(bytes),
            _ => Atom::Utf8(Self::utf8(bytes, at)?),
        })
    }

    fn atom_text(&mut self, atom: &Atom<'_>) {
        match atom {
            Atom::Utf8(text) => self.string(text),
            Atom::Latin1(bytes) => {
                let text: String = bytes.iter().map(|b| char::from(*b)).collect();
                self.string(&text);
            }
        }
    }

    /// `SMALL_BIG_EXT`/`LARGE_BIG_EXT` digits (little-endian) with a sign, up to 64 bits.
    fn big(&mut self, len: usize) -> Result<(), EtfError> {
        let at = self.pos;
        let sign = self.byte()?;
        let digits = self.take(len)?;
        if digits.iter().skip(8).any(|d| *d != 0) {
            return Err(EtfError::new("integer wider than 64 bits", at));
        }
        let magnitude = digits
            .iter()
            .take(8)
            .rev()
            .fold(0u64, |acc, d| (acc << 8) | u64::from(*d));
        match sign {
            0 => self.number(magnitude),
            1 if magnitude != 0 => self.number(format_args!("-{magnitude}")),
            1 => self.number(0),
            _ => return Err(EtfError::new("bad sign of a big integer", at)),
        }
        Ok(())
    }

    fn sequence(&mut self, len: usize, depth: usize) -> Result<(), EtfError> {
        self.write(b"[");
        for index in 0..len {
            if index > 0 {
                self.write(b",");
            }
            self.term(depth + 1)?;
        }
        self.write(b"]");
        Ok(())
    }

    fn term(&mut self, depth: usize) -> Result<(), EtfError> {
        if depth > MAX_DEPTH {
            return Err(EtfError::new("nested too deeply", self.pos));
        }
        let at = self.pos;
        let tag = self.byte()?;
        match tag {
            SMALL_INTEGER_EXT => {
                let value = self.byte()?;
                self.number(value);
            }
            INTEGER_EXT => {
                let value = i32::from_be_bytes(self.array()?);
                self.number(value);
            }
            NEW_FLOAT_EXT => {
                let value = f64::from_be_bytes(self.array()?);
                self.float(value, at)?;
            }
            FLOAT_EXT => {
                let text = self.take(31)?;
                let value = std::str::from_utf8(text)
                    .ok()
                    .and_then(|t| t.trim_end_matches('\0').trim().parse::<f64>().ok())
                    .ok_or_else(|| EtfError::new("bad float text", at))?;
                self.float(value, at)?;
            }
            ATOM_EXT | SMALL_ATOM_EXT | ATOM_UTF8_EXT | SMALL_ATOM_UTF8_EXT => {
                let atom = self.atom(tag)?;
                let name = match &atom {
                    Atom::Utf8(text) => text.as_bytes(),
                    Atom::Latin1(bytes) => bytes,
                };
                match name {
                    b"nil" | b"null" => self.write(b"null"),
                    b"true" => self.write(b"true"),
                    b"false" => self.write(b"false"),
                    _ => self.atom_text(&atom),
                }
            }
            NIL_EXT => self.write(b"[]"),
            STRING_EXT => {
                let len = self.u16()?;
                let bytes = self.take(len)?;
                self.write(b"[");
                for (index, byte) in bytes.iter().enumerate() {
                    if index > 0 {
                        self.write(b",");
                    }
                    self.number(byte);
                }
                self.write(b"]");
            }
            LIST_EXT => {
                let len = self.u32()?;
                self.sequence(len, depth)?;
                if self.byte()? != NIL_EXT {
                    return Err(EtfError::new("improper list", self.pos - 1));
                }
            }
            SMALL_TUPLE_EXT => {
                let len = usize::from(self.byte()?);
                self.sequence(len, depth)?;
            }
            LARGE_TUPLE_EXT => {
                let len = self.u32()?;
                self.sequence(len, depth)?;
            }
            BINARY_EXT => {
                let len = self.u32()?;
                let start = self.pos;
                let bytes = self.take(len)?;
                let text = Self::utf8(bytes, start)?;
                self.string(text);
            }
            SMALL_BIG_EXT => {
                let len = usize::from(self.byte()?);
                self.big(len)?;
            }
            LARGE_BIG_EXT => {
                let len = self.u32()?;
                self.big(len)?;
            }
            MAP_EXT => {
                let len = self.u32()?;
                self.write(b"{");
                for index in 0..len {
                    if index > 0 {
                        self.write(b",");
                    }
                    self.key()?;
                    self.write(b":");
                    self.term(depth + 1)?;
                }
                self.write(b"}");
            }
            _ => return Err(EtfError::tag(tag, at)),
        }
        Ok(())
    }

    /// A map key as a JSON string: atoms, binaries and integers.
    fn key(&mut self) -> Result<(), EtfError> {
        let at = self.pos;
        let tag = self.byte()?;
        match tag {
            ATOM_EXT | SMALL_ATOM_EXT | ATOM_UTF8_EXT | SMALL_ATOM_UTF8_EXT => {
                let atom = self.atom(tag)?;
                self.atom_text(&atom);
            }
            BINARY_EXT => {
                let len = self.u32()?;
                let bytes = self.take(len)?;
                let text = Self::utf8(bytes, at)?;
                self.string(text);
            }
            SMALL_INTEGER_EXT | INTEGER_EXT | SMALL_BIG_EXT | LARGE_BIG_EXT => {
                self.pos = at;
                self.write(b"\"");
                self.term(0)?;
                self.write(b"\"");
            }
            _ => return Err(EtfError::new("unsupported map key", at)),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(bytes: &[u8]) -> String {
        String::from_utf8(to_json(bytes).unwrap()).unwrap()
    }

    #[test]
    fn scalars() {
        assert_eq!(json(&[131, 97, 200]), "200");
        assert_eq!(json(&[131, 98, 255, 255, 255, 254]), "-2");
        assert_eq!(json(&[131, 119, 3, b'n', b'i', b'l']), "null");
        assert_eq!(json(&[131, 100, 0, 4, b't', b'r', b'u', b'e']), "true");
        assert_eq!(json(&[131, 115, 5, b'f', b'a', b'l', b's', b'e']), "false");
        assert_eq!(json(&[131, 115, 2, b'o', b'k']), "\"ok\"");
        assert_eq!(json(&[131, 109, 0, 0, 0, 2, b'h', b'"']), "\"h\\\"\"");
        let mut float = vec![131, 70];
        float.extend(1.5f64.to_be_bytes());
        assert_eq!(json(&float), "1.5");
        let mut old = vec![131, 99];
        let mut text = b"2.50000000000000000000e+00".to_vec();
        text.resize(31, 0);
        old.extend(text);
        assert_eq!(json(&old), "2.5");
    }

    #[test]
    fn snowflakes_as_big_integers() {
        let id: u64 = 1_100_000_000_000_000_001;
        let mut bytes = vec![131, 110, 8, 0];
        bytes.extend(id.to_le_bytes());
        assert_eq!(json(&bytes), id.to_string());
        assert_eq!(json(&[131, 110, 1, 1, 5]), "-5");
        assert_eq!(
            json(&[131, 111, 0, 0, 0, 9, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]),
            "1"
        );
        let wide = [131, 110, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
        assert_eq!(
            to_json(&wide).unwrap_err().what(),
            "integer wider than 64 bits"
        );
    }

    #[test]
    fn containers() {
        // [1, "a"] as a list, {"k" => {1, nil}} as a map with a tuple.
        assert_eq!(
            json(&[131, 108, 0, 0, 0, 2, 97, 1, 109, 0, 0, 0, 1, b'a', 106]),
            "[1,\"a\"]"
        );
        assert_eq!(
            json(&[
                131, 116, 0, 0, 0, 1, 109, 0, 0, 0, 1, b'k', 104, 2, 97, 1, 119, 3, b'n', b'i',
                b'l'
            ]),
            "{\"k\":[1,null]}"
        );
        assert_eq!(json(&[131, 116, 0, 0, 0, 1, 97, 7, 106]), "{\"7\":[]}");
        assert_eq!(json(&[131, 107, 0, 2, 1, 2]), "[1,2]");
        assert_eq!(json(&[131, 106]), "[]");
    }

    #[test]
    fn bad_terms_are_typed_errors() {
        for (bytes, what) in [
            (&[][..], "truncated term"),
            (&[130, 97, 1][..], "not an ETF term (version 131 expected)"),
            (&[80, 0][..], "compressed terms are not supported"),
            (&[131, 97][..], "truncated term"),
            (&[131, 97, 1, 0][..], "trailing bytes after the term"),
            (&[131, 109, 0, 0, 0, 1, 0xff][..], "binary is not UTF-8"),
            (&[131, 108, 0, 0, 0, 1, 97, 1, 97, 2][..], "improper list"),
            (
                &[131, 116, 0, 0, 0, 1, 104, 0, 97, 1][..],
                "unsupported map key",
            ),
            (&[131, 110, 1, 7, 5][..], "bad sign of a big integer"),
            (&[131, 109, 255, 255, 255, 255][..], "truncated term"),
            (&[131, 103][..], "unsupported term tag"),
        ] {
            assert_eq!(to_json(bytes).unwrap_err().what(), what, "{bytes:?}");
        }
        let mut nan = vec![131, 70];
        nan.extend(f64::NAN.to_be_bytes());
        assert!(to_json(&nan).is_err());
        let mut deep = vec![131];
        deep.extend(std::iter::repeat_n([104, 1], 1000).flatten());
        deep.push(106);
        assert_eq!(to_json(&deep).unwrap_err().what(), "nested too deeply");
    }
}
