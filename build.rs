//! Links the `gostdoc` binary on Linux as a position-dependent executable
//! (`-no-pie`). A PIE's loader applies ~15,500 relocations at every start
//! and copies the 268 KB they touch; a fixed-address binary has ~150 and
//! no such pages, which is 0.3 ms of each one-document process (seed
//! 000: 100 fewer page faults, 13 % less CPU for `gostdoc --version`).
//!
//! Only the binaries, through this script: the same flag in
//! `.cargo/config.toml` (or `-C relocation-model=static` there) reaches
//! the proc-macro libraries too, which then fail to link.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }
}
