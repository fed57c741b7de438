//! Per-thread simd-json working memory, so decoding a payload does not allocate the
//! parser's buffers and tape anew each time.
//!
//! `simd_json::Deserializer::from_slice` allocates five buffers sized by the input (string
//! scratch, padded input copy, structural indexes, stage-2 stack, tape) and frees them when
//! it returns: for a few-hundred-byte dispatch that is most of the cost. Here each thread
//! keeps one set and lends it out; the tape is handed back emptied (`Tape::reset`), so no
//! reference into an old payload survives a call.

use std::cell::RefCell;

use simd_json::{Buffers, Deserializer, Tape};

/// Payloads larger than this parse with fresh buffers that are dropped afterwards, so a
/// thread never holds on to more than a few MiB because of one huge frame.
const KEEP_LIMIT: usize = 1 << 20;

struct Scratch {
    buffers: Buffers,
    tape: Tape<'static>,
    /// Room for [`with_deserializer_of_copy`].
    copy: Vec<u8>,
}

thread_local! {
    static SCRATCH: RefCell<Option<Scratch>> = const { RefCell::new(None) };
}

/// Parses `input` (unescaping strings in place) and runs `f` over a deserializer of the
/// whole document. The error is simd-json's when `input` is not valid JSON.
pub(crate) fn with_deserializer<T>(
    input: &mut [u8],
    f: impl for<'de> FnOnce(&mut Deserializer<'de>) -> T,
) -> Result<T, simd_json::Error> {
    with_scratch(input.len(), |buffers, tape, _| {
        parse(input, None, buffers, tape, f)
    })
}

/// Like [`with_deserializer`], for a document the caller must get back untouched: it is
/// copied into per-thread room first, with the padding that lets simd-json skip its own
/// copy, and parsed there.
pub(crate) fn with_deserializer_of_copy<T>(
    input: &[u8],
    f: impl for<'de> FnOnce(&mut Deserializer<'de>) -> T,
) -> Result<T, simd_json::Error> {
    with_scratch(input.len(), |buffers, tape, copy| {
        copy.clear();
        copy.extend_from_slice(input);
        copy.resize(input.len() + simd_json::INPUT_PADDING, b' ');
        parse(copy, Some(input.len()), buffers, tape, f)
    })
}

/// Starts `deserializer` over at the beginning of its document: the tape built by the parse
/// is kept, so a second reading (after a typed decode failed) parses nothing again.
pub(crate) fn rewind(deserializer: &mut Deserializer<'_>) {
    let tape = std::mem::replace(deserializer, Deserializer::from_tape(Tape(Vec::new())));
    *deserializer = Deserializer::from_tape(tape.into_tape());
}

/// Lends this thread's scratch to `f`, or a fresh one for large inputs.
fn with_scratch<T>(
    len: usize,
    f: impl FnOnce(&mut Buffers, &mut Tape<'static>, &mut Vec<u8>) -> T,
) -> T {
    let keep = len <= KEEP_LIMIT;
    // Taken out rather than borrowed: a nested decode on this thread (none today) would
    // just get fresh buffers instead of a RefCell panic.
    let lent = if keep {
        SCRATCH.with(|cell| cell.borrow_mut().take())
    } else {
        None
    };
    let mut scratch = lent.unwrap_or_else(|| Scratch {
        buffers: Buffers::new(len),
        tape: Tape(Vec::new()),
        copy: Vec::new(),
    });
    let value = f(&mut scratch.buffers, &mut scratch.tape, &mut scratch.copy);
    if keep {
        SCRATCH.with(|cell| *cell.borrow_mut() = Some(scratch));
    }
    value
}

/// Parses `input`, or only `input[..len]` when the rest is padding.
fn parse<T>(
    input: &mut [u8],
    padded_len: Option<usize>,
    buffers: &mut Buffers,
    kept: &mut Tape<'static>,
    f: impl for<'de> FnOnce(&mut Deserializer<'de>) -> T,
) -> Result<T, simd_json::Error> {
    let mut tape = std::mem::replace(kept, Tape(Vec::new())).reset();
    let filled = match padded_len {
        Some(len) => simd_json::fill_tape_padded(input, len, buffers, &mut tape),
        None => simd_json::fill_tape(input, buffers, &mut tape),
    };
    let result = match filled {
        Ok(()) => {
            let mut deserializer = Deserializer::from_tape(tape);
            let value = f(&mut deserializer);
            tape = deserializer.into_tape();
            Ok(value)
        }
        Err(error) => Err(error),
    };
    *kept = tape.reset();
    result
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[test]
    fn reuse_does_not_leak_between_documents() {
        let first = with_deserializer(&mut br#"{"a":"long string value"}"#.to_vec(), |de| {
            serde_json::Value::deserialize(de).unwrap()
        })
        .unwrap();
        assert_eq!(first["a"], "long string value");
        let second = with_deserializer(&mut br#"[1,"\u0041"]"#.to_vec(), |de| {
            serde_json::Value::deserialize(de).unwrap()
        })
        .unwrap();
        assert_eq!(second, serde_json::json!([1, "A"]));
        assert!(with_deserializer(&mut b"{\"a\":".to_vec(), |_| ()).is_err());
        let third =
            with_deserializer(&mut b"true".to_vec(), |de| bool::deserialize(de).unwrap()).unwrap();
        assert!(third);
        let escaped = br#"{"a":"x\ny"}"#;
        let value =
            with_deserializer_of_copy(escaped, |de| serde_json::Value::deserialize(de).unwrap())
                .unwrap();
        assert_eq!(value["a"], "x\ny");
    }

    #[test]
    fn a_rewound_deserializer_reads_the_document_again() {
        let mut input = br#"{"a":"x\"y","b":[1,2]}"#.to_vec();
        let (first, second) = with_deserializer(&mut input, |de| {
            // A typed read that fails halfway through the document...
            let first = <(u8, u8)>::deserialize(&mut *de).is_err();
            rewind(de);
            // ...and the whole document again, from the same tape.
            (first, serde_json::Value::deserialize(de).unwrap())
        })
        .unwrap();
        assert!(first);
        assert_eq!(second, serde_json::json!({"a": "x\"y", "b": [1, 2]}));
    }

    #[test]
    fn large_inputs_parse_without_being_kept() {
        let mut big = format!("[\"{}\"]", "x".repeat(KEEP_LIMIT)).into_bytes();
        let len = with_deserializer(&mut big, |de| {
            Vec::<String>::deserialize(de).unwrap()[0].len()
        })
        .unwrap();
        assert_eq!(len, KEEP_LIMIT);
    }
}
