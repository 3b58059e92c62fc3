//! Atomic file output: write to a temporary file in the same folder, flush it to disk, then
//! rename over the target. A reader never sees a half-written file under the final name.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

/// Writes `contents` to `path` atomically.
///
/// # Errors
/// [`Error::Io`] naming the temporary file or the target.
pub fn write(path: &Path, contents: &[u8]) -> Result<()> {
    write_with(path, |out| out.write_all(contents).map_err(|e| Error::io(path, e)))
}

/// Writes `path` atomically through `fill`, which writes the contents to the temporary file
/// (buffered) and returns a value; the file is renamed into place only when `fill` succeeds, and
/// removed when it fails.
///
/// # Errors
/// `fill`'s error, or [`Error::Io`] naming the temporary file or the target.
pub fn write_with<T>(
    path: &Path,
    fill: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> Result<T>,
) -> Result<T> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let Some(name) = path.file_name() else {
        return Err(Error::Invalid(format!(
            "{}: an output path needs a file name",
            path.display()
        )));
    };
    let tmp = dir.join(format!(".{}.{}.tmp", name.to_string_lossy(), std::process::id()));
    let io = |e| Error::io(&tmp, e);
    let mut out = std::io::BufWriter::new(std::fs::File::create(&tmp).map_err(io)?);
    let value = match fill(&mut out) {
        Ok(v) => v,
        Err(e) => {
            drop(out);
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    };
    let file = out.into_inner().map_err(|e| io(e.into_error()))?;
    file.sync_all().map_err(io)?;
    drop(file);
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    #[test]
    fn replaces_the_target_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        super::write(&path, b"a\n").unwrap();
        super::write(&path, b"b\n").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"b\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
