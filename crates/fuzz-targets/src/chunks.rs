//! Splitting a stream into the WebSocket messages it arrives in, at positions the fuzzer
//! controls: a compressed message may come in one piece or several.

/// zlib's `Z_SYNC_FLUSH` marker: servers end every message with it.
const SYNC_FLUSH: [u8; 4] = [0x00, 0x00, 0xff, 0xff];

/// Splits `stream` by `control`, the input's first byte: with its top bit set, after every
/// sync-flush marker (how servers frame messages); otherwise into pieces of 1 to 64 bytes
/// whose lengths come from a xorshift sequence seeded by `control`.
pub(crate) fn split(control: u8, stream: &[u8]) -> Vec<&[u8]> {
    let mut pieces = Vec::new();
    let mut rest = stream;
    if control & 0x80 != 0 {
        while let Some(at) = rest.windows(4).position(|w| w == SYNC_FLUSH) {
            let (piece, tail) = rest.split_at(at + 4);
            pieces.push(piece);
            rest = tail;
        }
    } else {
        let mut state = u32::from(control) | 0x100;
        while rest.len() > 1 {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let len = 1 + (state % 64) as usize;
            let (piece, tail) = rest.split_at(len.min(rest.len()));
            pieces.push(piece);
            rest = tail;
        }
    }
    if !rest.is_empty() {
        pieces.push(rest);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn pieces_cover_the_stream_in_order() {
        let stream: Vec<u8> = (0..=255).collect();
        for control in [0, 1, 0x7f] {
            let pieces = split(control, &stream);
            assert!(pieces.len() > 2);
            assert!(pieces.iter().all(|p| (1..=64).contains(&p.len())));
            assert_eq!(pieces.concat(), stream);
        }
        let framed = [1, 0, 0, 0xff, 0xff, 2, 0, 0, 0xff, 0xff, 3];
        assert_eq!(
            split(0x80, &framed),
            vec![&framed[..5], &framed[5..10], &framed[10..]]
        );
    }
}
