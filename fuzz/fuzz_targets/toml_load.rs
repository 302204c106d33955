//! libFuzzer target `toml_load`: the body is `targets::toml_load`, shared with the
//! stable replay test (tests/fuzz_replay.rs) so the two never drift apart.
#![no_main]

#[path = "../../tests/fuzz_replay/targets.rs"]
#[allow(dead_code)]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    targets::toml_load(data);
});
