//! Reading the binary data files Casebook embeds (`assets/world/world.bin`, the world map;
//! `assets/world/places.bin`, the gazetteer): a directory of tagged sections after a magic
//! and a version byte, and a cursor over one section. The layouts are documented by the
//! scripts that write them (`assets/tools/build_world.py`, `build_places.py`).
//!
//! Nothing here panics on bad bytes: a damaged file gives a [`DataError`] that names it.

/// An embedded data file could not be read: a build-time problem, not a user-data one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DataError {
    /// The file does not start with the expected magic bytes and version.
    #[error("{file}: not a Casebook data file of the expected kind and version")]
    BadHeader {
        /// The file, as `assets/world/…`.
        file: &'static str,
    },
    /// A section the reader needs is absent.
    #[error("{file}: section {section} is missing")]
    MissingSection {
        /// The file.
        file: &'static str,
        /// The section's tag.
        section: &'static str,
    },
    /// A section ends before its contents do.
    #[error("{file}: section {section} is truncated")]
    Truncated {
        /// The file.
        file: &'static str,
        /// The section's tag.
        section: &'static str,
    },
    /// A section holds a value that cannot be right (an index out of range, bad UTF-8…).
    #[error("{file}: section {section}: {what}")]
    BadValue {
        /// The file.
        file: &'static str,
        /// The section's tag.
        section: &'static str,
        /// What was wrong.
        what: &'static str,
    },
}

pub(crate) type Result<T> = std::result::Result<T, DataError>;

/// One embedded data file: its name (for errors), magic bytes, version and bytes.
#[derive(Clone, Copy)]
pub(crate) struct DataFile {
    pub name: &'static str,
    pub magic: &'static [u8; 7],
    pub version: u8,
    pub bytes: &'static [u8],
}

impl DataFile {
    /// The file `name` (for messages) with its magic and version, as `bytes`.
    pub const fn new(
        name: &'static str,
        magic: &'static [u8; 7],
        version: u8,
        bytes: &'static [u8],
    ) -> DataFile {
        DataFile {
            name,
            magic,
            version,
            bytes,
        }
    }

    /// The section with this tag, from the file's directory.
    pub fn section(&self, tag: &'static str) -> Result<&'static [u8]> {
        let bad = |_| DataError::BadHeader { file: self.name };
        let mut r = Reader::new(self.name, self.bytes, "header");
        let magic = r.take(self.magic.len()).map_err(bad)?;
        let version = r.take(1).map_err(bad)?;
        if magic != self.magic || version != [self.version] {
            return Err(DataError::BadHeader { file: self.name });
        }
        let n = r.u32_le().map_err(bad)?;
        for _ in 0..n {
            let t = r.take(4).map_err(bad)?;
            let offset = r.u32_le().map_err(bad)? as usize;
            let len = r.u32_le().map_err(bad)? as usize;
            if t == tag.as_bytes() {
                return offset
                    .checked_add(len)
                    .and_then(|end| self.bytes.get(offset..end))
                    .ok_or(DataError::Truncated {
                        file: self.name,
                        section: tag,
                    });
            }
        }
        Err(DataError::MissingSection {
            file: self.name,
            section: tag,
        })
    }
}

/// A cursor over one section.
pub(crate) struct Reader {
    bytes: &'static [u8],
    pos: usize,
    file: &'static str,
    section: &'static str,
}

impl Reader {
    /// A cursor at the start of `bytes`, a section of `file` tagged `section`.
    pub fn new(file: &'static str, bytes: &'static [u8], section: &'static str) -> Self {
        Self::at(file, bytes, 0, section)
    }

    /// A cursor at `pos` in `bytes`.
    pub fn at(file: &'static str, bytes: &'static [u8], pos: usize, section: &'static str) -> Self {
        Self {
            bytes,
            pos,
            file,
            section,
        }
    }

    /// The length of the whole section.
    pub fn section_len(&self) -> usize {
        self.bytes.len()
    }

    /// Where the cursor is.
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// An error about a value of this section.
    #[cold]
    pub fn bad(&self, what: &'static str) -> DataError {
        DataError::BadValue {
            file: self.file,
            section: self.section,
            what,
        }
    }

    /// The error for a section that ends too early.
    #[cold]
    pub fn truncated(&self) -> DataError {
        DataError::Truncated {
            file: self.file,
            section: self.section,
        }
    }

    /// The next `n` bytes.
    #[inline(always)]
    pub fn take(&mut self, n: usize) -> Result<&'static [u8]> {
        let bytes = self.bytes;
        let Some(out) = self
            .pos
            .checked_add(n)
            .and_then(|end| bytes.get(self.pos..end))
        else {
            return Err(self.truncated());
        };
        self.pos += n;
        Ok(out)
    }

    /// One byte.
    #[inline(always)]
    pub fn u8(&mut self) -> Result<u8> {
        let Some(&b) = self.bytes.get(self.pos) else {
            return Err(self.truncated());
        };
        self.pos += 1;
        Ok(b)
    }

    /// An unsigned LEB128 number. Inlined: the decoders' loops over places and points spend
    /// most of their time in this and the readers built on it.
    #[inline(always)]
    pub fn varint(&mut self) -> Result<u64> {
        // Most numbers (deltas, small counts) fit in one byte.
        if let Some(&b) = self.bytes.get(self.pos)
            && b < 0x80
        {
            self.pos += 1;
            return Ok(u64::from(b));
        }
        let mut out = 0u64;
        let mut shift = 0;
        loop {
            let b = self.u8()?;
            out |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(out);
            }
            shift += 7;
            if shift > 63 {
                return Err(self.bad("varint too long"));
            }
        }
    }

    /// A [`Reader::varint`] that must fit in 32 bits.
    #[inline(always)]
    pub fn u32(&mut self) -> Result<u32> {
        let v = self.varint()?;
        u32::try_from(v).map_err(|_| self.bad("number too large"))
    }

    /// A zigzag-encoded signed number.
    #[inline(always)]
    pub fn zigzag(&mut self) -> Result<i64> {
        let v = self.varint()?;
        Ok(((v >> 1) as i64) ^ -((v & 1) as i64))
    }

    /// A zigzag-encoded number that must fit in 32 bits.
    #[inline(always)]
    pub fn zigzag_i32(&mut self) -> Result<i32> {
        let v = self.zigzag()?;
        i32::try_from(v).map_err(|_| self.bad("coordinate out of range"))
    }

    /// A count of items that each take at least one byte: never more than the bytes left,
    /// so a damaged count cannot ask for a huge allocation.
    #[inline(always)]
    pub fn count(&mut self) -> Result<usize> {
        let n = self.varint()?;
        let left = self.bytes.len().saturating_sub(self.pos);
        match usize::try_from(n) {
            Ok(n) if n <= left => Ok(n),
            _ => Err(self.truncated()),
        }
    }

    /// A little-endian 32-bit number.
    pub fn u32_le(&mut self) -> Result<u32> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// A little-endian 64-bit float.
    pub fn f64_le(&mut self) -> Result<f64> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(f64::from_le_bytes(a))
    }

    /// A length-prefixed string's bytes, not checked as UTF-8 (for passing over a string, or
    /// one checked when used).
    #[inline(always)]
    pub fn str_bytes(&mut self) -> Result<&'static [u8]> {
        let n = self.count()?;
        self.take(n)
    }

    /// A length-prefixed UTF-8 string.
    pub fn str(&mut self) -> Result<&'static str> {
        let n = self.count()?;
        let b = self.take(n)?;
        std::str::from_utf8(b).map_err(|_| self.bad("string is not UTF-8"))
    }

    /// `n` upper-case ASCII letters (a country code).
    pub fn upper_ascii(&mut self, n: usize) -> Result<&'static str> {
        let b = self.take(n)?;
        if !b.iter().all(u8::is_ascii_uppercase) {
            return Err(self.bad("country code is not uppercase ASCII"));
        }
        std::str::from_utf8(b).map_err(|_| self.bad("country code is not ASCII"))
    }
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    static BYTES: &[u8] = &[
        b'C', b'B', b'T', b'E', b'S', b'T', b'S', 1, // magic, version
        1, 0, 0, 0, // one section
        b'A', b'B', b'C', b'D', 24, 0, 0, 0, 4, 0, 0, 0, // ABCD at 24, 4 bytes
        0x96, 0x01, 3, 0xff, // 150 (varint), -2 (zigzag 3), a truncated varint
    ];

    fn file(version: u8) -> DataFile {
        DataFile {
            name: "assets/test.bin",
            magic: b"CBTESTS",
            version,
            bytes: BYTES,
        }
    }

    #[test]
    fn sections_and_numbers_read_and_damage_names_the_file() {
        let section = file(1).section("ABCD").expect("the section is there");
        let mut r = Reader::new("assets/test.bin", section, "ABCD");
        assert_eq!(r.varint(), Ok(150));
        assert_eq!(r.zigzag(), Ok(-2));
        let e = r.varint().expect_err("truncated");
        assert_eq!(e.to_string(), "assets/test.bin: section ABCD is truncated");
        assert_eq!(
            file(1).section("WXYZ").map_err(|e| e.to_string()),
            Err("assets/test.bin: section WXYZ is missing".to_string())
        );
        assert_eq!(
            file(2).section("ABCD"),
            Err(DataError::BadHeader {
                file: "assets/test.bin"
            })
        );
        let mut r = Reader::new("f", &[5, 1, 2], "S");
        assert!(r.count().is_err(), "a count larger than the bytes left");
    }
}
