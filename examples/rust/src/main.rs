//! pyprefix from Rust, as a sampling profiler such as py-spy would use it. With no arguments
//! it prints the list exactly as `pyprefix` does (warnings on stderr); given paths, it prints
//! each without its longest matching prefix.

use std::ffi::CStr;
use std::io::Write;
use std::os::raw::{c_char, c_int};
use std::os::unix::ffi::OsStrExt;
use std::ptr;

/// The C API (<pyprefix/pyprefix.h>), declared by hand: the opaque handles and the functions
/// this program calls.
mod ffi {
    use std::os::raw::{c_char, c_int};

    #[repr(C)]
    pub struct Options {
        _opaque: [u8; 0],
    }
    #[repr(C)]
    pub struct Report {
        _opaque: [u8; 0],
    }
    #[repr(C)]
    pub struct Trimmer {
        _opaque: [u8; 0],
    }

    pub const PYPREFIX_OK: c_int = 0;
    pub const PYPREFIX_ABI_VERSION: c_int = 1; // the functions declared here are all of version 1

    extern "C" {
        pub fn pyprefix_abi_version() -> c_int;
        pub fn pyprefix_last_error() -> *const c_char;
        pub fn pyprefix_report_new(options: *const Options, report: *mut *mut Report) -> c_int;
        pub fn pyprefix_report_free(report: *mut Report);
        pub fn pyprefix_report_size(report: *const Report) -> usize;
        pub fn pyprefix_report_prefix(report: *const Report, index: usize, length: *mut usize) -> *const c_char;
        pub fn pyprefix_report_diagnostic_count(report: *const Report) -> usize;
        pub fn pyprefix_report_diagnostic(report: *const Report, index: usize) -> *const c_char;
        pub fn pyprefix_trimmer_from_report(report: *const Report, trimmer: *mut *mut Trimmer) -> c_int;
        pub fn pyprefix_trimmer_free(trimmer: *mut Trimmer);
        pub fn pyprefix_trim(trimmer: *const Trimmer, path: *const c_char, length: usize) -> usize;
    }
}

/// The C API's last error on this thread, as a Rust string.
fn last_error() -> String {
    unsafe { CStr::from_ptr(ffi::pyprefix_last_error()) }.to_string_lossy().into_owned()
}

/// The safe wrapper: a report owns its handle and frees it once.
struct Report(*mut ffi::Report);

impl Report {
    /// The process's Python (embedded, since this program runs none), as pyprefix::report().
    fn new() -> Result<Report, String> {
        let mut handle = ptr::null_mut();
        match unsafe { ffi::pyprefix_report_new(ptr::null(), &mut handle) } {
            ffi::PYPREFIX_OK => Ok(Report(handle)),
            _ => Err(last_error()),
        }
    }

    /// The prefixes, longest first, as bytes (file names need not be UTF-8).
    fn prefixes(&self) -> Vec<&[u8]> {
        let count = unsafe { ffi::pyprefix_report_size(self.0) };
        (0..count)
            .map(|index| {
                let mut length = 0;
                let data = unsafe { ffi::pyprefix_report_prefix(self.0, index, &mut length) };
                unsafe { std::slice::from_raw_parts(data as *const u8, length) }
            })
            .collect()
    }

    fn diagnostics(&self) -> Vec<String> {
        let count = unsafe { ffi::pyprefix_report_diagnostic_count(self.0) };
        (0..count)
            .map(|index| unsafe { CStr::from_ptr(ffi::pyprefix_report_diagnostic(self.0, index)) })
            .map(|text| text.to_string_lossy().into_owned())
            .collect()
    }
}

impl Drop for Report {
    fn drop(&mut self) {
        unsafe { ffi::pyprefix_report_free(self.0) }
    }
}

/// An immutable matcher: the C API allows any number of threads to use one at once.
struct Trimmer(*mut ffi::Trimmer);

unsafe impl Send for Trimmer {}
unsafe impl Sync for Trimmer {}

impl Trimmer {
    fn from_report(report: &Report) -> Result<Trimmer, String> {
        let mut handle = ptr::null_mut();
        match unsafe { ffi::pyprefix_trimmer_from_report(report.0, &mut handle) } {
            ffi::PYPREFIX_OK => Ok(Trimmer(handle)),
            _ => Err(last_error()),
        }
    }

    /// `path` without its longest matching prefix (a view of `path`).
    fn trim<'a>(&self, path: &'a [u8]) -> &'a [u8] {
        let skip = unsafe { ffi::pyprefix_trim(self.0, path.as_ptr() as *const c_char, path.len()) };
        &path[skip..]
    }
}

impl Drop for Trimmer {
    fn drop(&mut self) {
        unsafe { ffi::pyprefix_trimmer_free(self.0) }
    }
}

fn run() -> Result<(), String> {
    if unsafe { ffi::pyprefix_abi_version() } < ffi::PYPREFIX_ABI_VERSION as c_int {
        return Err("the pyprefix library is older than this program's declarations".to_string());
    }
    let report = Report::new()?;
    for line in report.diagnostics() {
        eprintln!("pyprefix: warning: {}", line);
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let paths: Vec<_> = std::env::args_os().skip(1).collect();
    if paths.is_empty() {
        for prefix in report.prefixes() {
            out.write_all(prefix).and_then(|_| out.write_all(b"\n")).map_err(|e| e.to_string())?;
        }
    } else {
        let trimmer = Trimmer::from_report(&report)?;
        for path in &paths {
            out.write_all(trimmer.trim(path.as_bytes())).and_then(|_| out.write_all(b"\n")).map_err(|e| e.to_string())?;
        }
    }
    out.flush().map_err(|e| e.to_string())
}

fn main() {
    if let Err(message) = run() {
        eprintln!("pyprefix: {}", message);
        std::process::exit(1);
    }
}
