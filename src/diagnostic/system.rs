//! The system's refusals in Russian: why a file could not be read or
//! written, a folder made or a port opened.
//!
//! Rust words an [`std::io::Error`] in English, in the system's terms
//! («No space left on device (os error 28)»), and every message gostdoc
//! prints is Russian, for users who are not programmers. [`reason`] gives
//! the words for what the user can act on: the disk is full, the folder
//! is read-only, the file is open in another program. What it has no
//! words for keeps the system's own text and code, so that nothing said
//! is lost.

use std::io::{Error, ErrorKind};

/// Why the system refused, in Russian, to follow «не удалось записать
/// файл: » and the like (lower case, no final stop).
///
/// An error gostdoc or a library made with a text of its own
/// (`io::Error::other("это не обычный файл")`) keeps that text.
pub fn reason(e: &Error) -> String {
    if let Some(inner) = e.get_ref() {
        return inner.to_string();
    }
    if let Some(words) = e.raw_os_error().and_then(os_code_words) {
        return words.to_string();
    }
    match kind_words(e.kind()) {
        Some(words) => words.to_string(),
        None => format!("ошибка системы: {e}"),
    }
}

/// What to do when a file could not be written, where the reason says
/// more than the caller's general advice (which stands otherwise): a
/// full disk is not helped by closing Word.
pub fn write_hint(e: &Error) -> Option<&'static str> {
    #[cfg(windows)]
    if e.raw_os_error()
        .is_some_and(|code| HELD_ELSEWHERE.contains(&code))
    {
        return Some("закройте файл в Word или в программе просмотра PDF и повторите");
    }
    Some(match e.kind() {
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => {
            "освободите место на диске и повторите"
        }
        ErrorKind::ReadOnlyFilesystem => "выберите папку на диске, куда можно записывать",
        ErrorKind::NotADirectory => "проверьте путь: на месте одной из его папок лежит файл",
        _ => return None,
    })
}

/// The words for system error codes that Rust has no [`ErrorKind`] of its
/// own for, or words a user can act on better than the kind's.
fn os_code_words(code: i32) -> Option<&'static str> {
    #[cfg(windows)]
    {
        windows_code_words(code)
    }
    #[cfg(unix)]
    {
        match code {
            libc::ELOOP => Some("символические ссылки образуют цикл"),
            _ => None,
        }
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = code;
        None
    }
}

/// `ERROR_SHARING_VIOLATION` and `ERROR_LOCK_VIOLATION`: Windows' codes
/// for a file another program holds open (Word, a PDF viewer).
const HELD_ELSEWHERE: [i32; 2] = [32, 33];

/// Windows' codes for a file another program holds: a DOCX open in Word
/// or a PDF in a viewer, the commonest reason a secretary's rebuild
/// fails. `ERROR_SHARING_VIOLATION` (32) and `ERROR_LOCK_VIOLATION` (33)
/// have no [`ErrorKind`]; `ERROR_ACCESS_DENIED` (5), which Windows also
/// gives for a file being replaced while open, is
/// [`ErrorKind::PermissionDenied`] but says more here. Not cfg-gated, so
/// that it is tested on every system.
#[cfg_attr(not(windows), allow(dead_code))]
fn windows_code_words(code: i32) -> Option<&'static str> {
    match code {
        code if HELD_ELSEWHERE.contains(&code) => Some("файл открыт в другой программе"),
        5 => Some("нет доступа: файл открыт в другой программе или защищён от записи"),
        _ => None,
    }
}

/// The words for an [`ErrorKind`], where there are any a user can act on.
fn kind_words(kind: ErrorKind) -> Option<&'static str> {
    Some(match kind {
        ErrorKind::NotFound => "нет такого файла или папки",
        ErrorKind::PermissionDenied => "нет прав доступа",
        ErrorKind::AlreadyExists => "такой файл уже есть",
        ErrorKind::StorageFull => "на диске не осталось места",
        ErrorKind::QuotaExceeded => "исчерпана квота на диске",
        ErrorKind::ReadOnlyFilesystem => "диск доступен только для чтения",
        ErrorKind::NotADirectory => "часть пути — файл, а не папка",
        ErrorKind::IsADirectory => "это папка, а не файл",
        ErrorKind::DirectoryNotEmpty => "папка не пуста",
        ErrorKind::FileTooLarge => "файл слишком велик для этого диска",
        ErrorKind::InvalidFilename => "недопустимое имя файла или слишком длинный путь",
        ErrorKind::ResourceBusy | ErrorKind::ExecutableFileBusy => "файл занят другой программой",
        ErrorKind::CrossesDevices => "файл нельзя перенести на другой диск",
        ErrorKind::StaleNetworkFileHandle => "сетевой диск больше недоступен",
        ErrorKind::TimedOut => "система не ответила вовремя",
        ErrorKind::OutOfMemory => "не хватает памяти",
        ErrorKind::UnexpectedEof => "файл оборван",
        ErrorKind::AddrInUse => "порт уже занят другой программой",
        ErrorKind::AddrNotAvailable => "такого адреса у этого компьютера нет",
        ErrorKind::ConnectionRefused
        | ErrorKind::ConnectionReset
        | ErrorKind::ConnectionAborted
        | ErrorKind::BrokenPipe => "соединение прервано",
        ErrorKind::NetworkDown | ErrorKind::NetworkUnreachable | ErrorKind::HostUnreachable => {
            "сеть недоступна"
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_user_meets_is_worded_in_russian_without_the_system_code() {
        for (kind, words) in [
            (ErrorKind::NotFound, "нет такого файла или папки"),
            (ErrorKind::PermissionDenied, "нет прав доступа"),
            (ErrorKind::StorageFull, "на диске не осталось места"),
            (
                ErrorKind::ReadOnlyFilesystem,
                "диск доступен только для чтения",
            ),
            (ErrorKind::NotADirectory, "часть пути — файл, а не папка"),
            (ErrorKind::AddrInUse, "порт уже занят другой программой"),
        ] {
            assert_eq!(reason(&Error::from(kind)), words);
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_systems_own_codes_are_read_as_their_kinds() {
        assert_eq!(
            reason(&Error::from_raw_os_error(libc::ENOSPC)),
            "на диске не осталось места"
        );
        assert_eq!(
            reason(&Error::from_raw_os_error(libc::EROFS)),
            "диск доступен только для чтения"
        );
        assert_eq!(
            reason(&Error::from_raw_os_error(libc::ENOTDIR)),
            "часть пути — файл, а не папка"
        );
        assert_eq!(
            reason(&Error::from_raw_os_error(libc::ELOOP)),
            "символические ссылки образуют цикл"
        );
    }

    #[test]
    fn a_full_disk_or_a_read_only_one_gets_its_own_advice_and_the_rest_none() {
        let hint = |kind| write_hint(&Error::from(kind));
        assert_eq!(
            hint(ErrorKind::StorageFull),
            Some("освободите место на диске и повторите")
        );
        assert_eq!(
            hint(ErrorKind::ReadOnlyFilesystem),
            Some("выберите папку на диске, куда можно записывать")
        );
        assert_eq!(hint(ErrorKind::PermissionDenied), None);
        assert_eq!(
            write_hint(&Error::other("на месте файла лежит папка")),
            None
        );
        assert_eq!(
            write_hint(&Error::new(ErrorKind::NotADirectory, "«out» — файл")),
            Some("проверьте путь: на месте одной из его папок лежит файл")
        );
    }

    #[test]
    fn a_file_open_in_word_on_windows_is_named_so() {
        assert_eq!(
            windows_code_words(32),
            Some("файл открыт в другой программе")
        );
        assert_eq!(
            windows_code_words(33),
            Some("файл открыт в другой программе")
        );
        assert!(
            windows_code_words(5)
                .unwrap()
                .contains("открыт в другой программе")
        );
        assert_eq!(windows_code_words(2), None);
    }

    #[test]
    fn a_text_of_gostdocs_own_is_kept_and_an_unknown_refusal_keeps_the_systems() {
        assert_eq!(
            reason(&Error::other("это не обычный файл")),
            "это не обычный файл"
        );
        let unknown = reason(&Error::from(ErrorKind::Other));
        assert!(unknown.starts_with("ошибка системы: "), "{unknown}");
    }
}
