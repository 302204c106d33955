//! libFuzzer target `render_template`: the body is `targets::render_template`, shared with the
//! stable replay test (tests/fuzz_replay.rs) so the two never drift apart.
#![no_main]

#[path = "../../tests/fuzz_replay/targets.rs"]
#[allow(dead_code)]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    targets::render_template(data);
});
