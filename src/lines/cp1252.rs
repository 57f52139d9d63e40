//! Windows-1252, the character set of the lines that are not UTF-8.
//!
//! Mail servers of European languages and the logs of older Windows systems write their words in
//! Windows-1252 or ISO 8859-1 (`Postfach \xfcberf\xfcllt`, `Bo\xeete pleine`). A byte that is not
//! part of valid UTF-8 is read as that character, so that the reply's words still read (and
//! match the phrases of their language); ISO 8859-1 is Windows-1252 but for the rarely written
//! 0x80 to 0x9F.

/// The characters of 0x80 to 0x9F; `None` for the five bytes Windows-1252 leaves unassigned.
const HIGH_CONTROLS: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

/// The character a byte stands for in Windows-1252; U+FFFD for an unassigned one.
pub fn char_of(byte: u8) -> char {
    match byte {
        0x80..=0x9f => HIGH_CONTROLS[usize::from(byte - 0x80)].unwrap_or('\u{fffd}'),
        _ => char::from(byte),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_letters_and_windows_punctuation_are_read() {
        assert_eq!(char_of(0xfc), 'ü');
        assert_eq!(char_of(0xee), 'î');
        assert_eq!(char_of(0xe9), 'é');
        assert_eq!(char_of(0x92), '’');
        assert_eq!(char_of(0x80), '€');
        assert_eq!(char_of(0x81), '\u{fffd}');
        assert_eq!(char_of(b'a'), 'a');
    }
}
