//! Writing to stdout where a closed pipe (`alphaseq data check FILE | head`) is a normal end:
//! `out!` and `outln!` return [`Failure::Closed`] from the calling function instead of
//! panicking as `print!` does.

use std::io::Write;

use crate::Failure;

/// Writes `args` to stdout; a closed pipe is [`Failure::Closed`].
pub(crate) fn write(args: std::fmt::Arguments<'_>) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_fmt(args).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(Failure::Closed),
        Err(e) => Err(Failure::Failed(anyhow::Error::new(e).context("writing to stdout"))),
    }
}

/// `print!` that returns [`Failure::Closed`] from the enclosing function when stdout is closed.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::stdout::write(format_args!($($arg)*))?
    };
}

/// `println!` that returns [`Failure::Closed`] from the enclosing function when stdout is closed.
macro_rules! outln {
    () => {
        $crate::stdout::write(format_args!("\n"))?
    };
    ($($arg:tt)*) => {
        $crate::stdout::write(format_args!("{}\n", format_args!($($arg)*)))?
    };
}

pub(crate) use {out, outln};
