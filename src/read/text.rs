//! Text of an input file: UTF-8, or UTF-16 with a byte-order mark (what Windows PowerShell 5.1's
//! `Out-File` and `>` write). One decoder for topology files and VPN client profiles.

/// The text of UTF-16 bytes that start with a byte-order mark (either order); `None` when
/// there is no UTF-16 byte-order mark, `Some(Err(()))` when the units are not valid UTF-16.
pub fn utf16_with_bom(bytes: &[u8]) -> Option<Result<String, ()>> {
    let big = match bytes.get(..2) {
        Some([0xFF, 0xFE]) => false,
        Some([0xFE, 0xFF]) => true,
        _ => return None,
    };
    let units: Vec<u16> = bytes[2..]
        .chunks_exact(2)
        .map(|c| {
            if big {
                u16::from_be_bytes([c[0], c[1]])
            } else {
                u16::from_le_bytes([c[0], c[1]])
            }
        })
        .collect();
    Some(String::from_utf16(&units).map_err(|_| ()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_byte_orders_and_no_mark() {
        assert_eq!(utf16_with_bom(b"\xFF\xFEa\0b\0"), Some(Ok("ab".into())));
        assert_eq!(utf16_with_bom(b"\xFE\xFF\0a\0b"), Some(Ok("ab".into())));
        assert_eq!(utf16_with_bom(b"ab"), None);
        // An unpaired surrogate.
        assert_eq!(utf16_with_bom(b"\xFF\xFE\x00\xD8"), Some(Err(())));
    }
}
