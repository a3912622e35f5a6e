// Finds the installed pyprefix the way a C program would: `pkg-config --libs pyprefix`, with
// PKG_CONFIG_PATH pointing at its lib/pkgconfig folder when it is not installed system-wide.
// Each -L becomes a search folder and each -l a library; anything else (libpython and Boost
// named by path, an rpath) goes to the linker as it is. The library is C++, so the C++
// runtime is linked too.
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=PKG_CONFIG_PATH");
    let output = Command::new("pkg-config")
        .args(&["--libs", "pyprefix"])
        .output()
        .expect("pyprefix's build needs pkg-config");
    if !output.status.success() {
        panic!(
            "pkg-config cannot find pyprefix (set PKG_CONFIG_PATH to <prefix>/lib/pkgconfig): {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let flags = String::from_utf8(output.stdout).expect("pkg-config printed UTF-8");
    for flag in flags.split_whitespace() {
        if let Some(folder) = flag.strip_prefix("-L") {
            println!("cargo:rustc-link-search=native={}", folder);
        } else if let Some(library) = flag.strip_prefix("-l") {
            println!("cargo:rustc-link-lib={}", library);
        } else {
            println!("cargo:rustc-link-arg={}", flag);
        }
    }
    println!("cargo:rustc-link-lib=stdc++");
}
