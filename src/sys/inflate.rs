//! Inflating raw deflate data (a zip entry's bytes) with one inflater and one output buffer
//! per thread, reset for every part: a new inflater per part (as the zip crate's reader
//! makes) allocates and initialises its state each time, and a batch inflates thousands of
//! small parts. Used by the hostile-input scan and by the package editor.

use std::cell::RefCell;

/// Size of the output buffer: what `feed` gets at most at a time.
const CHUNK: usize = 16 * 1024;

struct State {
    inflater: flate2::Decompress,
    output: Box<[u8; CHUNK]>,
}

thread_local! {
    static STATE: RefCell<State> =
        RefCell::new(State { inflater: flate2::Decompress::new(false), output: Box::new([0; CHUNK]) });
}

/// Inflates `raw`, handing the output to `feed` in chunks, until the stream ends or `feed`
/// returns `Ok(false)` (it has enough). Returns whether the stream was read to its end.
/// Data that is not deflate, or that ends before the stream does, is `corrupt`'s error.
pub fn inflate<E>(
    raw: &[u8],
    feed: &mut dyn FnMut(&[u8]) -> Result<bool, E>,
    corrupt: fn(String) -> E,
) -> Result<bool, E> {
    STATE.with(|state| {
        let State { inflater, output } = &mut *state.borrow_mut();
        inflater.reset(false);
        loop {
            let (in_before, out_before) = (inflater.total_in(), inflater.total_out());
            let consumed = usize::try_from(in_before).unwrap_or(usize::MAX);
            let status = inflater
                .decompress(raw.get(consumed..).unwrap_or_default(), &mut output[..], flate2::FlushDecompress::Finish)
                .map_err(|e| corrupt(format!("deflate: {e}")))?;
            let produced = usize::try_from(inflater.total_out() - out_before).unwrap_or(0);
            if produced > 0 && !feed(output.get(..produced).unwrap_or_default())? {
                return Ok(false);
            }
            if status == flate2::Status::StreamEnd {
                return Ok(true);
            }
            if produced == 0 && inflater.total_in() == in_before {
                return Err(corrupt("deflate: the data ends early".into()));
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn deflated(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn inflates_in_chunks_stops_when_fed_enough_and_refuses_a_cut_stream() {
        let data: Vec<u8> = (0..100_000u32).flat_map(|i| (i % 251).to_le_bytes()).collect();
        let raw = deflated(&data);
        let mut out = Vec::new();
        let mut all = |c: &[u8]| -> Result<bool, String> {
            assert!(c.len() <= CHUNK);
            out.extend_from_slice(c);
            Ok(true)
        };
        assert_eq!(inflate(&raw, &mut all, |e| e), Ok(true));
        assert_eq!(out, data);
        // Twice on this thread's reused inflater, and stopped after the first chunk.
        let mut chunks = 0;
        assert_eq!(
            inflate(
                &raw,
                &mut |_| Ok::<_, String>({
                    chunks += 1;
                    false
                }),
                |e| e
            ),
            Ok(false)
        );
        assert_eq!(chunks, 1);
        // A stream cut short, and bytes that are not deflate.
        let cut = inflate(&raw[..raw.len() / 2], &mut |_| Ok(true), |e| e);
        assert_eq!(cut, Err("deflate: the data ends early".to_string()));
        assert!(inflate(&[0xff; 64], &mut |_| Ok(true), |e: String| e).is_err());
    }
}
