//! Deflate for both backends: the DOCX's zip entries (raw deflate) and the
//! PDF's streams (zlib format) share one compressor per thread.
//!
//! Setting a compressor up allocates about 380 KB and clears its hash
//! table; in a process that renders one protocol, each compressor's fresh
//! pages cost a page fault apiece, more than compressing the protocol's
//! small parts. So there is one, reset between streams, its level set per
//! call. A zlib stream is the same raw deflate data between a two-byte
//! header and the Adler-32 of the input (RFC 1950), so the PDF's streams
//! are byte for byte what a zlib-format compressor at the same level makes
//! (a unit test compares them with flate2's).

use flate2::{Compress, Compression, FlushCompress, Status};
use std::cell::RefCell;

thread_local! {
    /// This thread's compressor and the level it is set to.
    static COMPRESSOR: RefCell<(Compress, u32)> =
        RefCell::new((Compress::new(Compression::new(1), false), 1));
}

/// Sets this thread's compressor up now rather than at its first stream.
pub fn warm_up() {
    COMPRESSOR.with(|_| ());
}

/// Raw deflate (a zip entry's method 8) of `data` at `level` into `out`,
/// which is cleared first.
pub fn raw_into(data: &[u8], level: u32, out: &mut Vec<u8>) {
    out.clear();
    out.reserve(data.len() / 2 + 64);
    append_raw(data, level, out);
}

/// Raw deflate of `data` at `level`, at its own length: for data held
/// compressed in memory (a long table's stored rows and its text), to be
/// read back with [`inflate_raw`].
pub fn raw_held(data: &[u8], level: u32) -> Vec<u8> {
    let mut out = Vec::new();
    raw_into(data, level, &mut out);
    out.shrink_to_fit();
    out
}

/// The `len` bytes that `compressed`, made by [`raw_held`] in this
/// process, holds (fewer should it end early).
pub fn inflate_raw(compressed: &[u8], len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len);
    // Into a Vec with room for all of it: a stream of ours ends there.
    let _ = flate2::Decompress::new(false).decompress_vec(
        compressed,
        &mut out,
        flate2::FlushDecompress::Finish,
    );
    out
}

/// The zlib format (RFC 1950) of `data` at `level`: what a PDF's
/// `/FlateDecode` stream holds.
pub fn zlib(data: &[u8], level: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() / 2 + 64);
    out.extend_from_slice(&zlib_header(level));
    append_raw(data, level, &mut out);
    out.extend_from_slice(&adler2::adler32_slice(data).to_be_bytes());
    out
}

/// The zlib stream flate2's `write::ZlibEncoder` writes when `data` is
/// given to it in one `write_all` and then `finish`ed: how lopdf
/// compresses its object streams, whose bytes the PDF writer keeps.
///
/// Once the data is over 32 KB compressed this can differ from [`zlib`]:
/// the encoder lends the compressor a 32 KB buffer a call, and zlib-rs's
/// levels 3–6 forget the match they looked ahead to when a call ends with
/// its buffer full, so where the calls end changes the data. The same
/// calls are made here with the same room; the encoder's first buffer
/// also holds the two header bytes, so the first call has two bytes less.
pub fn zlib_as_encoder(data: &[u8], level: u32) -> Vec<u8> {
    /// flate2's buffer between a compressor and its writer (`zio`).
    const BUFFER: usize = 32 * 1024;
    let header = zlib_header(level);
    let mut out = Vec::with_capacity(data.len() / 2 + 64);
    out.extend_from_slice(&header);
    with_raw(level, |compressor| {
        let mut buffer = Vec::with_capacity(BUFFER);
        // The header's place in the first call's buffer.
        let mut held = header.len();
        buffer.resize(held, 0);
        let start = compressor.total_in();
        // `write_all`: calls that do not flush, until every byte is taken.
        loop {
            let read = (compressor.total_in() - start) as usize;
            if read >= data.len() {
                break;
            }
            let status = compressor.compress_vec(&data[read..], &mut buffer, FlushCompress::None);
            let stuck = buffer.len() == held && compressor.total_in() - start == read as u64;
            out.extend_from_slice(&buffer[held..]);
            buffer.clear();
            held = 0;
            // Neither can happen with room to write to; flate2 would fail.
            if status.is_err() || stuck {
                break;
            }
        }
        // `finish`: calls that end the stream, until it has ended.
        loop {
            let before = compressor.total_out();
            let status = compressor.compress_vec(&[], &mut buffer, FlushCompress::Finish);
            out.extend_from_slice(&buffer[held..]);
            buffer.clear();
            held = 0;
            if !matches!(status, Ok(Status::Ok | Status::BufError))
                || compressor.total_out() == before
            {
                break;
            }
        }
    });
    out.extend_from_slice(&adler2::adler32_slice(data).to_be_bytes());
    out
}

/// Lends this thread's compressor, reset and set to `level` for raw
/// deflate, to a caller that feeds it in pieces (the DOCX's long body).
pub fn with_raw<R>(level: u32, f: impl FnOnce(&mut Compress) -> R) -> R {
    COMPRESSOR.with(|cell| match cell.try_borrow_mut() {
        Ok(mut held) => {
            let (compressor, current) = &mut *held;
            compressor.reset();
            if *current != level && compressor.set_level(Compression::new(level)).is_ok() {
                *current = level;
            }
            f(compressor)
        }
        // Lent already (a stream compressed while another is fed): a
        // compressor of its own, rather than a panic.
        Err(_) => f(&mut Compress::new(Compression::new(level), false)),
    })
}

/// Appends the raw deflate data of `data` to `out`.
fn append_raw(data: &[u8], level: u32, out: &mut Vec<u8>) {
    with_raw(level, |compressor| finish_into(compressor, data, out));
}

/// Feeds `data` to `compressor` and ends its stream, appending the
/// compressed bytes to `out`.
pub fn finish_into(compressor: &mut Compress, data: &[u8], out: &mut Vec<u8>) {
    let start = compressor.total_in();
    loop {
        let read = (compressor.total_in() - start) as usize;
        // Compressing into a Vec with spare room cannot fail; were it
        // to, the stream would end short and a reader would say so.
        let status = compressor
            .compress_vec(&data[read..], out, FlushCompress::Finish)
            .unwrap_or(Status::StreamEnd);
        if status == Status::StreamEnd {
            return;
        }
        // The output is full: room for as much again.
        out.reserve(out.capacity().max(1024));
    }
}

/// The two bytes zlib writes before the data: deflate with a 32 KB window
/// (0x78), the level's class in the top two bits of the second byte, and
/// the check bits that make the pair a multiple of 31 (RFC 1950, 2.2).
fn zlib_header(level: u32) -> [u8; 2] {
    let class = match level {
        0 | 1 => 0,
        2..=5 => 1,
        6 => 2,
        _ => 3,
    };
    let header = (0x78u16 << 8) | (class << 6);
    let header = header + 31 - header % 31;
    header.to_be_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    fn samples() -> Vec<Vec<u8>> {
        let text = "Протокол рабочего совещания. ".repeat(300).into_bytes();
        let mut noise = Vec::new();
        let mut x: u32 = 7;
        for _ in 0..70_000 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            noise.push((x >> 16) as u8);
        }
        vec![Vec::new(), b"a".to_vec(), text, noise]
    }

    /// What a fresh flate2 compressor makes of `data` in one call, in
    /// the zlib format or raw: what both backends wrote before they
    /// shared a compressor.
    fn fresh(data: &[u8], level: u32, zlib_format: bool) -> Vec<u8> {
        let mut c = Compress::new(Compression::new(level), zlib_format);
        let mut out = Vec::with_capacity(data.len() * 2 + 1024);
        let status = c
            .compress_vec(data, &mut out, FlushCompress::Finish)
            .unwrap();
        assert_eq!(status, Status::StreamEnd);
        out
    }

    #[test]
    fn zlib_streams_equal_a_fresh_compressors_at_every_level_used() {
        for level in [1, 2, 6, 9] {
            for data in samples() {
                assert_eq!(
                    zlib(&data, level),
                    fresh(&data, level, true),
                    "level {level}, {} bytes",
                    data.len()
                );
            }
        }
    }

    #[test]
    fn raw_streams_equal_a_fresh_compressors_and_levels_can_alternate() {
        let mut out = Vec::new();
        // Nested in a lent compressor, as the DOCX's long body could be.
        let mut nested = Vec::new();
        with_raw(1, |_| raw_into(b"nested", 6, &mut nested));
        assert_eq!(nested, fresh(b"nested", 6, false));
        for level in [6, 1, 2, 1, 6] {
            for data in samples() {
                raw_into(&data, level, &mut out);
                assert_eq!(out, fresh(&data, level, false), "level {level}");
            }
        }
    }

    /// What flate2's zlib encoder writes for `data` in one `write_all`.
    fn encoded(data: &[u8], level: u32) -> Vec<u8> {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), Compression::new(level));
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn streams_as_the_encoder_writes_them_are_its_bytes() {
        // Dictionaries like a tagged roadmap's structure tree: several
        // 32 KB buffers of compressed data, where one-shot compression
        // gives other bytes.
        let mut tree = Vec::new();
        let mut x: u32 = 11;
        for i in 0..60_000u32 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let _ = write!(
                tree,
                "<</K [{} 0 R {}]/P {} 0 R/Pg {} 0 R/S/TD>> ",
                i * 3 + 7,
                x >> 20,
                i / 5 + 1,
                (x >> 8) % 997
            );
        }
        let mut all = samples();
        all.push(tree.clone());
        all.push(tree[..40_000].to_vec());
        let mut noise = all[3].repeat(2);
        noise.truncate(32_766 + 5);
        all.push(noise);
        let mut differs = false;
        // Levels alternate on the thread's compressor, as they do in a
        // build (fonts at 2, pages at 6).
        for level in [6, 2, 6, 1, 9, 6] {
            for data in &all {
                let _ = zlib(b"between", 2);
                assert_eq!(
                    zlib_as_encoder(data, level),
                    encoded(data, level),
                    "level {level}, {} bytes",
                    data.len()
                );
                differs |= zlib(data, level) != encoded(data, level);
            }
        }
        assert!(differs, "the samples should show why the calls are copied");
    }

    #[test]
    fn a_stream_reads_back() {
        use std::io::Read;
        for data in samples() {
            let mut back = Vec::new();
            flate2::read::ZlibDecoder::new(&zlib(&data, 6)[..])
                .read_to_end(&mut back)
                .unwrap();
            assert_eq!(back, data);
        }
    }

    #[test]
    fn the_header_is_zlibs() {
        assert_eq!(zlib_header(1), [0x78, 0x01]);
        assert_eq!(zlib_header(2), [0x78, 0x5e]);
        assert_eq!(zlib_header(6), [0x78, 0x9c]);
        assert_eq!(zlib_header(9), [0x78, 0xda]);
    }
}
