//! libFuzzer target `markup`: the body is `targets::markup`, shared with the
//! stable replay test (tests/fuzz_replay.rs) so the two never drift apart.
#![no_main]

#[path = "../../tests/fuzz_replay/targets.rs"]
#[allow(dead_code)]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    targets::markup(data);
});
